import CustodyCrypto
import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// Archives are checked with the tools a stranger would use: bsdtar, GNU tar, sha256sum, openssl, Python.
@Suite struct InteropTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test
    func bsdtarListsPlainFilesOwnedByRoot() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["a.txt": "alpha", "notes-é.txt": "beta"], minutes: 0)
        let listing = try ExternalTool.bsdtar!.run(["-tvf", result.archivePath])
        #expect(listing.status == 0, "\(listing.error)")
        let lines = listing.text.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines.allSatisfy { $0.hasPrefix("-rw-r--r--  0 0      0 ") })
        #expect(listing.text.contains("files/notes-é.txt"))
    }

    @Test
    func aNameInDecomposedFormIsWrittenAsItIsSoSha256sumFindsIt() throws {
        let fixture = try ArchiveFixture()
        let name = "files/cafe\u{301}.txt"
        let request = SealRequest(
            account: ArchiveFixture.account, kind: .files,
            members: [SealMember(path: name, source: .bytes(Array("latte".utf8)))],
            collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
            finishedAt: ArchiveFixture.epoch)
        let result = try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).seal(request)
        let out = fixture.folder.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let extract = try ExternalTool("tar")!.run(["-xf", result.archivePath, "-C", out])
        #expect(extract.status == 0, "\(extract.error)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out + "/files").map { Array($0.utf8) } == [
                Array("cafe\u{301}.txt".utf8)
            ])
        let check = try ExternalTool("sha256sum")!.run(["-c", "SHA256SUMS"], directory: out)
        #expect(check.status == 0, "\(check.text) \(check.error)")
        #expect(fixture.verifyArchive(result.archivePath).ok)
    }

    @Test
    func pythonReadsAPaxTarWithTheSameMembers() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["a.txt": "alpha", "notes-é.txt": "beta"], minutes: 0)
        let script = """
            import sys, tarfile, hashlib, json
            with tarfile.open(sys.argv[1]) as t:
                print(json.dumps([[m.name, m.size, m.mode, m.uid, m.gid, m.mtime, m.isreg(),
                                   hashlib.sha256(t.extractfile(m).read()).hexdigest()] for m in t.getmembers()]))
            """
        let run = try ExternalTool.python3!.run(["-c", script, result.archivePath])
        #expect(run.status == 0, "\(run.error)")
        let rows = try JSONSerialization.jsonObject(with: run.output) as! [[Any]]
        let listed = result.manifest.members
        #expect(rows.count == listed.count + 3)
        for (row, member) in zip(rows, listed) {
            #expect(row[0] as? String == member.path)
            #expect(row[7] as? String == member.sha256)
            #expect(row[2] as? Int == 0o644 && row[3] as? Int == 0 && row[4] as? Int == 0)
            #expect(row[5] as? Int == 1_790_000_000)
        }
    }

    @Test
    func everyManifestMatchesTheSchema() throws {
        let fixture = try ArchiveFixture()
        var manifests: [[UInt8]] = []
        let first = try fixture.seal(["a": "1"], minutes: 0)
        let second = try fixture.seal(
            ["b/c.txt": "2"], minutes: 1, window: .init(from: "2026-09-20T00:00:00Z", to: "2026-09-21T00:00:00Z"),
            coverage: [
                .init(source: "iam", item: "ListUsers", status: .complete),
                .init(
                    source: "ec2", region: "eu-west-1", item: "DescribeInstances", status: .denied,
                    error: "AccessDenied"),
            ])
        for result in [first, second] {
            let trailer = try ArchiveTrailer.read(result.archivePath)
            manifests.append(try #require(trailer.manifestBytes))
        }
        let folder = try TemporaryFolder()
        var paths: [String] = []
        for (index, bytes) in manifests.enumerated() { paths.append(try folder.write("m\(index).json", bytes)) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for path in sys.argv[2:]:
                jsonschema.validate(json.load(open(path)), schema, cls=jsonschema.Draft202012Validator)
            print("valid", len(sys.argv) - 2)
            """
        let run = try ExternalTool.python3!.run(
            ["-c", script, Self.repositoryRoot + "/Schemas/manifest.schema.json"] + paths)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text == "valid 2\n")
    }

    /// The shell block of Docs/verifying-by-hand.md, run as the document says.
    static func manualCheckScript() throws -> String {
        let document = try String(contentsOfFile: repositoryRoot + "/Docs/verifying-by-hand.md", encoding: .utf8)
        let start = try #require(document.range(of: "```sh\n"))
        let end = try #require(document.range(of: "```", range: start.upperBound..<document.endIndex))
        return String(document[start.upperBound..<end.lowerBound])
    }

    func runManualCheck(_ archive: String, fingerprint: String) throws -> ExternalTool.Result {
        try ExternalTool(path: "/bin/sh").run(
            ["-c", try Self.manualCheckScript()], environment: ["ARCHIVE": archive, "FINGERPRINT": fingerprint])
    }

    @Test
    func theDocumentedManualCheckPassesOnASealedArchive() throws {
        let fixture = try ArchiveFixture(key: try PrivateKey.generate(.ecdsaP256))
        let result = try fixture.seal(["a.txt": "hello evidence", "dir/b.txt": "more"], minutes: 0)
        let run = try runManualCheck(result.archivePath, fingerprint: fixture.key.publicKey.fingerprint)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text.hasSuffix("archive verified\n"))
    }

    enum ManualTamper: String, CaseIterable {
        case memberBytes, manifestEdited, memberAdded, memberRemoved, reordered, wrongSigner
    }

    @Test(arguments: ManualTamper.allCases)
    func theDocumentedManualCheckFailsOnTampering(_ tamper: ManualTamper) throws {
        let fixture = try ArchiveFixture()
        let archive = try fixture.seal(["a.txt": "hello evidence", "b.txt": "more"], minutes: 0).archivePath
        var fingerprint = fixture.key.publicKey.fingerprint
        switch tamper {
        case .memberBytes: try Tamper.flipByte(in: archive, at: "hello evidence")
        case .manifestEdited:
            try Tamper.rewrite(archive) { members in
                let index = members.firstIndex { $0.path == "manifest.json" }!
                members[index].bytes = Array(
                    String(decoding: members[index].bytes, as: UTF8.self).replacingOccurrences(
                        of: "files", with: "filez"
                    ).utf8)
            }
        case .memberAdded: try Tamper.rewrite(archive) { $0.insert(.init(path: "files/x", bytes: [1]), at: 1) }
        case .memberRemoved: try Tamper.rewrite(archive) { $0.removeAll { $0.path == "files/b.txt" } }
        case .reordered: try Tamper.rewrite(archive) { $0.swapAt(1, 2) }
        case .wrongSigner: fingerprint = try PrivateKey.generate(.ed25519).publicKey.fingerprint
        }
        let run = try runManualCheck(archive, fingerprint: fingerprint)
        #expect(run.status != 0, "\(tamper) passed the manual check")
        // Custody agrees.
        #expect(!fixture.verifyArchive(archive, trust: tamper == .wrongSigner ? TrustStore() : fixture.trust).ok)
    }

    @Test
    func theDocumentedChainCheckLinksTwoArchives() throws {
        let fixture = try ArchiveFixture()
        let first = try fixture.seal(["a": "1"], minutes: 0)
        let second = try fixture.seal(["a": "2"], minutes: 1)
        let document = try String(contentsOfFile: Self.repositoryRoot + "/Docs/verifying-by-hand.md", encoding: .utf8)
        let blocks = document.components(separatedBy: "```sh\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        let chainScript = try #require(blocks.first { $0.contains("link verified") })
        let run = try ExternalTool(path: "/bin/sh").run(
            ["-c", chainScript], environment: ["PREVIOUS": first.archivePath, "CURRENT": second.archivePath])
        #expect(run.text == "link verified\n")
        let broken = try ExternalTool(path: "/bin/sh").run(
            ["-c", chainScript], environment: ["PREVIOUS": second.archivePath, "CURRENT": second.archivePath])
        #expect(broken.status != 0)
    }

    @Test
    func theDocumentedCoverageCheckNamesEachHole() throws {
        let fixture = try ArchiveFixture()
        try fixture.seal(
            ["a": "1"], minutes: 0,
            windows: [ArchiveFixture.window("us-east-1", 0, 24), ArchiveFixture.window("eu-west-1", 0, 24)])
        try fixture.seal(
            ["a": "2"], minutes: 1,
            windows: [ArchiveFixture.window("us-east-1", 24, 48), ArchiveFixture.window("eu-west-1", 30, 48)])
        let document = try String(contentsOfFile: Self.repositoryRoot + "/Docs/verifying-by-hand.md", encoding: .utf8)
        let blocks = document.components(separatedBy: "```sh\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        let script = try #require(blocks.first { $0.contains("hole in") })
        let run = try ExternalTool(path: "/bin/sh").run(
            ["-c", script], environment: ["ACCOUNT": fixture.accountFolder])
        #expect(run.text == "hole in eu-west-1 from 2026-09-19T00:00:00Z to 2026-09-19T06:00:00Z\n", "\(run.error)")
        #expect(try !fixture.verifyChain().ok, "custody verify names the same hole")
    }
}
