import CustodyCrypto
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

/// Rewrites a tar member by member, for building tampered archives.
enum Tamper {
    struct Member {
        var path: String
        var bytes: [UInt8]
    }

    static func members(of path: String) throws -> [Member] {
        let reader = try TarReader(path: path)
        var members: [Member] = []
        while let entry = try reader.nextEntry() {
            var bytes: [UInt8] = []
            try reader.readData { bytes.append(contentsOf: $0) }
            members.append(Member(path: entry.path, bytes: bytes))
        }
        return members
    }

    /// Rewrites `path` with the members `edit` leaves, keeping the archive's own writer settings.
    static func rewrite(_ path: String, _ edit: (inout [Member]) throws -> Void) throws {
        var members = try members(of: path)
        try edit(&members)
        let temporary = path + ".rewrite"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let writer = try TarWriter(fileDescriptor: fd)
        for member in members { try writer.addFile(path: member.path, bytes: member.bytes, mtime: 1_790_000_000) }
        try writer.finish()
        close(fd)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// Flips one byte of the first occurrence of `marker` in the file's raw bytes.
    static func flipByte(in path: String, at marker: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let range = try #require(data.range(of: Data(marker.utf8)))
        data[range.lowerBound] ^= 0x20
        try data.write(to: URL(fileURLWithPath: path))
    }
}

extension ArchiveVerification {
    var codes: Set<VerificationProblem.Code> { Set(problems.map(\.code)) }
}

extension ChainVerification {
    var codes: Set<VerificationProblem.Code> { Set(problems.map(\.code)) }
}
