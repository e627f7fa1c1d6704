import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Extracts a verified archive, writing only inside the target folder.
///
/// The archive is opened once and read once: verification hands each member's bytes, as it hashes
/// them, to files in a staging folder (0700) inside the target, and only when everything verifies
/// (every member listed in the manifest, nothing else) are they moved into place. A file swapped
/// in at the archive's path meanwhile is never read; an archive that does not verify leaves the
/// target as it was. Files are created relative to the staging folder with `openat`, never
/// following a link and never replacing a file.
public struct Extractor: Sendable {
    /// Verifies while extracting.
    public var verifier: ArchiveVerifier
    /// Runs once the archive has verified, before anything is moved into the target, with the
    /// folder the members were written to (a seam for tests).
    var afterVerifying: (@Sendable (String) throws -> Void)?

    /// Makes an extractor.
    public init(verifier: ArchiveVerifier) {
        self.verifier = verifier
    }

    /// Extracts `archive` into `target`, which must be missing or empty.
    /// - Returns: the verification and the members written.
    /// - Throws: `ArchiveError` with `.verificationFailed` (nothing written) or `.extractTargetUnusable`.
    public func extract(_ archive: String, to target: String) throws -> (
        verification: ArchiveVerification, written: [String]
    ) {
        let source = try openArchive(archive)
        let made = try makeMissingFolders(target)
        do {
            guard try directoryEntries(target).isEmpty else {
                throw ArchiveError(
                    .extractTargetUnusable, "\(target) is not empty; extract into a new or empty folder.")
            }
            let root = try openFolder(target)
            let staging = ".custody-extract-" + UUID().uuidString.lowercased()
            guard mkdirat(root.raw, staging, 0o700) == 0 else {
                throw ArchiveError(.extractTargetUnusable, "Cannot make a staging folder in \(target): \(errnoText()).")
            }
            do {
                let stagingFolder = try openFolder(joinPath(target, staging))
                let files = MemberFiles(root: stagingFolder, fileMode: 0o644, directoryMode: 0o755)
                let verification = try verified(archive, source, into: files)
                try afterVerifying?(joinPath(target, staging))
                for name in files.topLevel { try move(name, from: stagingFolder, to: root, target: target) }
                unlinkat(root.raw, staging, AT_REMOVEDIR)
                return (verification, files.written.map(\.description))
            } catch {
                try? FileManager.default.removeItem(atPath: joinPath(target, staging))
                throw error
            }
        } catch {
            for folder in made.reversed() { rmdir(folder) }
            throw error
        }
    }

    /// Verifies `archive` and extracts it into a new private folder (0700, files 0600) in the
    /// temporary directory (or `parent`), in one read; the folder goes when the result is released.
    /// - Throws: `ArchiveError` with `.verificationFailed` (nothing kept) or `.extractTargetUnusable`.
    public func extractPrivately(_ archive: String, in parent: String? = nil) throws -> ExtractedArchive {
        let source = try openArchive(archive)
        let folder = try PrivateFolder(prefix: "custody-evidence-", in: parent)
        let files = MemberFiles(root: folder.descriptor, fileMode: 0o600, directoryMode: 0o700)
        let verification = try verified(archive, source, into: files)
        try afterVerifying?(folder.path)
        guard let manifest = verification.manifest else {
            throw ArchiveError(.verificationFailed, "\(archive) has no manifest.")
        }
        return ExtractedArchive(
            archive: archive, verification: verification, manifest: manifest,
            members: files.written.map(\.description), folder: folder)
    }

    /// Verifies what `source` reads, writing each member to `files` as it is hashed; throws unless
    /// it verifies and every member written is one the manifest lists.
    private func verified(_ archive: String, _ source: FileDescriptor, into files: MemberFiles) throws
        -> ArchiveVerification
    {
        let verification = try verifier.verify(source, path: archive, sink: files)
        guard verification.ok, let manifest = verification.manifest else { throw refusal(archive, verification) }
        let listed = Set((manifest.members.map(\.path) + ArchiveLayout.trailingMembers).map(MemberName.init))
        if let unlisted = files.written.first(where: { !listed.contains($0) }) {
            throw ArchiveError(
                .verificationFailed,
                "\(archive) holds \(unlisted), which its manifest does not list; nothing was extracted.")
        }
        return verification
    }

    private func refusal(_ archive: String, _ verification: ArchiveVerification) -> ArchiveError {
        ArchiveError(
            .verificationFailed,
            "\(archive) does not verify, so nothing was extracted:\n"
                + verification.problems.map { "  \($0)" }.joined(separator: "\n"))
    }

    /// The archive, open: the only time it is opened.
    private func openArchive(_ archive: String) throws -> FileDescriptor {
        do {
            return try FileDescriptor.openForReading(archive)
        } catch {
            var verification = ArchiveVerification(path: archive)
            verification.add(.unreadable, "\(archive) cannot be opened: \(error).")
            throw refusal(archive, verification)
        }
    }

    private func openFolder(_ path: String) throws -> FileDescriptor {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError(.extractTargetUnusable, "Cannot open \(path): \(errnoText()).") }
        return FileDescriptor(raw: fd)
    }

    /// Makes `path` and any missing parent, returning those it made, outermost first.
    private func makeMissingFolders(_ path: String) throws -> [String] {
        var missing: [String] = []
        var current = path
        while !pathExists(current) {
            missing.insert(current, at: 0)
            let parent = parentPath(of: current)
            if parent == current { break }
            current = parent
        }
        for folder in missing where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw ArchiveError(.extractTargetUnusable, "Cannot create folder \(folder): \(errnoText()).")
        }
        return missing
    }

    /// Moves `name` from the staging folder into the target, never over something already there:
    /// a file by `linkat`, which refuses an existing name, a folder by `renameat`, which cannot
    /// replace a file or a folder that holds anything.
    private func move(_ name: String, from staging: FileDescriptor, to root: FileDescriptor, target: String) throws {
        var info = stat()
        guard fstatat(staging.raw, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw ArchiveError(.extractTargetUnusable, "Cannot find \(name) in the staging folder: \(errnoText()).")
        }
        let appeared = ArchiveError(
            .extractTargetUnusable, "\(name) appeared in \(target) during extraction; it was not replaced.")
        if info.st_mode & S_IFMT == S_IFREG {
            if linkat(staging.raw, name, root.raw, name, 0) == 0 {
                unlinkat(staging.raw, name, 0)
                return
            }
            if errno == EEXIST { throw appeared }
            // A file system without hard links: check, then rename.
        }
        if fstatat(root.raw, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { throw appeared }
        guard renameat(staging.raw, name, root.raw, name) == 0 else {
            throw ArchiveError(.extractTargetUnusable, "Cannot move \(name) into \(target): \(errnoText()).")
        }
    }
}
