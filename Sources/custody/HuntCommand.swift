import ArgumentParser
import CustodyJSON
import Diff
import Foundation
import EvidenceReading

extension Custody {
    struct HuntCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hunt",
            abstract: "Run the CloudTrail rules over the slices of archives, when there is no baseline to diff.",
            discussion: """
                Reads every CloudTrail slice of the archives given (live collections and imported files alike), \
                each event once, and reports every finding of Docs/rules.md that CloudTrail alone can show: \
                each state rule through the event that would make the change, marked as seen in CloudTrail only, \
                and the CloudTrail-only rules. With --suspect-key, or for keys behind high findings, everything \
                reachable from the key is followed as one actor. The collector's own calls are never counted as \
                an intruder's. Events whose record lacks a valid eventTime, an eventName or an eventSource are \
                counted as incomplete (incompleteEvents in --json) and left out only of the rules that need what \
                they lack; a note says which.

                Every archive must verify: with --trust or --trust-fingerprint only the signers named are \
                trusted; without them, the key of the case an archive lies in (CASE/ACCOUNT/ARCHIVE), which is \
                then said.

                Exit codes: 0 no findings, 1 findings, 2 the command could not run.

                --json prints Schemas/findings.schema.json.

                Example: custody hunt ./incident-42 --suspect-key AKIAIOSFODNN7EXAMPLE
                """)

        @OptionGroup var trust: TrustOptions

        @OptionGroup var decompression: DecompressionOptions

        @OptionGroup var output: JSONOutput

        @Option(
            name: .customLong("suspect-key"),
            help: ArgumentHelp("Follow this access key as a suspect (repeatable).", valueName: "AKID"))
        var suspectKeys: [String] = []

        @Option(name: .long, help: ArgumentHelp("The case folder to hunt in (as a PATH).", valueName: "DIR"))
        var `case`: String?

        @Argument(help: ArgumentHelp("Archives (.tar), account folders or case folders.", valueName: "PATH"))
        var paths: [String] = []

        /// `--case`, then the paths.
        var allPaths: [String] { (`case`.map { [$0] } ?? []) + paths }

        func validate() throws {
            guard !allPaths.isEmpty else {
                throw ValidationError("Name an archive, an account folder or a case folder (--case) to hunt in.")
            }
            try SuspectKeys.validate(suspectKeys)
        }

        func run() async throws {
            let cleanup = EvidenceCleanup()
            defer { cleanup.stop() }
            try trust.announceCaseKeys(for: allPaths)
            let reader = EvidenceReader(trust: try trust.trustStore(), decompressedSizeLimit: decompression.limit)
            let report = try await reader.hunt(allPaths, suspectKeys: suspectKeys)
            if output.isJSON {
                try JSONOutput.print(report)
            } else {
                var output = StandardOutput()
                report.render(into: &output)
            }
            if !report.findings.isEmpty { throw ExitCode(1) }
        }
    }
}
