import ArgumentParser
import EvidenceArchive

extension Custody {
    struct Extract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an archive, then extract it into a folder.",
            discussion: """
                Nothing is extracted unless the archive verifies under a trusted signer: the ones named with \
                --trust or --trust-fingerprint and no other, or without them the key of the case folder the \
                archive lies in (CASE/ACCOUNT/ARCHIVE), which is then said. Only regular files are written, only inside DIR, never over an existing file; \
                DIR must be new or empty.

                --json prints Schemas/extract.schema.json.

                Example: custody extract ./incident-42/111122223333/000001-20261129T001200Z.tar --to ./review
                """)

        @OptionGroup var trust: TrustOptions

        @Option(name: .long, help: ArgumentHelp("The folder to extract into (new or empty).", valueName: "DIR"))
        var to: String

        @OptionGroup var output: JSONOutput

        @Argument(help: ArgumentHelp("The archive to extract.", valueName: "ARCHIVE"))
        var archive: String

        func run() async throws {
            try trust.announceCaseKeys(for: [archive])
            let store = try trust.trustStore().adding(caseKeyFor: archive).store
            do {
                let result = try Extractor(verifier: ArchiveVerifier(trust: store)).extract(archive, to: to)
                if output.isJSON {
                    try JSONOutput.print(CommandResults.Extracted(archive: archive, folder: to, files: result.written))
                } else {
                    Console.print("verified \(archive) and extracted \(result.written.count) file(s) into \(to)")
                }
            } catch let error as ArchiveError where error.code == .verificationFailed {
                Console.error(error.explanation)
                throw ExitCode(1)
            }
        }
    }
}
