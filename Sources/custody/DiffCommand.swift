import ArgumentParser
import CustodyJSON
import Diff
import Foundation
import EvidenceReading

extension Custody {
    struct DiffCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Compare two snapshots of one account and report the persistence an intruder left.",
            discussion: """
                Entities are matched by their stable ids (UserId, RoleId, AccessKeyId, InstanceId …), so a user \
                deleted and re-created under the same name shows as removed and added. Every change is listed \
                with its field paths and old and new values; the rules of Docs/rules.md turn changes and the \
                CloudTrail of the later archive (and of the chain's archives between the two) into findings, \
                each tied to the event that made it, with containment advice and the AWS CLI commands for it. \
                Custody never runs them. CloudTrail events whose record lacks a valid eventTime, an eventName or \
                an eventSource are counted as incomplete and left out only of the rules that need what they \
                lack; a note says which.

                The archives may be given in either order; the earlier one is the baseline, and the output says \
                when they were swapped. Archives of different accounts are refused. Both must verify: with \
                --trust or --trust-fingerprint only the signers named are trusted; without them, the key of the \
                case an archive lies in (CASE/ACCOUNT/ARCHIVE), which is then said.

                The findings are then judged against the later archive's snapshot (the eradication check): \
                for each, whether what it found is still there (an access key still Active, a user, a role \
                still trusting another account, an instance still running with its role, a VPC endpoint, \
                temporary credentials still within their lifetime and not revoked …), with the commands that \
                finish what remains. Collect again after containment and diff the baseline with the new \
                archive: the exit code says whether the incident is over. A disabled key, a trust reset or \
                revoked sessions count as done (contained: delete them once the case is closed); events with \
                no state (a burst of calls, a refused attempt) are nothing to eradicate.

                Exit codes:
                  0  nothing of the incident remains in the later snapshot, or no findings
                  1  something of the incident remains (the eradication lines say what)
                  2  the command could not run
                  3  nothing is known to remain, but the later snapshot cannot tell
                     about part of it (a region not collected, a listing denied)
                With --exit-on-findings, the codes before the check: 0 no findings, 1 findings.

                --json prints Schemas/diff.schema.json.

                Example: custody diff incident-42/222222222222/000001-20261129T091200Z.tar \
                incident-42/222222222222/000002-20261129T101500Z.tar
                """)

        @OptionGroup var trust: TrustOptions

        @OptionGroup var decompression: DecompressionOptions

        @OptionGroup var output: JSONOutput

        @Flag(
            name: .long,
            help:
                "Exit 1 whenever there are findings, 0 without, whatever the eradication check says (the exit codes before it)."
        )
        var exitOnFindings = false

        @Option(
            name: .customLong("suspect-key"),
            help: ArgumentHelp("Follow this access key as a suspect (repeatable).", valueName: "AKID"))
        var suspectKeys: [String] = []

        @Argument(help: ArgumentHelp("The baseline archive.", valueName: "BEFORE"))
        var before: String

        @Argument(help: ArgumentHelp("The later archive.", valueName: "AFTER"))
        var after: String

        func validate() throws {
            try SuspectKeys.validate(suspectKeys)
        }

        func run() async throws {
            let cleanup = EvidenceCleanup()
            defer { cleanup.stop() }
            try trust.announceCaseKeys(for: [before, after])
            let reader = EvidenceReader(trust: try trust.trustStore(), decompressedSizeLimit: decompression.limit)
            let report = try await reader.diff(before, after, suspectKeys: suspectKeys)
            if report.swapped { Console.error("note: \(after) is the earlier archive; it was taken as the baseline.") }
            if output.isJSON {
                try JSONOutput.print(report)
            } else {
                var output = StandardOutput()
                report.render(into: &output)
                report.eradication?.render(into: &output)
            }
            let status = Self.exitStatus(report, onFindings: exitOnFindings)
            if status != 0 { throw ExitCode(status) }
        }

        /// The exit status: from the eradication verdict, or with `onFindings` from whether there are findings.
        static func exitStatus(_ report: DiffReport, onFindings: Bool) -> Int32 {
            if onFindings { return report.findings.isEmpty ? 0 : 1 }
            switch report.eradication?.verdict {
            case .remains?: return 1
            case .unknown?: return 3
            case .complete?: return 0
            case nil: return report.findings.isEmpty ? 0 : 1
            }
        }
    }
}

/// Checks `--suspect-key` values.
enum SuspectKeys {
    static func validate(_ keys: [String]) throws {
        for key in keys {
            guard key.count >= 16, key.count <= 128, key.allSatisfy({ $0.isLetter || $0.isNumber }) else {
                throw ValidationError("--suspect-key '\(key)' is not an access key id (such as AKIAIOSFODNN7EXAMPLE).")
            }
        }
    }
}
