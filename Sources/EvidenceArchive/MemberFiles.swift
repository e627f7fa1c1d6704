#if canImport(Glibc)
    import Glibc
#endif

/// Writes members as files under a folder opened as `root`, relative to it with `openat`: never
/// following a link, never replacing a file, so neither a member name nor anything already in the
/// folder can send a write outside it.
final class MemberFiles: MemberSink {
    private let root: FileDescriptor
    private let fileMode: mode_t
    private let directoryMode: mode_t
    private var file: FileDescriptor?
    /// Every member written, in order.
    private(set) var written: [MemberName] = []

    /// Writes under `root`, files with `fileMode` and folders with `directoryMode` (the umask applies).
    init(root: FileDescriptor, fileMode: mode_t, directoryMode: mode_t) {
        self.root = root
        self.fileMode = fileMode
        self.directoryMode = directoryMode
    }

    func begin(_ name: MemberName) throws {
        // Verification hands over only safe names, which are UTF-8.
        guard let path = name.text, name.problem == nil else {
            throw ArchiveError(.extractTargetUnusable, "Refusing to write member '\(name)': its name is unsafe.")
        }
        file = try create(path)
        written.append(name)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try file?.writeAll(bytes)
    }

    func end() throws {
        file = nil
    }

    /// The first component of each member written, in order, once each: what lies directly in the folder.
    var topLevel: [String] {
        var seen = Set<MemberName>()
        return written.compactMap { name in
            let first = MemberName(bytes: Array(name.bytes.prefix { $0 != UInt8(ascii: "/") }))
            return seen.insert(first).inserted ? first.description : nil
        }
    }

    /// Creates `path` (and its folders) under the root without following links or replacing files.
    private func create(_ path: String) throws -> FileDescriptor {
        let components = path.split(separator: "/").map(String.init)
        var directory = dup(root.raw)
        defer { close(directory) }
        for component in components.dropLast() {
            if mkdirat(directory, component, directoryMode) != 0 && errno != EEXIST {
                throw ArchiveError(.extractTargetUnusable, "Cannot create a folder for \(path): \(errnoText()).")
            }
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                throw ArchiveError(
                    .extractTargetUnusable,
                    "Refusing to write \(path): \(component) is not a plain folder (\(errnoText())).")
            }
            close(directory)
            directory = next
        }
        let fd = openat(directory, components.last!, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw ArchiveError(.extractTargetUnusable, "Cannot create \(path): \(errnoText()).") }
        return FileDescriptor(raw: fd)
    }
}
