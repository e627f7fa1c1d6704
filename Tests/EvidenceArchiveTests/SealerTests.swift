import CustodyCrypto
import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

@Suite struct SealerTests {
    @Test func sealedArchiveVerifies() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["a.txt": "hello evidence", "logs/b.log": "line\n"], minutes: 0)
        #expect(result.archiveName == "000001-20260921T141320Z.tar")
        let verification = fixture.verifyArchive(result.archivePath)
        #expect(verification.problems == [])
        #expect(verification.manifestSHA256 == result.manifestSHA256)
        #expect(verification.signerTrustedBecause == "the test's own key")
    }

    @Test func membersStandInTheDocumentedOrder() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["z.txt": "z", "a.txt": "a"], minutes: 0)
        let names = try Tamper.members(of: result.archivePath).map(\.path)
        #expect(
            names == [
                "custody.json", "files/a.txt", "files/z.txt", "SHA256SUMS", "manifest.json", "manifest.json.sig",
                "signer.pub.pem",
            ])
    }

    @Test func chainsEachArchiveToThePreviousOne() throws {
        let fixture = try ArchiveFixture()
        let first = try fixture.seal(["a": "1"], minutes: 0)
        let second = try fixture.seal(["a": "2"], minutes: 1)
        #expect(first.manifest.chain.previous == nil)
        #expect(second.sequence == 2)
        #expect(second.manifest.chain.previous?.name == first.archiveName)
        #expect(second.manifest.chain.previous?.manifestSHA256 == first.manifestSHA256)
        let chain = try fixture.verifyChain()
        #expect(chain.ok, "\(chain.problems) \(chain.archives.flatMap(\.problems))")
        #expect(chain.tipManifestSHA256 == second.manifestSHA256)
    }

    @Test func sameInputsKeyAndClockGiveTheSameBytes() throws {
        let key = try PrivateKey.generate(.ed25519)
        let one = try ArchiveFixture(key: key)
        let two = try ArchiveFixture(key: key)
        _ = try one.caseFolder.prepare()
        try FileManager.default.createDirectory(atPath: two.caseFolder.root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: one.caseFolder.metadataPath, toPath: two.caseFolder.metadataPath)
        let files = ["a.txt": "alpha", "b/c.txt": String(repeating: "x", count: 100_000)]
        let first = try one.seal(files, minutes: 5)
        let second = try two.seal(files, minutes: 5)
        let bytesOne = try Data(contentsOf: URL(fileURLWithPath: first.archivePath))
        let bytesTwo = try Data(contentsOf: URL(fileURLWithPath: second.archivePath))
        #expect(bytesOne == bytesTwo)
        #expect(bytesOne.count % 512 == 0)
    }

    @Test func streamsFilesFromDisk() throws {
        let fixture = try ArchiveFixture()
        let big = try fixture.folder.write(
            "input/big.bin", Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        try fixture.folder.write("input/sub/small.txt", Data("small".utf8))
        let members = try SealMember.fromPaths([fixture.folder.file("input")])
        #expect(members.map(\.path) == ["files/input/big.bin", "files/input/sub/small.txt"])
        let request = SealRequest(
            account: ArchiveFixture.account, kind: .files, members: members,
            collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
            finishedAt: ArchiveFixture.epoch)
        let result = try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).seal(request)
        let listed = try #require(result.manifest.members.first { $0.path == "files/input/big.bin" })
        #expect(listed.size == 3_000_000)
        #expect(listed.sha256 == SHA256.hash(try Data(contentsOf: URL(fileURLWithPath: big))).hex)
        #expect(fixture.verifyArchive(result.archivePath).ok)
    }

    @Test func refusesUnsafeOrDuplicateNamesBeforeWriting() throws {
        let fixture = try ArchiveFixture()
        let sealer = Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key)
        for name in ["/etc/passwd", "files/../x", "files//x", "files/x\n", "manifest.json"] {
            let request = SealRequest(
                account: ArchiveFixture.account, kind: .files, members: [SealMember(path: name, source: .bytes([1]))],
                collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
                finishedAt: ArchiveFixture.epoch)
            #expect(throws: ArchiveError(.invalidMemberName, "")) { try sealer.seal(request) }
        }
        let twice = SealRequest(
            account: ArchiveFixture.account, kind: .files,
            members: [
                SealMember(path: "files/a", source: .bytes([1])), SealMember(path: "files/a", source: .bytes([2])),
            ],
            collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
            finishedAt: ArchiveFixture.epoch)
        #expect(throws: ArchiveError(.duplicateMember, "")) { try sealer.seal(twice) }
        #expect(!FileManager.default.fileExists(atPath: fixture.accountFolder))
    }

    @Test func aFailedSealLeavesNoArchive() throws {
        let fixture = try ArchiveFixture()
        let request = SealRequest(
            account: ArchiveFixture.account, kind: .files,
            members: [
                SealMember(path: "files/ok", source: .bytes([1])),
                SealMember(path: "files/gone", source: .file(fixture.folder.file("missing"))),
            ],
            collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
            finishedAt: ArchiveFixture.epoch)
        #expect(throws: ArchiveError(.inputUnreadable, "")) {
            try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).seal(request)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.accountFolder).filter { !$0.hasPrefix(".") }
                == [])
    }

    @Test func refusesSymbolicLinksAmongInputs() throws {
        let fixture = try ArchiveFixture()
        try fixture.folder.write("in/real.txt", Data("x".utf8))
        try FileManager.default.createSymbolicLink(
            atPath: fixture.folder.file("in/link"), withDestinationPath: "/etc/passwd")
        #expect(throws: ArchiveError(.inputUnreadable, "")) { try SealMember.fromPaths([fixture.folder.file("in")]) }
    }

    @Test func refusesAnAccountThatIsNotTwelveDigits() throws {
        let fixture = try ArchiveFixture()
        #expect(throws: ArchiveError(.invalidAccount, "")) {
            try fixture.seal(["a": "1"], minutes: 0, account: "12345")
        }
    }

    @Test func namesThatDifferOnlyInUnicodeFormAreTwoMembers() throws {
        // Not through fixture.seal: a Swift dictionary takes the two names as one key.
        let fixture = try ArchiveFixture()
        let request = SealRequest(
            account: ArchiveFixture.account, kind: .files,
            members: [
                SealMember(path: "files/caf\u{E9}.txt", source: .bytes(Array("composed".utf8))),
                SealMember(path: "files/cafe\u{301}.txt", source: .bytes(Array("decomposed".utf8))),
            ],
            collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
            finishedAt: ArchiveFixture.epoch)
        let result = try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).seal(request)
        #expect(result.manifest.members.count == 4)
        #expect(fixture.verifyArchive(result.archivePath).ok)
        let target = fixture.folder.file("out")
        let extracted = try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extract(
            result.archivePath, to: target)
        #expect(extracted.written.count == 7)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: target + "/files/cafe\u{301}.txt")) == Data("decomposed".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/files/caf\u{E9}.txt")) == Data("composed".utf8))
    }

    @Test func keepsNonASCIINames() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["notes-é-日本.txt": "x"], minutes: 0)
        #expect(fixture.verifyArchive(result.archivePath).ok)
        #expect(try Tamper.members(of: result.archivePath).contains { $0.path == "files/notes-é-日本.txt" })
    }
}
