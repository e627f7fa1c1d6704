import CustodyCrypto
import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// A case folder with a signing key, for sealing test archives at fixed times.
struct ArchiveFixture {
    static let account = "111122223333"
    static let epoch = Date(timeIntervalSince1970: 1_790_000_000)

    let folder: TemporaryFolder
    let caseFolder: CaseFolder
    let key: PrivateKey

    init(key: PrivateKey? = nil) throws {
        folder = try TemporaryFolder()
        caseFolder = CaseFolder(root: folder.file("case"))
        self.key = try key ?? PrivateKey.generate(.ed25519)
    }

    /// Trusts the fixture's key.
    var trust: TrustStore {
        var store = TrustStore()
        store.trust(key.publicKey, source: "test", reason: "the test's own key")
        return store
    }

    var accountFolder: String { caseFolder.accountPath(Self.account) }

    /// Seals `files` (name → content) as the next archive, `minutes` after the epoch.
    @discardableResult
    func seal(
        _ files: [String: String], minutes: Int, window: Manifest.TimeWindow? = nil, account: String = account,
        coverage: [Manifest.CoverageEntry] = []
    ) throws -> SealResult {
        let time = Self.epoch.addingTimeInterval(TimeInterval(minutes * 60))
        let members = files.keys.sorted().map { SealMember(path: "files/" + $0, source: .bytes(Array(files[$0]!.utf8))) }
        let request = SealRequest(
            account: account, kind: "files", members: members, collector: Manifest.Collector(version: "test"),
            startedAt: time, finishedAt: time, cloudTrailWindow: window, regions: ["us-east-1"], coverage: coverage)
        return try Sealer(caseFolder: caseFolder, signingKey: key).seal(request)
    }

    func verifyArchive(_ path: String, trust: TrustStore? = nil) -> ArchiveVerification {
        ArchiveVerifier(trust: trust ?? self.trust).verify(path)
    }

    func verifyChain() throws -> ChainVerification {
        try ChainVerifier(archiveVerifier: ArchiveVerifier(trust: trust)).verify(folder: accountFolder)
    }
}

extension ArchiveVerification {
    var codes: Set<VerificationProblem.Code> { Set(problems.map(\.code)) }
}

extension ChainVerification {
    var codes: Set<VerificationProblem.Code> { Set(problems.map(\.code)) }
}
