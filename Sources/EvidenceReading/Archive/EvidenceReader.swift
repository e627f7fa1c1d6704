public import EvidenceArchive
import Evidence
import Foundation

/// Reads verified archives for the analyses (`diff`, `hunt`) and reports: archives, account
/// folders (their chain) or case folders (every account). Every archive must verify; inside a
/// case folder the case key is trusted, elsewhere the signer must be in `trust`.
public struct EvidenceReader: Sendable {
    /// Signers trusted besides a case's own key.
    public var trust: TrustStore
    /// The most one gzip CloudTrail member may expand to; reading it stops there, and the
    /// report's notes say so.
    public var decompressedSizeLimit: DecompressedSizeLimit
    /// The `eventName`s whose whole record `events(_:)` keeps (`EventLog.record(at:)`); the other
    /// events keep their row alone.
    public var recordsKept: Set<String>

    /// Makes a reader.
    public init(
        trust: TrustStore, decompressedSizeLimit: DecompressedSizeLimit = .standard, recordsKept: Set<String> = []
    ) {
        self.trust = trust
        self.decompressedSizeLimit = decompressedSizeLimit
        self.recordsKept = recordsKept
    }

    /// The archives of `archive`'s chain, found beside it, whose sequence lies strictly between `low` and `high`.
    package func chainArchives(after low: Int, before high: Int, beside archive: VerifiedArchive) throws
        -> [VerifiedArchive]
    {
        let (gap, overflow) = high.subtractingReportingOverflow(low)
        guard low < high, overflow || gap > 1 else { return [] }
        let folder = (archive.path as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return try names.sorted().compactMap { name -> VerifiedArchive? in
            guard let sequence = ArchiveLayout.sequence(inArchiveName: name), sequence > low, sequence < high else {
                return nil
            }
            let found = try VerifiedArchive(path: (folder as NSString).appendingPathComponent(name), trust: trust)
            return found.manifest.account == archive.manifest.account ? found : nil
        }
    }

    package static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The archives a path names: itself, an account folder's chain, or a case folder's chains.
    package static func expand(_ path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        if CaseFolder.isCaseFolder(path) {
            let caseFolder = CaseFolder(root: path)
            return try caseFolder.accounts().flatMap { try expand(caseFolder.accountPath($0)) }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        return names.filter { ArchiveLayout.sequence(inArchiveName: $0) != nil }
            .sorted { ArchiveLayout.sequence(inArchiveName: $0)! < ArchiveLayout.sequence(inArchiveName: $1)! }
            .map { (path as NSString).appendingPathComponent($0) }
    }
}
