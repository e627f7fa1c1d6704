import CustodyCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Extracts a verified archive, writing only inside the target folder.
///
/// The archive is verified first and not extracted when any problem is found. Extraction then
/// reads it again and re-checks every hash while writing; files are created relative to the
/// target with `openat`, never following a link and never replacing a file, so neither a member
/// name nor something already in the folder can send a write outside it.
public struct Extractor: Sendable {
    /// Verifies before extracting.
    public var verifier: ArchiveVerifier

    /// Makes an extractor.
    public init(verifier: ArchiveVerifier) {
        self.verifier = verifier
    }

    /// Extracts `archive` into `target`, which must be missing or empty.
    /// - Returns: the verification and the members written.
    /// - Throws: `ArchiveError` with `.verificationFailed` (nothing written) or `.extractTargetUnusable`.
    public func extract(_ archive: String, to target: String) throws -> (verification: ArchiveVerification, written: [String]) {
        let verification = verifier.verify(archive)
        guard verification.ok, let manifest = verification.manifest else {
            throw ArchiveError(
                .verificationFailed,
                "\(archive) does not verify, so nothing was extracted:\n"
                    + verification.problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        try makeDirectories(target)
        guard try directoryEntries(target).isEmpty else {
            throw ArchiveError(.extractTargetUnusable, "\(target) is not empty; extract into a new or empty folder.")
        }
        let root = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw ArchiveError(.extractTargetUnusable, "Cannot open \(target): \(errnoText()).") }
        let rootDescriptor = FileDescriptor(raw: root)
        var expected: [MemberName: String] = [:]
        for member in manifest.members { expected[MemberName(member.path)] = member.sha256 }
        var written: [String] = []
        do {
            let reader = RawTarReader(descriptor: try FileDescriptor.openForReading(archive))
            while let entry = try reader.next() {
                // Verification already refused anything that is not a safe, regular, listed member.
                guard entry.kind == .regular, entry.name.problem == nil, let path = entry.name.text else {
                    throw ArchiveError(.verificationFailed, "\(archive) changed during extraction (member \(entry.name)).")
                }
                let file = try createFile(path, in: rootDescriptor)
                written.append(path)
                var hasher = SHA256()
                try reader.readData { buffer in
                    hasher.update(buffer)
                    try file.writeAll(buffer)
                }
                if let sha = expected[entry.name], sha != hasher.finalize().hex {
                    throw ArchiveError(.verificationFailed, "\(archive) changed during extraction: \(path) no longer matches.")
                }
            }
        } catch {
            for path in written.reversed() { unlinkat(root, path, 0) }
            throw error
        }
        return (verification, written)
    }

    /// Creates `path` (and its folders) under `root` without following links or replacing files.
    private func createFile(_ path: String, in root: FileDescriptor) throws -> FileDescriptor {
        let components = path.split(separator: "/").map(String.init)
        var directory = dup(root.raw)
        defer { close(directory) }
        for component in components.dropLast() {
            if mkdirat(directory, component, 0o755) != 0 && errno != EEXIST {
                throw ArchiveError(.extractTargetUnusable, "Cannot create folder for \(path): \(errnoText()).")
            }
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                throw ArchiveError(.extractTargetUnusable, "Refusing to write \(path): \(component) is not a plain folder (\(errnoText())).")
            }
            close(directory)
            directory = next
        }
        let fd = openat(directory, components.last!, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ArchiveError(.extractTargetUnusable, "Cannot create \(path): \(errnoText()).")
        }
        return FileDescriptor(raw: fd)
    }
}
