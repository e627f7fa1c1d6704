import CustodyTestSupport
import Foundation
import Testing

/// Trust the user names excludes every other key, and a case's own key is trusted only for the
/// archives laid out inside that case: a key planted in or above a folder proves nothing.
@Suite struct TrustTests {
    let folder: TemporaryFolder
    let environment: [String: String]

    init() throws {
        folder = try TemporaryFolder()
        environment = ["SOURCE_DATE_EPOCH": "1790000000", "XDG_CONFIG_HOME": folder.file("config")]
    }

    func custody(_ arguments: [String]) throws -> ExternalTool.Result {
        try CustodyBinary.tool.run(arguments, environment: environment)
    }

    /// Seals `text` as the first archive of account 111122223333 in `caseFolder`, signed by the case key.
    func seal(_ text: String, in caseFolder: String) throws -> (archive: String, fingerprint: String) {
        let file = folder.file("evidence-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let result = try custody(["seal", "--case", caseFolder, "--account", "111122223333", file])
        #expect(result.status == 0, "\(result.error)")
        let archive = try #require(
            result.text.split(separator: "\n").first { $0.hasSuffix(".tar") }.map {
                String($0).trimmingCharacters(in: .whitespaces)
            })
        let fingerprint = try #require(
            result.error.split(separator: "\n").first { $0.contains("fingerprint") }.flatMap { line in
                line.split(separator: " ").first { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }.map(String.init)
            }, "\(result.error)")
        return (archive, fingerprint)
    }

    @Test func aNamedFingerprintExcludesAReplacedCaseKey() throws {
        let genuine = try seal("the real evidence", in: folder.file("case"))
        // The intruder seals other evidence with a key of their own, puts it in place of the genuine
        // archive, and replaces the case's public key with theirs.
        let forged = try seal("forged evidence", in: folder.file("forgery"))
        #expect(forged.fingerprint != genuine.fingerprint)
        try FileManager.default.removeItem(atPath: genuine.archive)
        try FileManager.default.copyItem(atPath: forged.archive, toPath: genuine.archive)
        let publicKey = "/.custody/case.key.pub"
        try FileManager.default.removeItem(atPath: folder.file("case") + publicKey)
        try FileManager.default.copyItem(
            atPath: folder.file("forgery") + publicKey, toPath: folder.file("case") + publicKey)

        let verify = try custody(["verify", "--trust-fingerprint", genuine.fingerprint, folder.file("case")])
        #expect(verify.status == 1, "\(verify.text)")
        #expect(verify.text.contains("signer-untrusted"), "\(verify.text)")
        let extract = try custody([
            "extract", genuine.archive, "--to", folder.file("out"), "--trust-fingerprint", genuine.fingerprint,
        ])
        #expect(extract.status == 1, "\(extract.text)\(extract.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("out/files")))
        let hunt = try custody(["hunt", folder.file("case"), "--trust-fingerprint", genuine.fingerprint])
        #expect(hunt.status != 0, "\(hunt.text)")
    }

    @Test func aKeyPlantedAboveADownloadedArchiveIsNotTrusted() throws {
        let forged = try seal("forged evidence", in: folder.file("forgery"))
        let shared = folder.file("shared")
        try FileManager.default.createDirectory(atPath: shared + "/downloads", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder.file("forgery/.custody"), toPath: shared + "/.custody")
        let downloaded = shared + "/downloads/000001-20260921T142640Z.tar"
        try FileManager.default.copyItem(atPath: forged.archive, toPath: downloaded)

        let verify = try custody(["verify", downloaded])
        #expect(verify.status == 1, "\(verify.text)")
        #expect(verify.text.contains("signer-untrusted"))
        let extract = try custody(["extract", downloaded, "--to", folder.file("out")])
        #expect(extract.status == 1, "\(extract.text)\(extract.error)")
    }

    @Test func withoutNamedTrustTheCaseKeyIsTrustedInsideItsCaseAndSaidEveryTime() throws {
        let sealed = try seal("evidence", in: folder.file("case"))
        let verify = try custody(["verify", folder.file("case")])
        #expect(verify.status == 0, "\(verify.text)")
        #expect(
            verify.text.contains("trusted signer \(sealed.fingerprint): a key found in the case folder"),
            "\(verify.text)")
        let extract = try custody(["extract", sealed.archive, "--to", folder.file("out")])
        #expect(extract.status == 0, "\(extract.error)")
        #expect(
            extract.error.contains("trusting \(sealed.fingerprint), the key found in the case folder"),
            "\(extract.error)")
    }

    @Test func theCasesPrivateKeyStaysOutOfTheCaseSoACopyCannotBeResigned() throws {
        let sealed = try seal("evidence", in: folder.file("case"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("case/.custody/case.key")))
        #expect(FileManager.default.fileExists(atPath: folder.file("config/custody/keys/\(sealed.fingerprint).key")))

        // Whoever is handed a copy of the case can verify it, but not seal into it as the case.
        try FileManager.default.copyItem(atPath: folder.file("case"), toPath: folder.file("copy"))
        var elsewhere = environment
        elsewhere["XDG_CONFIG_HOME"] = folder.file("other-config")
        let file = folder.file("more.txt")
        try Data("more".utf8).write(to: URL(fileURLWithPath: file))
        let result = try CustodyBinary.tool.run(
            ["seal", "--case", folder.file("copy"), "--account", "111122223333", file], environment: elsewhere)
        #expect(result.status == 2)
        #expect(result.error.contains("is not in \(folder.file("other-config"))/custody/keys"), "\(result.error)")
        #expect(try CustodyBinary.tool.run(["verify", folder.file("copy")], environment: elsewhere).status == 0)
    }

    @Test func aPrivateKeyLeftInACaseByAnOlderVersionIsMovedOutWithAMessage() throws {
        let sealed = try seal("evidence", in: folder.file("case"))
        let kept = folder.file("config/custody/keys/\(sealed.fingerprint).key")
        try FileManager.default.moveItem(atPath: kept, toPath: folder.file("case/.custody/case.key"))
        let file = folder.file("more.txt")
        try Data("more".utf8).write(to: URL(fileURLWithPath: file))
        let result = try custody(["seal", "--case", folder.file("case"), "--account", "111122223333", file])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("moved the case's private key from"), "\(result.error)")
        #expect(FileManager.default.fileExists(atPath: kept))
        #expect(!FileManager.default.fileExists(atPath: folder.file("case/.custody/case.key")))
    }
}
