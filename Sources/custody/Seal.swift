import ArgumentParser
import CustodyCrypto
import EvidenceArchive

extension Custody {
    struct Seal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal files and folders as the next signed archive of an account's chain.",
            discussion: """
                Each PATH is stored under files/ in the archive, folders with their layout kept. The archive is \
                CASE/ACCOUNT_ID/NNNNNN-<UTC time>.tar; it names the previous archive of the account, so removing, \
                replacing or editing any archive is detected by custody verify.

                Without --sign-key the case key CASE/.custody/case.key is used, made on first use; its \
                fingerprint is printed then: share it out of band so others can trust it.

                --json prints Schemas/seal.schema.json.

                Example: custody seal --case ./incident-42 --account 111122223333 notes.md screenshots/
                """)

        @Option(name: .long, help: ArgumentHelp("The case folder (created if missing).", valueName: "DIR"))
        var `case`: String

        @Option(
            name: .long,
            help: ArgumentHelp("The 12-digit AWS account id the evidence belongs to.", valueName: "ACCOUNT_ID"))
        var account: String

        @Option(
            name: .long,
            help: ArgumentHelp("Sign with this private key (PEM) instead of the case key.", valueName: "FILE"))
        var signKey: String?

        @OptionGroup var output: JSONOutput

        @Argument(help: ArgumentHelp("Files and folders to seal.", valueName: "PATH"))
        var paths: [String]

        func validate() throws {
            guard ArchiveLayout.isAccountId(account) else {
                throw ValidationError("--account '\(account)' is not an AWS account id; give its 12 digits.")
            }
            guard !paths.isEmpty else { throw ValidationError("Name at least one file or folder to seal.") }
        }

        func run() async throws {
            let caseFolder = CaseFolder(root: `case`)
            let started = try ReproducibleClock.now()
            let members = try SealMember.fromPaths(paths)
            let key = try SigningKeyChoice.load(signKey: signKey, caseFolder: caseFolder)
            let request = SealRequest(
                account: account, kind: .files, members: members,
                collector: Manifest.Collector(version: Custody.version), startedAt: started,
                finishedAt: try ReproducibleClock.now(),
                coverage: [Manifest.CoverageEntry(source: "local", item: "files", status: .complete)])
            let result = try Sealer(caseFolder: caseFolder, signingKey: key).seal(request)
            if output.isJSON {
                try JSONOutput.print(CommandResults.Sealed(result))
            } else {
                Console.print(result.archivePath)
                Console.print("manifest sha256 \(result.manifestSHA256)")
            }
            if signKey != nil {
                Console.error(
                    "signed by \(key.publicKey.fingerprint); verify with --trust-fingerprint \(key.publicKey.fingerprint)"
                )
            }
        }
    }
}
