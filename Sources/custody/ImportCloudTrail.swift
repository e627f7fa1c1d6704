import ArgumentParser
import Collect
import CustodyCrypto
import EvidenceArchive
import Foundation

extension Custody {
    struct ImportCloudTrail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-cloudtrail",
            abstract: "Seal CloudTrail files you already have into an account's chain, byte for byte.",
            discussion: """
                Each PATH is a file or a folder (read recursively). Files named .json, .json.gz, .jsonl or \
                .jsonl.gz are imported; other files only when their content is CloudTrail. The shape is read \
                from the content: CloudTrail log files ({"Records":[…]}, gzip or not), JSON Lines of records, \
                aws cloudtrail lookup-events output ({"Events":[…]}) and LookupEvents events one per line, a \
                JSON array of records, or one record. Digest files are sealed too.

                The files are sealed unchanged under cloudtrail/imported/ in the next archive of \
                CASE/ACCOUNT_ID/, with cloudtrail/import.json listing per file its SHA-256, shape, record count \
                and every record that could not be read. Such a record is reported as FILE:LINE: record N, \
                byte B: reason (line and byte in the decompressed text); the rest of the file is kept. Odd \
                values (invalid IP addresses, unknown regions) are records like any other. Records of other \
                accounts are kept and counted.

                A record read whole but lacking a valid eventTime (Logstash and Elastic exports carry \
                @timestamp instead), an eventName or an eventSource is incomplete: it is sealed as it is, \
                the first ones of each file are named as FILE:LINE: record N, byte B: incomplete, no …, and \
                cloudtrail/import.json counts them and lists the first 1,000 of each file. The rules that \
                need what such a record lacks leave it out (Docs/rules.md).

                Exit codes: 0 every record read and complete, 4 every record read but some incomplete, \
                3 sealed with gaps (some records could not be read; incomplete ones may be there too), \
                1 nothing sealed, 2 the command could not run (usage, unreadable path, no CloudTrail found).

                --json prints Schemas/import-cloudtrail.schema.json.

                Example: custody import-cloudtrail --case ./incident-42 --account 111122223333 \
                ~/Downloads/AWSLogs/111122223333/CloudTrail lookup-events.json
                """)

        @Option(name: .long, help: ArgumentHelp("The case folder (created if missing).", valueName: "DIR"))
        var `case`: String

        @Option(
            name: .long,
            help: ArgumentHelp("The 12-digit AWS account whose chain the files join.", valueName: "ACCOUNT_ID"))
        var account: String

        @Option(
            name: .long,
            help: ArgumentHelp("Sign with this private key (PEM) instead of the case key.", valueName: "FILE"))
        var signKey: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Start of the window the files cover (with --until): ISO 8601 or an age such as 6h.", valueName: "TIME")
        )
        var since: String?

        @Option(
            name: .long, help: ArgumentHelp("End of that window, exclusive: ISO 8601 or an age.", valueName: "TIME"))
        var until: String?

        @OptionGroup var decompression: DecompressionOptions

        @OptionGroup var output: JSONOutput

        @Argument(help: ArgumentHelp("CloudTrail files and folders to import.", valueName: "PATH"))
        var paths: [String] = []

        func validate() throws {
            guard ArchiveLayout.isAccountId(account) else {
                throw ValidationError("--account '\(account)' is not an AWS account id; give its 12 digits.")
            }
            guard !paths.isEmpty else {
                throw ValidationError("Name at least one CloudTrail file or folder to import.")
            }
            guard (since == nil) == (until == nil) else {
                throw ValidationError("Give both --since and --until, or neither: the window needs both ends.")
            }
        }

        func run() async throws {
            let started = try ReproducibleClock.now()
            let importer = CloudTrailImport(
                account: account, since: try since.map { try TimeArgument.parse($0, option: "--since", now: started) },
                until: try until.map { try TimeArgument.parse($0, option: "--until", now: started) },
                collector: Manifest.Collector(version: Custody.version), decompressedSizeLimit: decompression.limit)
            let plan = try await importer.read(paths: paths)
            for skipped in plan.skipped { Console.error("skipped \(skipped.path): \(skipped.reason)") }
            for issue in plan.issues { Console.error("\(issue)") }
            reportIncomplete(plan)

            let caseFolder = CaseFolder(root: `case`)
            let key = try SigningKeyChoice.load(signKey: signKey, caseFolder: caseFolder)
            let result: CloudTrailImportResult
            do {
                result = try importer.seal(
                    plan, with: Sealer(caseFolder: caseFolder, signingKey: key), startedAt: started,
                    finishedAt: try ReproducibleClock.now())
            } catch {
                Console.error("\(error)")
                Console.error("nothing was sealed")
                throw ExitCode(1)
            }
            try report(result, signedBy: key)
            if !result.isComplete { throw ExitCode(3) }
            if result.incompleteRecords > 0 { throw ExitCode(4) }
        }

        /// Incomplete records shown on the terminal per file: the first few by place, then how many
        /// there are and where all of them are listed; a whole export without `eventTime` would
        /// otherwise fill the terminal.
        static let incompleteShownPerFile = 10

        private func reportIncomplete(_ plan: CloudTrailImportPlan) {
            var shown: [String: Int] = [:]
            for record in plan.incomplete {
                guard shown[record.file, default: 0] < Self.incompleteShownPerFile else { continue }
                shown[record.file, default: 0] += 1
                Console.error("\(record)")
            }
            for (file, scan) in zip(plan.files, plan.summary.files) {
                guard let count = scan.incompleteRecords, count > 0 else { continue }
                let listed = scan.incomplete?.count ?? 0
                Console.error(
                    "\(file.source): \(count) incomplete record(s), kept; "
                        + (listed < count ? "the first \(listed) are" : "all are")
                        + " listed in \(CloudTrailImport.summaryMember)")
            }
        }

        private func report(_ result: CloudTrailImportResult, signedBy key: PrivateKey) throws {
            let summary = result.plan.summary
            let totals = summary.totals
            if output.isJSON {
                try JSONOutput.print(
                    CommandResults.Imported(
                        sealed: CommandResults.Sealed(result.sealed), summary: summary, complete: result.isComplete,
                        changedFiles: result.changedFiles))
            } else {
                printSummary(result)
            }
            if totals.otherAccountRecords > 0 {
                let others = summary.recipientAccounts.filter { $0.key != account }
                    .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) (\($0.value))" }
                Console.error(
                    "\(totals.otherAccountRecords) record(s) belong to other accounts than \(account), kept: "
                        + others.prefix(10).joined(separator: ", ")
                        + (others.count > 10
                            ? " and \(others.count - 10) more (see \(CloudTrailImport.summaryMember))" : ""))
            }
            if let outside = totals.recordsOutsideWindow, outside > 0 {
                Console.error("\(outside) record(s) lie outside --since/--until, kept")
            }
            for file in result.changedFiles {
                Console.error("\(file) changed while it was imported: the archive holds other bytes than were read")
            }
            if totals.issues > 0 || !result.changedFiles.isEmpty { Console.error("sealed with gaps") }
            if signKey != nil {
                Console.error(
                    "signed by \(key.publicKey.fingerprint); verify with --trust-fingerprint \(key.publicKey.fingerprint)"
                )
            }
        }

        /// The archive, its manifest hash and one line of totals, on stdout.
        private func printSummary(_ result: CloudTrailImportResult) {
            let summary = result.plan.summary
            let totals = summary.totals
            Console.print(result.sealed.archivePath)
            Console.print("manifest sha256 \(result.sealed.manifestSHA256)")
            var line = "\(totals.records) record(s) in \(totals.files) file(s)"
            if let first = summary.earliestEventTime, let last = summary.latestEventTime {
                line += ", \(first) to \(last)"
            }
            line += totals.issues == 0 ? ", every record read" : ", \(totals.issues) could not be read"
            if let incomplete = totals.incompleteRecords, incomplete > 0 {
                line +=
                    ", \(incomplete) incomplete (no valid eventTime, eventName or eventSource;"
                    + " listed in \(CloudTrailImport.summaryMember))"
            }
            if totals.skippedFiles > 0 { line += "; \(totals.skippedFiles) file(s) skipped" }
            Console.print(line)
        }
    }
}
