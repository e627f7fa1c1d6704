public import CustodyCrypto
import CustodyJSON
import Foundation

/// A case folder: one chain of archives per account, and the case's own metadata in `.custody/`.
///
/// ```
/// <case>/.custody/case.json       the case id
/// <case>/.custody/case.key.pub    the case signing key's public half; its fingerprint is what others should trust
///                                 (the private half lives in the user's `KeyStore`, never in the case)
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
    /// `<case>/.custody/case.key`: where older versions kept the case's private key, moved out on first use.
    public var caseKeyPath: String { joinPath(metadataPath, "case.key") }
    /// `<case>/.custody/case.key.pub`.
    public var caseKeyPublicPath: String { caseKeyPath + ".pub" }
    /// The folder of an account's chain.
    public func accountPath(_ account: String) -> String { joinPath(root, account) }

    /// Whether `path` looks like a case folder (it has `.custody/`).
    public static func isCaseFolder(_ path: String) -> Bool {
        isDirectory(joinPath(path, metadataFolder))
    }

    /// The case folder `path` belongs to as Custody lays one out: the case folder itself, one of
    /// its account folders (`CASE/ACCOUNT`), or an archive of one (`CASE/ACCOUNT/NNNNNN-….tar`).
    /// Anything else, such as a file in a folder below which a `.custody` folder was planted, has none.
    public static func owning(_ path: String) -> CaseFolder? {
        var absolute = path.hasPrefix("/") ? path : joinPath(FileManager.default.currentDirectoryPath, path)
        absolute = (absolute as NSString).standardizingPath
        if isDirectory(absolute) {
            if isCaseFolder(absolute) { return CaseFolder(root: absolute) }
            let parent = parentPath(of: absolute)
            return ArchiveLayout.isAccountId(lastComponent(of: absolute)) && isCaseFolder(parent)
                ? CaseFolder(root: parent) : nil
        }
        let account = parentPath(of: absolute)
        let root = parentPath(of: account)
        guard ArchiveLayout.sequence(inArchiveName: lastComponent(of: absolute)) != nil,
            ArchiveLayout.isAccountId(lastComponent(of: account)), isCaseFolder(root)
        else { return nil }
        return CaseFolder(root: root)
    }

    /// Why a case's own key is trusted, said every time it is.
    static func caseKeyReason(_ root: String) -> String {
        "a key found in the case folder \(root), trusted because no --trust or --trust-fingerprint was given; "
            + "it proves the archives were not changed since sealing only if its fingerprint matches the one printed when the case was made"
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

    /// The case key: its public half is `case.key.pub` in the case, its private half is kept in
    /// `store`, outside the case. Made on first use; a private key an older Custody left inside the
    /// case (`.custody/case.key`) is moved into the store.
    /// - Returns: the key, whether it was made now, and where a key was moved from, if one was.
    /// - Throws: `ArchiveError.Code.caseKeyUnavailable` when the case has a public key whose private
    ///   half is not in `store` (a copy of a case made elsewhere).
    public func loadOrCreateCaseKey(in store: KeyStore) throws -> (key: PrivateKey, created: Bool, movedFrom: String?) {
        if pathExists(caseKeyPath) {
            let key = try KeyFiles.readPrivateKey(at: caseKeyPath)
            try store.keep(key)
            if !pathExists(caseKeyPublicPath) { try KeyFiles.writePublicKey(key.publicKey, to: caseKeyPublicPath) }
            guard unlink(caseKeyPath) == 0 else {
                throw ArchiveError(
                    .writeFailed, "Cannot remove \(caseKeyPath) after keeping it in \(store.root): \(errnoText()).")
            }
            return (key, false, caseKeyPath)
        }
        if let publicKey = try casePublicKey() {
            guard let key = try store.key(fingerprint: publicKey.fingerprint) else {
                throw ArchiveError(
                    .caseKeyUnavailable,
                    "The signing key of case \(root) (fingerprint \(publicKey.fingerprint)) is not in \(store.root): this copy of the case can be verified but not signed. Pass --sign-key KEY, or copy the key from where the case was made to \(store.path(for: publicKey.fingerprint)) (mode 0600)."
                )
            }
            return (key, false, nil)
        }
        try makeDirectories(metadataPath, mode: 0o700)
        let key = try PrivateKey.generate(.ed25519)
        try store.keep(key)
        try KeyFiles.writePublicKey(key.publicKey, to: caseKeyPublicPath)
        return (key, true, nil)
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
