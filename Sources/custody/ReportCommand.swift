import ArgumentParser
import EvidenceArchive
import Foundation
import Report

extension Custody {
    struct ReportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract:
                "Write the incident report of a case: Markdown, HTML, findings (also for Security Hub and OCSF), a Timesketch timeline and indicators, sealed.",
            discussion: """
                Verifies every archive of the case, diffs each account's oldest and newest snapshots (or exactly \
                --baseline and --current), hunts through all the CloudTrail slices, and writes to --out:
                  report.md        GitHub-flavoured Markdown
                  report.html      one self-contained page (no script, no external request), printable
                  findings.json    the findings (Schemas/report-findings.schema.json)
                  timeline.jsonl   every event read, the collector's too, marked with its actor, phase and \
                findings, in Timesketch's import format (Schemas/timeline.schema.json)
                  iocs.csv         the indicators (keys, addresses, user agents, ARNs …) with first and last seen
                  iocs.stix.json   the same indicators as a STIX 2.1 bundle
                  findings.asff.json  the findings for Security Hub, as a BatchImportFindings request \
                (Docs/report.md says how to import them)
                  findings.ocsf.json  the findings as OCSF 1.8.0 Detection Finding records (class 2004)
                  report.tar       all of them sealed like evidence: a signed archive whose manifest names the \
                evidence manifests the report was made from

                Check it with: custody verify OUT/report.tar CASE (the evidence it names is checked too).
                Without --sign-key the case key signs. SOURCE_DATE_EPOCH pins the report's time, so the same \
                evidence gives the same bytes.

                --json prints Schemas/report.schema.json.

                Example: custody report --case ./incident-42 --suspect-key AKIAIOSFODNN7EXAMPLE --out ./incident-42-report
                """)

        @Option(name: .long, help: ArgumentHelp("The case folder to report on.", valueName: "DIR"))
        var `case`: String

        @Option(
            name: .customLong("account"),
            help: ArgumentHelp(
                "Report on this account only (repeatable; default every account).", valueName: "ACCOUNT_ID"))
        var accounts: [String] = []

        @Option(name: .long, help: ArgumentHelp("The earlier archive to diff (with --current).", valueName: "ARCHIVE"))
        var baseline: String?

        @Option(name: .long, help: ArgumentHelp("The later archive to diff (with --baseline).", valueName: "ARCHIVE"))
        var current: String?

        @Option(
            name: .customLong("suspect-key"),
            help: ArgumentHelp("Follow this access key as a suspect (repeatable).", valueName: "AKID"))
        var suspectKeys: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The folder to write the report to (created; must not hold a report yet).", valueName: "DIR"))
        var out: String

        @Option(
            name: .long, help: ArgumentHelp("Sign with this private key instead of the case key.", valueName: "FILE"))
        var signKey: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The formats to write, comma-separated: md, html, json, timesketch, iocs, stix, asff, ocsf.",
                valueName: "LIST"))
        var format = "md,html,json,timesketch,iocs,stix,asff,ocsf"

        @Option(name: .long, help: ArgumentHelp("The report's title.", valueName: "TEXT"))
        var title: String?

        @OptionGroup var output: JSONOutput

        @OptionGroup var trust: TrustOptions

        @OptionGroup var decompression: DecompressionOptions

        func validate() throws {
            for account in accounts where !ArchiveLayout.isAccountId(account) {
                throw ValidationError("--account '\(account)' is not an AWS account id; give its 12 digits.")
            }
            if (baseline == nil) != (current == nil) {
                throw ValidationError("--baseline and --current go together: the two archives to diff.")
            }
            try SuspectKeys.validate(suspectKeys)
            _ = try formats()
        }

        /// The formats asked for, in the order written.
        func formats() throws -> [ReportFormat] {
            var chosen: [ReportFormat] = []
            for name in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                let wanted: ReportFormat? =
                    switch name {
                    case "md", "markdown": .markdown
                    case "html": .html
                    case "json": .json
                    case "timesketch", "jsonl": .timesketch
                    case "iocs", "csv": .iocs
                    case "stix": .stix
                    case "asff", "securityhub": .asff
                    case "ocsf": .ocsf
                    default: nil
                    }
                guard let wanted else {
                    throw ValidationError(
                        "--format '\(name)' is not one of md, html, json, timesketch, iocs, stix, asff, ocsf.")
                }
                if !chosen.contains(wanted) { chosen.append(wanted) }
            }
            guard !chosen.isEmpty else {
                throw ValidationError(
                    "--format names no format; give md, html, json, timesketch, iocs, stix, asff or ocsf.")
            }
            return chosen
        }

        func run() async throws {
            let cleanup = EvidenceCleanup()
            defer { cleanup.stop() }
            guard CaseFolder.isCaseFolder(`case`) else {
                throw CommandFailure(
                    "\(`case`) is not a case folder (it has no .custody folder); give the --case that custody collect wrote."
                )
            }
            let bundle = ReportBundle(folder: out)
            try bundle.checkFree()
            let caseFolder = CaseFolder(root: `case`)
            let key = try SigningKeyChoice.load(signKey: signKey, caseFolder: caseFolder)
            try trust.announceCaseKeys(for: [`case`])
            let request = ReportRequest(
                caseFolder: `case`, accounts: accounts, baseline: baseline, current: current, suspectKeys: suspectKeys,
                trust: try trust.trustStore(), generatedAt: try ReproducibleClock.now(), title: title,
                decompressedSizeLimit: decompression.limit)
            let report = try await ReportBuilder.build(request)
            let sealed = try bundle.write(
                report, formats: try formats(), caseFolder: caseFolder, signingKey: key, toolVersion: Custody.version)
            if output.isJSON {
                try JSONOutput.print(
                    CommandResults.Reported(
                        files: sealed.files, sealed: CommandResults.Sealed(sealed.archive),
                        evidenceArchives: report.evidence.count, findings: report.severityCounts,
                        events: report.eventCount, incompleteEvents: report.incompleteEvents.count))
                return
            }
            for file in sealed.files { Console.print(file) }
            Console.print(sealed.archive.archivePath)
            Console.print(
                "  manifest sha256 \(sealed.archive.manifestSHA256); made from \(report.evidence.count) evidence archive(s)"
            )
            let counts = report.severityCounts
            Console.print(
                "  \(counts.high) high, \(counts.medium) medium, \(counts.low) low finding(s); \(report.eventCount) CloudTrail event(s) read"
                    + (report.incompleteEvents.count > 0
                        ? ", \(report.incompleteEvents.count) incomplete (see the report's notes)" : "")
            )
            Console.print("  verify with: custody verify \(sealed.archive.archivePath) \(`case`)")
        }
    }
}
