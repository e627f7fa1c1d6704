/// An archive verified and extracted in one read into a private folder (0700, files 0600), which
/// is removed when the value is released.
///
/// The manifest is the one verification read and checked, never one read back from the folder,
/// and every file in the folder holds the bytes verification hashed.
public final class ExtractedArchive: Sendable {
    /// The archive's path.
    public let archive: String
    /// How it verified (it did).
    public let verification: ArchiveVerification
    /// Its verified manifest.
    public let manifest: Manifest
    /// The members written, in archive order.
    public let members: [String]
    /// Where they were written.
    public let folder: PrivateFolder

    init(
        archive: String, verification: ArchiveVerification, manifest: Manifest, members: [String], folder: PrivateFolder
    ) {
        self.archive = archive
        self.verification = verification
        self.manifest = manifest
        self.members = members
        self.folder = folder
    }

    /// Where `member` was written.
    public func path(of member: String) -> String { joinPath(folder.path, member) }
}
