import Foundation
import Testing
@testable import EvidenceArchive

/// A manifest's `kind` is one of the kinds Custody writes, spelled as before; a kind only a later
/// version writes is kept as spelled, and its archive still verifies.
@Suite struct ManifestKindTests {
    @Test(arguments: zip(["files", "evidence", "cloudtrail", "report"], Manifest.Kind.known))
    func decodesEachKindCustodyWrites(spelling: String, kind: Manifest.Kind) throws {
        let decoded = try JSONDecoder().decode(Manifest.Kind.self, from: Data("\"\(spelling)\"".utf8))
        #expect(decoded == kind)
        #expect(decoded.isKnown)
        #expect(String(decoding: try JSONEncoder().encode(kind), as: UTF8.self) == "\"\(spelling)\"")
    }

    @Test func keepsAnUnknownKindAsSpelled() throws {
        let decoded = try JSONDecoder().decode(Manifest.Kind.self, from: Data(#""memory-image""#.utf8))
        #expect(decoded.rawValue == "memory-image")
        #expect(!decoded.isKnown)
        #expect(!Manifest.Kind.known.contains(decoded))
        #expect("\(decoded)" == "memory-image")
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #""memory-image""#)
    }

    @Test func archiveOfAnUnknownKindVerifiesAndSaysItsKind() throws {
        let fixture = try ArchiveFixture()
        let time = ArchiveFixture.epoch
        let request = SealRequest(
            account: ArchiveFixture.account, kind: Manifest.Kind(rawValue: "memory-image"),
            members: [SealMember(path: "memory/host.lime", source: .bytes([1, 2, 3]))],
            collector: Manifest.Collector(version: "test"), startedAt: time, finishedAt: time)
        let sealed = try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).seal(request)
        let verification = fixture.verifyArchive(sealed.archivePath)
        #expect(verification.ok, "\(verification.problems)")
        #expect(verification.kind?.rawValue == "memory-image")
        #expect(verification.manifest?.kind.isKnown == false)
    }
}
