import CustodyCrypto
import CustodyTestSupport
import Foundation
import Testing

/// The built binary, run as a user would: output, messages and exit codes.
@Suite struct KeygenCommandTests {
    @Test func writesAPrivateKeyOnlyItsOwnerCanReadAndPrintsTheFingerprint() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("responder.key")
        let run = try CustodyBinary.run(["keygen", "--out", path])
        #expect(run.status == 0, "\(run.error)")
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let key = try KeyFiles.readPublicKey(at: path + ".pub")
        #expect(run.text.contains("fingerprint: \(key.fingerprint)"))
        if let openssl = ExternalTool.openssl {
            let der = try openssl.run(["pkey", "-pubin", "-in", path + ".pub", "-outform", "DER"])
            #expect(SHA256.hash(Array(der.output)).hex == key.fingerprint)
        }
    }

    @Test(arguments: ["ed25519", "ecdsa-p256", "rsa-3072"])
    func makesEachKeyType(type: String) throws {
        let folder = try TemporaryFolder()
        let run = try CustodyBinary.run(["keygen", "--out", folder.file("k"), "--type", type])
        #expect(run.status == 0, "\(run.error)")
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("k")
        #expect(try CustodyBinary.run(["keygen", "--out", path]).status == 0)
        let again = try CustodyBinary.run(["keygen", "--out", path])
        #expect(again.status == 2)
        #expect(again.error.contains("already exists") && again.error.contains("--force"))
        #expect(try CustodyBinary.run(["keygen", "--out", path, "--force"]).status == 0)
    }

    @Test func namesAnUnknownKeyType() throws {
        let folder = try TemporaryFolder()
        let run = try CustodyBinary.run(["keygen", "--out", folder.file("k"), "--type", "dsa"])
        #expect(run.status == 2)
        #expect(run.error.contains("--type 'dsa'"))
    }
}

@Suite struct SealAndVerifyCommandTests {
    let folder: TemporaryFolder
    let caseFolder: String
    let evidence: String

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = folder.file("case")
        evidence = try folder.write("evidence/notes.md", Data("# what we saw\n".utf8))
        try folder.write("evidence/screens/one.txt", Data("screen".utf8))
    }

    @Test func sealMakesTheCaseKeyOnceAndChains() throws {
        let first = try CustodyBinary.run([
            "seal", "--case", caseFolder, "--account", "111122223333", folder.file("evidence"),
        ])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.text.hasPrefix(caseFolder + "/111122223333/000001-20260921T141320Z.tar\nmanifest sha256 "))
        #expect(first.error.contains("case key fingerprint: "))
        let second = try CustodyBinary.run(["seal", "--case", caseFolder, "--account", "111122223333", evidence])
        #expect(second.status == 0)
        #expect(second.text.contains("/000002-"))
        #expect(!second.error.contains("case key fingerprint"))

        let verify = try CustodyBinary.run(["verify", caseFolder])
        #expect(verify.status == 0, "\(verify.text)")
        #expect(verify.text.contains("trusted signer "))
        #expect(verify.text.contains("a key found in the case folder"))
        #expect(verify.text.contains("OK: 2 archive(s) verified, 0 problem(s) found"))
    }

    @Test func verifyExitsOneAndNamesEveryProblem() throws {
        #expect(
            try CustodyBinary.run(["seal", "--case", caseFolder, "--account", "111122223333", evidence]).status == 0)
        #expect(
            try CustodyBinary.run(["seal", "--case", caseFolder, "--account", "111122223333", evidence]).status == 0)
        let archives = try FileManager.default.contentsOfDirectory(atPath: caseFolder + "/111122223333").filter {
            $0.hasSuffix(".tar")
        }.sorted()
        var data = try Data(contentsOf: URL(fileURLWithPath: caseFolder + "/111122223333/" + archives[1]))
        let range = try #require(data.range(of: Data("what we saw".utf8)))
        data[range.lowerBound] = UInt8(ascii: "W")
        try data.write(to: URL(fileURLWithPath: caseFolder + "/111122223333/" + archives[1]))
        try FileManager.default.removeItem(atPath: caseFolder + "/111122223333/" + archives[0])

        let verify = try CustodyBinary.run(["verify", caseFolder])
        #expect(verify.status == 1)
        #expect(verify.text.contains("member-changed: files/notes.md has changed"))
        #expect(verify.text.contains("chain-gap"))
        #expect(verify.text.contains("FAILED"))

        let json = try CustodyBinary.run(["verify", "--json", caseFolder])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: json.output) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        #expect(object["problemCount"] as? Int == 2)
    }

    @Test func verifyOutsideTheCaseNeedsTrust() throws {
        let sealed = try CustodyBinary.run(["seal", "--case", caseFolder, "--account", "111122223333", evidence])
        let archive = String(sealed.text.split(separator: "\n")[0])
        let loose = folder.file("loose.tar")
        try FileManager.default.copyItem(atPath: archive, toPath: loose)
        let untrusted = try CustodyBinary.run(["verify", loose])
        #expect(untrusted.status == 1)
        #expect(untrusted.text.contains("signer-untrusted"))
        let byFile = try CustodyBinary.run(["verify", loose, "--trust", caseFolder + "/.custody/case.key.pub"])
        #expect(byFile.status == 0, "\(byFile.text)")
        let fingerprint = try KeyFiles.readPublicKey(at: caseFolder + "/.custody/case.key.pub").fingerprint
        let byFingerprint = try CustodyBinary.run(["verify", loose, "--trust-fingerprint", fingerprint.uppercased()])
        #expect(byFingerprint.status == 0)
    }

    @Test func verifyOfAFolderThatHoldsNoEvidenceSaysSoInOneLine() throws {
        let other = folder.file("notes")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        for name in ["a.txt", "b.pdf", "c.json"] { _ = try folder.write("notes/" + name, Data("x".utf8)) }
        let run = try CustodyBinary.run(["verify", other])
        #expect(run.status == 1)
        #expect(run.text.contains("is neither a case folder, an account folder"))
        #expect(!run.text.contains("a.txt") && !run.text.contains("stray"), "\(run.text)")
        // An account's folder without its archives still names each file it holds.
        let account = folder.file("111122223333")
        try FileManager.default.createDirectory(atPath: account, withIntermediateDirectories: true)
        _ = try folder.write("111122223333/000001-renamed.txt", Data("x".utf8))
        let chain = try CustodyBinary.run(["verify", account])
        #expect(chain.status == 1)
        #expect(chain.text.contains("000001-renamed.txt"))
    }

    @Test func sameInputsAndClockSealTheSameBytes() throws {
        let other = folder.file("case2")
        #expect(
            try CustodyBinary.run(["seal", "--case", caseFolder, "--account", "111122223333", evidence]).status == 0)
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: caseFolder + "/.custody", toPath: other + "/.custody")
        #expect(try CustodyBinary.run(["seal", "--case", other, "--account", "111122223333", evidence]).status == 0)
        let name = "/111122223333/000001-20260921T141320Z.tar"
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: caseFolder + name))
                == Data(contentsOf: URL(fileURLWithPath: other + name)))
    }

    @Test func showListsMembersWithoutExtracting() throws {
        let sealed = try CustodyBinary.run([
            "seal", "--case", caseFolder, "--account", "111122223333", folder.file("evidence"),
        ])
        let archive = String(sealed.text.split(separator: "\n")[0])
        let show = try CustodyBinary.run(["show", archive])
        #expect(show.status == 0)
        #expect(show.text.contains("files/evidence/screens/one.txt"))
        #expect(show.text.contains("account     111122223333"))
        #expect(show.text.contains("not verified"))
        let json = try CustodyBinary.run(["show", "--json", archive])
        let object = try #require(try JSONSerialization.jsonObject(with: json.output) as? [String: Any])
        #expect((object["entries"] as? [Any])?.count == 7)
    }

    @Test func extractVerifiesFirst() throws {
        let sealed = try CustodyBinary.run(["seal", "--case", caseFolder, "--account", "111122223333", evidence])
        let archive = String(sealed.text.split(separator: "\n")[0])
        let out = folder.file("out")
        let extract = try CustodyBinary.run(["extract", archive, "--to", out])
        #expect(extract.status == 0, "\(extract.error)")
        #expect(try String(contentsOfFile: out + "/files/notes.md", encoding: .utf8) == "# what we saw\n")

        var data = try Data(contentsOf: URL(fileURLWithPath: archive))
        let range = try #require(data.range(of: Data("what we saw".utf8)))
        data[range.lowerBound] = UInt8(ascii: "W")
        try data.write(to: URL(fileURLWithPath: archive))
        let refused = try CustodyBinary.run(["extract", archive, "--to", folder.file("out2")])
        #expect(refused.status == 1)
        #expect(refused.error.contains("nothing was extracted"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("out2")))
    }
}

/// Wrong usage gets exit status 2 and one clear line naming what was wrong.
@Suite struct UsageErrorTests {
    @Test func missingKeyFile() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write("a.txt", Data("x".utf8))
        let run = try CustodyBinary.run([
            "seal", "--case", folder.file("case"), "--account", "111122223333", "--sign-key", folder.file("nope.key"),
            input,
        ])
        #expect(run.status == 2)
        #expect(run.error.contains("Cannot read key file \(folder.file("nope.key"))"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("case/111122223333")))
    }

    @Test func keyInAFormatItCannotUse() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write("a.txt", Data("x".utf8))
        let notAKey = try folder.write("key.pem", Data("ssh-ed25519 AAAAC3Nza... someone@host\n".utf8))
        let run = try CustodyBinary.run([
            "seal", "--case", folder.file("case"), "--account", "111122223333", "--sign-key", notAKey, input,
        ])
        #expect(run.status == 2)
        #expect(run.error.contains("holds no private key Custody can read"))

        let keygen = try CustodyBinary.run(["keygen", "--out", folder.file("k")])
        #expect(keygen.status == 0)
        let publicInstead = try CustodyBinary.run([
            "seal", "--case", folder.file("case"), "--account", "111122223333", "--sign-key", folder.file("k.pub"),
            input,
        ])
        #expect(publicInstead.status == 2)
        #expect(publicInstead.error.contains("is a public key"))
    }

    @Test
    func encryptedKeyAndWeakKey() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write("a.txt", Data("x".utf8))
        let encrypted = folder.file("enc.pem")
        try ExternalTool.openssl!.run([
            "genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "pass:pw", "-out", encrypted,
        ])
        let run = try CustodyBinary.run([
            "seal", "--case", folder.file("case"), "--account", "111122223333", "--sign-key", encrypted, input,
        ])
        #expect(run.status == 2)
        #expect(run.error.contains("encrypted with a passphrase"))
        let weak = folder.file("rsa1024.pem")
        try ExternalTool.openssl!.run([
            "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", weak,
        ])
        let weakRun = try CustodyBinary.run([
            "seal", "--case", folder.file("case"), "--account", "111122223333", "--sign-key", weak, input,
        ])
        #expect(weakRun.status == 2)
        #expect(weakRun.error.contains("1024 bits are too weak"))
    }

    @Test func unusableCaseFolder() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write("a.txt", Data("x".utf8))
        let file = try folder.write("not-a-folder", Data("x".utf8))
        let run = try CustodyBinary.run(["seal", "--case", file + "/case", "--account", "111122223333", input])
        #expect(run.status == 2)
        #expect(run.error.contains("Cannot create folder"))
        let verify = try CustodyBinary.run(["verify", folder.file("missing-case")])
        #expect(verify.status == 2)
        #expect(verify.error.contains("does not exist"))
    }

    @Test(arguments: [
        (["seal", "--case", "c", "--account", "12345", "x"], "is not an AWS account id"),
        (["seal", "--case", "c", "--account", "111122223333"], "Missing expected argument"),
        (["verify"], "Name an archive, an account folder or a case folder (--case) to verify."),
        (["verify", "x", "--trust-fingerprint", "abc"], "is not a SHA-256 fingerprint"),
        (["frobnicate"], "Unexpected argument"),
    ])
    func badArguments(arguments: [String], message: String) throws {
        let run = try CustodyBinary.run(arguments)
        #expect(run.status == 2)
        #expect(run.error.contains(message), "\(run.error)")
    }

    @Test func badClock() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write("a.txt", Data("x".utf8))
        let run = try CustodyBinary.run(
            ["seal", "--case", folder.file("case"), "--account", "111122223333", input],
            environment: ["SOURCE_DATE_EPOCH": "yesterday"])
        #expect(run.status == 2)
        #expect(run.error.contains("SOURCE_DATE_EPOCH"))
    }

    @Test func helpExplainsEachCommand() throws {
        for command in ["keygen", "seal", "verify", "show", "extract"] {
            let run = try CustodyBinary.run([command, "--help"])
            #expect(run.status == 0)
            #expect(run.text.contains("Example: custody \(command)"), "\(command)")
        }
    }
}

@Suite struct InterruptedSealTests {
    /// A seal killed part-way leaves a `.partial` file at most, never a `.tar` that could pass for evidence.
    @Test func aKilledSealLeavesNoArchive() throws {
        let folder = try TemporaryFolder()
        let big = folder.file("big.bin")
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: 3 << 30)
        try handle.close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CustodyBinary.tool.path)
        process.arguments = ["seal", "--case", folder.file("case"), "--account", "111122223333", big]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let account = folder.file("case/111122223333")
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: account)) ?? []
            if names.contains(where: { $0.hasSuffix(".partial") }) { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let names = try FileManager.default.contentsOfDirectory(atPath: account)
        #expect(!names.contains { $0.hasSuffix(".tar") })
        #expect(names.contains { $0.hasSuffix(".tar.partial") })
        let verify = try CustodyBinary.run(["verify", account])
        #expect(verify.status == 1)
        #expect(verify.text.contains("interrupted seal"))
        #expect(verify.text.contains("holds no archives"))
    }
}
