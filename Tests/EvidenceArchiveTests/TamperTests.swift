import CustodyCrypto
import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// Every way an archive can be altered is found and named.
@Suite struct TamperTests {
    let fixture: ArchiveFixture
    let archive: String

    init() throws {
        fixture = try ArchiveFixture()
        archive = try fixture.seal(["a.txt": "hello evidence", "b.txt": "second member"], minutes: 0).archivePath
    }

    @Test func changedMemberBytes() throws {
        try Tamper.flipByte(in: archive, at: "hello evidence")
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.memberChanged])
        #expect(result.problems.first?.member == "files/a.txt")
    }

    @Test func missingMember() throws {
        try Tamper.rewrite(archive) { $0.removeAll { $0.path == "files/b.txt" } }
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.memberMissing])
        #expect(result.problems.first?.member == "files/b.txt")
    }

    @Test func extraMember() throws {
        try Tamper.rewrite(archive) {
            $0.insert(Tamper.Member(path: "files/planted.txt", bytes: Array("x".utf8)), at: 2)
        }
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.memberUnexpected])
        #expect(result.problems.first?.member == "files/planted.txt")
    }

    @Test func reorderedMembers() throws {
        try Tamper.rewrite(archive) { $0.swapAt(1, 2) }
        #expect(fixture.verifyArchive(archive).codes == [.membersReordered])
    }

    @Test func editedManifest() throws {
        try Tamper.rewrite(archive) { members in
            let index = members.firstIndex { $0.path == "manifest.json" }!
            let text = String(decoding: members[index].bytes, as: UTF8.self)
            members[index].bytes = Array(
                text.replacingOccurrences(of: "\"kind\":\"files\"", with: "\"kind\":\"evidence\"").utf8)
        }
        #expect(fixture.verifyArchive(archive).codes == [.signatureInvalid])
    }

    @Test func manifestEditedToMatchAnAlteredMember() throws {
        // Changing a member and its hash in the manifest still breaks the signature.
        try Tamper.rewrite(archive) { members in
            let memberIndex = members.firstIndex { $0.path == "files/a.txt" }!
            let old = SHA256.hash(members[memberIndex].bytes).hex
            members[memberIndex].bytes = Array("forged".utf8)
            let new = SHA256.hash(members[memberIndex].bytes).hex
            let index = members.firstIndex { $0.path == "manifest.json" }!
            let text = String(decoding: members[index].bytes, as: UTF8.self)
                .replacingOccurrences(of: old, with: new).replacingOccurrences(of: "\"size\":14", with: "\"size\":6")
            members[index].bytes = Array(text.utf8)
        }
        let codes = fixture.verifyArchive(archive).codes
        #expect(codes.contains(.signatureInvalid))
        #expect(codes.contains(.sumsMismatch))
    }

    @Test func removedSignature() throws {
        try Tamper.rewrite(archive) { $0.removeAll { $0.path == "manifest.json.sig" } }
        let codes = fixture.verifyArchive(archive).codes
        #expect(codes.contains(.signatureMissing))
        #expect(codes.contains(.memberMissing) == false)
    }

    @Test func replacedSignature() throws {
        try Tamper.rewrite(archive) { members in
            let index = members.firstIndex { $0.path == "manifest.json.sig" }!
            members[index].bytes = [UInt8](repeating: 7, count: 64)
        }
        #expect(fixture.verifyArchive(archive).codes == [.signatureInvalid])
    }

    @Test func resignedByAnotherKey() throws {
        let intruder = try PrivateKey.generate(.ed25519)
        try Tamper.rewrite(archive) { members in
            let index = members.firstIndex { $0.path == "manifest.json" }!
            let text = String(decoding: members[index].bytes, as: UTF8.self)
                .replacingOccurrences(of: fixture.key.publicKey.fingerprint, with: intruder.publicKey.fingerprint)
            members[index].bytes = Array(text.utf8)
            members[index + 1].bytes = try intruder.signature(for: members[index].bytes)
            members[index + 2].bytes = Array(try intruder.publicKey.pemString().utf8)
        }
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.signerUntrusted])
        #expect(result.problems.first?.message.contains(intruder.publicKey.fingerprint) == true)
    }

    @Test func signerKeySwappedWithoutResigning() throws {
        let other = try PrivateKey.generate(.ed25519)
        try Tamper.rewrite(archive) { members in
            members[members.count - 1].bytes = Array(try other.publicKey.pemString().utf8)
        }
        let codes = fixture.verifyArchive(archive).codes
        #expect(codes.contains(.signerMismatch))
        #expect(codes.contains(.signatureInvalid))
        #expect(codes.contains(.signerUntrusted))
    }

    @Test func memberRenamedToAnotherUnicodeFormIsAnotherMember() throws {
        let composed = "files/caf\u{E9}.txt"
        let decomposed = "files/cafe\u{301}.txt"
        #expect(composed == decomposed, "Swift strings compare by canonical equivalence; names must not")
        let fixture = try ArchiveFixture()
        let archive = try fixture.seal(["caf\u{E9}.txt": "latte"], minutes: 0).archivePath
        try Tamper.rewrite(archive) { members in
            let index = try #require(members.firstIndex { Array($0.path.utf8) == Array(composed.utf8) })
            members[index].path = decomposed
        }

        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.memberMissing, .memberUnexpected])
        #expect(
            result.problems.compactMap(\.member).map { Array($0.utf8) }
                == [composed, decomposed].map { Array($0.utf8) })
    }

    /// GNU tar writes names as they are (bsdtar would normalise this one back, hiding the rename).
    @Test
    func sha256sumAgreesThatARenamedUnicodeFormIsMissing() throws {
        let fixture = try ArchiveFixture()
        let archive = try fixture.seal(["caf\u{E9}.txt": "latte"], minutes: 0).archivePath
        try Tamper.rewrite(archive) { members in
            let index = try #require(members.firstIndex { $0.path.utf8.contains(0xC3) })
            members[index].path = "files/cafe\u{301}.txt"
        }
        let out = fixture.folder.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        #expect(try ExternalTool("tar")!.run(["-xf", archive, "-C", out]).status == 0)
        #expect(try ExternalTool("sha256sum")!.run(["-c", "SHA256SUMS"], directory: out).status != 0)
        #expect(!fixture.verifyArchive(archive).ok)
    }

    enum SignerPadding: String, CaseIterable {
        case textBefore, textAfter, secondKey, blankLine, carriageReturns
    }

    @Test(arguments: SignerPadding.allCases)
    func signerKeyFileHoldingMoreThanItsPEMBlock(_ padding: SignerPadding) throws {
        let pem = try fixture.key.publicKey.pemString()
        let other = try PrivateKey.generate(.ed25519).publicKey.pemString()
        try Tamper.rewrite(archive) { members in
            let index = try #require(members.firstIndex { $0.path == "signer.pub.pem" })
            let text: String
            switch padding {
            case .textBefore: text = "Trust this key; it is ours.\n" + pem
            case .textAfter: text = pem + "<!-- not a key -->\n"
            case .secondKey: text = pem + other
            case .blankLine: text = pem + "\n"
            case .carriageReturns: text = pem.replacingOccurrences(of: "\n", with: "\r\n")
            }
            members[index].bytes = Array(text.utf8)
        }
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.signerKeyMissing])
        #expect(result.problems.first?.message.contains("exactly") == true)
        #expect(result.signerFingerprint == fixture.key.publicKey.fingerprint, "the key itself is still checked")
    }

    @Test func untrustedSigner() {
        let result = fixture.verifyArchive(archive, trust: TrustStore())
        #expect(result.codes == [.signerUntrusted])
    }

    @Test(arguments: [0.5, 0.9, 0.99])
    func truncatedFile(fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: archive))
        let cut = Int(Double(data.count) * fraction) / 512 * 512 + (fraction == 0.5 ? 100 : 0)
        try data.prefix(cut).write(to: URL(fileURLWithPath: archive))
        #expect(fixture.verifyArchive(archive).codes.contains(.truncated))
    }

    @Test func fileThatIsNotATar() throws {
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 13 + 5) }).write(to: URL(fileURLWithPath: archive))
        #expect(fixture.verifyArchive(archive).codes == [.notATar])
        try Data().write(to: URL(fileURLWithPath: archive))
        #expect(fixture.verifyArchive(archive).codes == [.notATar])
    }

    @Test func oneProblemNeverHidesAnother() throws {
        try Tamper.rewrite(archive) { members in
            members.removeAll { $0.path == "files/b.txt" }
            members.insert(Tamper.Member(path: "files/planted.txt", bytes: [1]), at: 1)
            members.swapAt(0, 1)
        }
        try Tamper.flipByte(in: archive, at: "hello evidence")
        let codes = fixture.verifyArchive(archive).codes
        #expect(codes.isSuperset(of: [.memberChanged, .memberMissing, .memberUnexpected, .formatMarker]))
    }
}
