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
        coverage: [Manifest.CoverageEntry] = [], windows: [Manifest.CloudTrailWindow]? = nil
    ) throws -> SealResult {
        let time = Self.epoch.addingTimeInterval(TimeInterval(minutes * 60))
        let members = files.keys.sorted().map {
            SealMember(path: "files/" + $0, source: .bytes(Array(files[$0]!.utf8)))
        }
        let request = SealRequest(
            account: account, kind: .files, members: members, collector: Manifest.Collector(version: "test"),
            startedAt: time, finishedAt: time, cloudTrailWindow: window, regions: ["us-east-1"], coverage: coverage,
            cloudTrailWindows: windows)
        return try Sealer(caseFolder: caseFolder, signingKey: key).seal(request)
    }

    /// A LookupEvents window of `region` asked for `[from, to)` (hours after midnight of 2026-09-18),
    /// read completely from `since` (by default `from`), settled at `settled` (by default `to`).
    static func window(
        _ region: String, _ from: Int, _ to: Int, since: Int? = nil, settled: Int? = nil,
        status: Manifest.CoverageStatus = .complete
    ) -> Manifest.CloudTrailWindow {
        let read = status == .complete || status == .partial
        return Manifest.CloudTrailWindow(
            source: .lookup, region: region, status: status, requested: .init(from: hour(from), to: hour(to)),
            since: read ? hour(since ?? from) : nil, until: read ? hour(to) : nil,
            settledUntil: read ? hour(settled ?? to) : nil)
    }

    /// `2026-09-18T00:00:00Z` plus `hours`.
    static func hour(_ hours: Int) -> String {
        Timestamp.iso8601(Date(timeIntervalSince1970: 1_789_689_600 + TimeInterval(hours * 3600)))
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
