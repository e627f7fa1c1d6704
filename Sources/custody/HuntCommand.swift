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

                Example: custody hunt ./incident-42 --suspect-key AKIAIOSFODNN7EXAMPLE
                """)

        @OptionGroup var trust: TrustOptions

        @OptionGroup var decompression: DecompressionOptions

        @Flag(name: .long, help: "Print the report as JSON (Schemas/findings.schema.json).")
        var json = false

        @Option(
            name: .customLong("suspect-key"),
            help: ArgumentHelp("Follow this access key as a suspect (repeatable).", valueName: "AKID"))
        var suspectKeys: [String] = []

        @Argument(help: ArgumentHelp("Archives (.tar), account folders or case folders.", valueName: "PATH"))
        var paths: [String] = []

        func validate() throws {
            guard !paths.isEmpty else {
                throw ValidationError("Name an archive, an account folder or a case folder to hunt in.")
            }
            try SuspectKeys.validate(suspectKeys)
        }

        func run() async throws {
            let cleanup = EvidenceCleanup()
            defer { cleanup.stop() }
            try trust.announceCaseKeys(for: paths)
            let reader = EvidenceReader(trust: try trust.trustStore(), decompressedSizeLimit: decompression.limit)
            let report = try await reader.hunt(paths, suspectKeys: suspectKeys)
            if json {
                Console.print(
                    String(decoding: try CanonicalJSON.encode(report), as: UTF8.self).trimmingCharacters(in: .newlines))
            } else {
                var output = StandardOutput()
                report.render(into: &output)
            }
            if !report.findings.isEmpty { throw ExitCode(1) }
        }
    }
}
