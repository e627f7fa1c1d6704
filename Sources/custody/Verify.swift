import CustodyJSON
import ArgumentParser
import EvidenceArchive
import Foundation

extension Custody {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify archives, an account's chain, or a whole case folder.",
            discussion: """
                Checks every member's SHA-256, that the members are exactly the manifest's and in its order, \
                the signature over manifest.json under a trusted key, that each archive names the one before \
                it with no gap or fork, and that CloudTrail windows leave no time uncovered. Every problem is \
                named; one never hides another.

                With --trust or --trust-fingerprint, only the signers named are trusted. Without them, the case \
                key (CASE/.custody/case.key.pub) is trusted for the archives of that case (CASE/ACCOUNT/ARCHIVE) \
                and the output says so; compare its fingerprint with the one printed when the case was made.

                Exit codes: 0 everything verifies, 1 a problem was found, 2 the command could not run.

                --json prints Schemas/verify.schema.json.

                Example: custody verify ./incident-42
                """)

        @OptionGroup var trust: TrustOptions

        @OptionGroup var decompression: DecompressionOptions

        @OptionGroup var output: JSONOutput

        @Option(name: .long, help: ArgumentHelp("The case folder to verify (as a PATH).", valueName: "DIR"))
        var `case`: String?

        @Argument(help: ArgumentHelp("Archives (.tar), account folders or case folders.", valueName: "PATH"))
        var paths: [String] = []

        /// `--case`, then the paths.
        var allPaths: [String] { (`case`.map { [$0] } ?? []) + paths }

        func validate() throws {
            guard !allPaths.isEmpty else {
                throw ValidationError("Name an archive, an account folder or a case folder (--case) to verify.")
            }
        }

        func run() async throws {
            var verifier = Verifier(trust: try trust.trustStore())
            verifier.decompressedSizeLimit = decompression.limit
            let report = try verifier.verify(paths: allPaths)
            if output.isJSON {
                try JSONOutput.print(report)
            } else {
                var output = StandardOutput()
                report.render(into: &output)
            }
            if !report.ok { throw ExitCode(1) }
        }
    }
}
