public import CustodyCrypto
import CustodyJSON
import Foundation

/// A case folder: one chain of archives per account, and the case's own metadata in `.custody/`.
///
/// ```
/// <case>/.custody/case.json       the case id
/// <case>/.custody/case.key        the case signing key (PKCS#8 PEM, 0600), made on first use
/// <case>/.custody/case.key.pub    its public key; its fingerprint is what others should trust
/// <case>/<account-id>/000001-20261129T001200Z.tar
/// ```
public struct CaseFolder: Sendable {
    /// The folder's path.
    public let root: String

    /// The name of the metadata folder.
    public static let metadataFolder = ".custody"

    /// A case folder at `root`; nothing is read or created yet.
    public init(root: String) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
    }

    /// `<case>/.custody`.
    public var metadataPath: String { joinPath(root, CaseFolder.metadataFolder) }
    /// `<case>/.custody/case.key`.
    public var caseKeyPath: String { joinPath(metadataPath, "case.key") }
    /// `<case>/.custody/case.key.pub`.
    public var caseKeyPublicPath: String { caseKeyPath + ".pub" }
    /// The folder of an account's chain.
    public func accountPath(_ account: String) -> String { joinPath(root, account) }

    /// Whether `path` looks like a case folder (it has `.custody/`).
    public static func isCaseFolder(_ path: String) -> Bool {
        isDirectory(joinPath(path, metadataFolder))
    }

    /// The case folder that contains `path` (an archive or account folder), if any.
    public static func enclosing(_ path: String) -> CaseFolder? {
        var current = path
        for _ in 0..<3 {
            if isDirectory(current) && isCaseFolder(current) { return CaseFolder(root: current) }
            let parent = parentPath(of: current)
            if parent == current { return nil }
            current = parent
        }
        return nil
    }

    /// Creates the folder and its metadata when missing, and returns the case id: the recorded
    /// one, or `newCaseId` (a random UUID unless given) for a new case.
    /// - Throws: `ArchiveError.Code.caseFolderUnusable` when the folder cannot be created or read.
    public func prepare(newCaseId: String? = nil) throws -> String {
        try makeDirectories(root)
        try makeDirectories(metadataPath, mode: 0o700)
        let casePath = joinPath(metadataPath, "case.json")
        if pathExists(casePath) {
            let bytes = try readSmallFile(casePath, limit: 65536)
            guard let record = try? JSONDecoder().decode(CaseRecord.self, from: Data(bytes)) else {
                throw ArchiveError(
                    .caseFolderUnusable, "\(casePath) is not a case record; it should hold {\"caseId\": …}.")
            }
            return record.caseId
        }
        let record = CaseRecord(format: "custody-case", version: 1, caseId: newCaseId ?? UUID().uuidString.lowercased())
        try writeFileAtomically(CanonicalJSON.encode(record), to: casePath, mode: 0o644)
        return record.caseId
    }

    /// The case id recorded in the folder, without creating anything; `nil` when there is none.
    public func existingCaseId() -> String? {
        let casePath = joinPath(metadataPath, "case.json")
        guard pathExists(casePath), let bytes = try? readSmallFile(casePath, limit: 65536) else { return nil }
        return (try? JSONDecoder().decode(CaseRecord.self, from: Data(bytes)))?.caseId
    }

    /// The case key, made (and flagged as new) when it does not exist yet.
    public func loadOrCreateCaseKey() throws -> (key: PrivateKey, created: Bool) {
        if pathExists(caseKeyPath) {
            return (try KeyFiles.readPrivateKey(at: caseKeyPath), false)
        }
        try makeDirectories(metadataPath, mode: 0o700)
        let key = try PrivateKey.generate(.ed25519)
        try KeyFiles.write(key, to: caseKeyPath, force: false)
        return (key, true)
    }

    /// The case's public key, when the case has one.
    public func casePublicKey() throws -> PublicKey? {
        guard pathExists(caseKeyPublicPath) else { return nil }
        return try KeyFiles.readPublicKey(at: caseKeyPublicPath)
    }

    /// The account folders of the case (12-digit names), sorted.
    public func accounts() throws -> [String] {
        try directoryEntries(root).filter { ArchiveLayout.isAccountId($0) && isDirectory(joinPath(root, $0)) }
    }

    private struct CaseRecord: Codable {
        var format: String
        var version: Int
        var caseId: String
    }
}

/// Writes bytes to a temporary sibling, then renames it into place.
///
/// Whatever is already at the sibling's name (a leftover, or a link planted to redirect the
/// write) is removed, not followed: the file is created new, and never through a link.
func writeFileAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
    let temporary = path + ".partial"
    unlink(temporary)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else {
        throw ArchiveError(
            .writeFailed,
            "Cannot create \(temporary) to write \(path): \(errnoText()); remove whatever is there and retry.")
    }
    let handle = FileDescriptor(raw: fd)
    try bytes.withUnsafeBytes { try handle.writeAll($0) }
    fsync(fd)
    guard rename(temporary, path) == 0 else {
        throw ArchiveError(.writeFailed, "Cannot write \(path): \(errnoText()).")
    }
}
