import ArgumentParser
import CustodyCrypto
import CustodyTestSupport
import EvidenceArchive
import Foundation
import Report
import Testing

@testable import custody

/// Commands run in-process throw the library's own error, code and all; `Custody.ending(for:)`
/// alone turns an error into what is printed and the exit status.
@Suite struct CommandErrorTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    /// Parses `arguments` as a custody subcommand and runs it.
    func run(_ arguments: [String]) async throws {
        var command = try Custody.parseAsRoot(arguments)
        if var command = command as? any AsyncParsableCommand {
            try await command.run()
        } else {
            try command.run()
        }
    }

    @Test func keygenOverAnExistingKeyThrowsTheKeyFileError() async throws {
        let path = folder.file("k")
        try await run(["keygen", "--out", path])
        await #expect(throws: CryptoError(.keyFileExists, "")) { try await run(["keygen", "--out", path]) }
    }

    @Test func sealWithAMissingKeyThrowsTheKeyFileErrorAndWritesNoArchive() async throws {
        let input = try folder.write("a.txt", Data("x".utf8))
        let missing = folder.file("nope.key")
        await #expect(throws: CryptoError(.keyFileUnreadable, "")) {
            try await run([
                "seal", "--case", folder.file("case"), "--account", "111122223333", "--sign-key", missing, input,
            ])
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("case/111122223333")))
    }

    @Test func showOfAMissingArchiveThrowsTheArchiveError() async throws {
        await #expect(throws: ArchiveError(.inputUnreadable, "")) {
            try await run(["show", folder.file("missing.tar")])
        }
    }

    @Test func anUnreadableTrustFileNamesTheOptionAndKeepsTheKeyFileError() async throws {
        let missing = folder.file("nope.pub")
        let error = await #expect(throws: CommandFailure.self) {
            try await run(["verify", folder.path, "--trust", missing])
        }
        #expect(error?.description.hasPrefix("--trust \(missing): ") == true)
        #expect(error?.underlying as? CryptoError == CryptoError(.keyFileUnreadable, ""))
    }

    @Test func reportOnAnAccountTheCaseHasNotThrowsTheReportError() async throws {
        let caseFolder = folder.file("case")
        _ = try CaseFolder(root: caseFolder).prepare()
        try FileManager.default.createDirectory(atPath: caseFolder + "/111122223333", withIntermediateDirectories: true)
        let key = folder.file("signer.key")
        try KeyFiles.write(try PrivateKey.generate(.ed25519), to: key, force: false)
        await #expect(throws: ReportError(.accountUnknown, "")) {
            try await run([
                "report", "--case", caseFolder, "--out", folder.file("report"), "--sign-key", key, "--account",
                "222222222222",
            ])
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("report")))
    }

    @Test func reportIntoAFolderHoldingAReportThrowsTheReportError() async throws {
        let caseFolder = folder.file("case")
        _ = try CaseFolder(root: caseFolder).prepare()
        let out = folder.file("report")
        try folder.write("report/report.tar", Data("an earlier report".utf8))
        await #expect(throws: ReportError(.outputUnusable, "")) {
            try await run(["report", "--case", caseFolder, "--out", out])
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/report.tar")) == Data("an earlier report".utf8))
    }
}

/// What custody prints and how it exits, for each kind of error.
@Suite struct CommandEndingTests {
    @Test func aLibraryErrorPrintsItsDescriptionAndExitsTwo() {
        let error = ArchiveError(.readFailed, "Cannot read x.tar.")
        let ending = Custody.ending(for: error)
        #expect(ending.message == "\(error)" && ending.message.hasPrefix("Cannot read x.tar."))
        #expect(ending.status == 2)
    }

    @Test func aCommandFailurePrintsItsSentenceNotItsUnderlyingError() {
        let failure = CommandFailure(
            "--trust k.pub: Cannot read it.", underlying: CryptoError(.keyFileUnreadable, "Cannot read it."))
        #expect(Custody.ending(for: failure) == ("--trust k.pub: Cannot read it.", 2))
    }

    @Test func anExitCodePrintsNothingAndExitsWithItsStatus() {
        #expect(Custody.ending(for: ExitCode(3)) == ("", 3))
        #expect(Custody.ending(for: ExitCode(1)) == ("", 1))
    }

    @Test func aUsageErrorPrintsTheParsersMessageWithTheUsageAndExitsTwo() throws {
        let error = try #require(#expect(throws: (any Error).self) { try Custody.parseAsRoot(["show"]) })
        let ending = Custody.ending(for: error)
        #expect(
            ending.message.contains("Missing expected argument") && ending.message.contains("Usage: custody show"))
        #expect(ending.status == 2)
        let validation = Custody.ending(for: ValidationError("--concurrency must be between 1 and 64."))
        #expect(
            validation.message.hasPrefix("Error: --concurrency must be between 1 and 64.") && validation.status == 2)
    }
}
