import CustodyJSON
import CustodyTestSupport
import Evidence
import Foundation
import Testing
@testable import Diff
@testable import EvidenceArchive
import EvidenceReading

/// Diff, hunt and report read evidence from one verified read of each archive, kept where only
/// their owner can read it and removed when done.
@Suite struct VerifiedArchiveTests {
    let folder: TemporaryFolder
    let caseFolder: CaseFolder
    let archive: String

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = CaseFolder(root: folder.file("case"))
        let key = try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key
        let members = try SnapshotLayout.members(of: ScenarioDiffTests.before).map {
            SealMember(path: $0.path, source: .bytes($0.bytes))
        }
        archive = try Sealer(caseFolder: caseFolder, signingKey: key).seal(
            SealRequest(
                account: ScenarioDiffTests.account, kind: .evidence, members: members,
                collector: Manifest.Collector(version: "test", accessKeyId: ScenarioDiffTests.collectorKey),
                startedAt: Date(timeIntervalSince1970: 1_790_000_000),
                finishedAt: Date(timeIntervalSince1970: 1_790_000_000))
        ).archivePath
    }

    /// A manifest.json rewritten on disk after verification (to make the intruder's key the
    /// collector's, whose calls hunt sets aside) is never what diff, hunt and report believe.
    @Test func theManifestIsTheOneVerifiedNotTheCopyOnDisk() throws {
        let verified = try VerifiedArchive(path: archive, trust: TrustStore()) { extractor in
            extractor.afterVerifying = { folder in
                let path = folder + "/manifest.json"
                let forged = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
                    .replacingOccurrences(of: ScenarioDiffTests.collectorKey, with: ScenarioDiffTests.leaked)
                try FileManager.default.removeItem(atPath: path)
                try Data(forged.utf8).write(to: URL(fileURLWithPath: path))
            }
        }
        #expect(verified.manifest.collector.accessKeyId == ScenarioDiffTests.collectorKey)
        #expect(verified.collector.accessKeyId == ScenarioDiffTests.collectorKey)
    }

    @Test func evidenceIsExtractedWhereOnlyItsOwnerCanReadIt() throws {
        let verified = try VerifiedArchive(path: archive, trust: TrustStore())
        let manager = FileManager.default
        #expect(try manager.attributesOfItem(atPath: verified.folder)[.posixPermissions] as? Int == 0o700)
        let member = try #require(verified.manifest.members.first { $0.path.hasPrefix(SnapshotLayout.prefix) }?.path)
        #expect(
            try manager.attributesOfItem(atPath: verified.folder + "/" + member)[.posixPermissions] as? Int == 0o600)
        #expect(try manager.attributesOfItem(atPath: verified.folder + "/snapshot")[.posixPermissions] as? Int == 0o700)
    }

    @Test func theFolderGoesWithTheArchive() throws {
        var verified: VerifiedArchive? = try VerifiedArchive(path: archive, trust: TrustStore())
        let path = try #require(verified?.folder)
        #expect(FileManager.default.fileExists(atPath: path))
        verified = nil
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
