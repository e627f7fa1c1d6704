#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The text of the current `errno`.
func errnoText() -> String { String(cString: strerror(errno)) }

/// An open file descriptor, closed when released.
package final class FileDescriptor {
    let raw: Int32

    init(raw: Int32) { self.raw = raw }

    /// Opens `path` for reading.
    package static func openForReading(_ path: String) throws -> FileDescriptor {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ArchiveError(.inputUnreadable, "Cannot open \(path): \(errnoText()).")
        }
        return FileDescriptor(raw: fd)
    }

    /// The file's size and type.
    func status() throws -> stat {
        var info = stat()
        guard fstat(raw, &info) == 0 else {
            throw ArchiveError(.inputUnreadable, "Cannot stat a file: \(errnoText()).")
        }
        return info
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(raw, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw ArchiveError(.inputUnreadable, "Reading failed: \(errnoText()).")
        }
    }

    /// Writes all of `bytes`.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(raw, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw ArchiveError(.writeFailed, "Writing failed: \(errnoText()).")
            }
            offset += count
        }
    }

    deinit { close(raw) }
}

/// Reads a whole small file, refusing more than `limit` bytes.
func readSmallFile(_ path: String, limit: Int) throws -> [UInt8] {
    let fd = try FileDescriptor.openForReading(path)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
        if count == 0 { return bytes }
        bytes += chunk.prefix(count)
        if bytes.count > limit {
            throw ArchiveError(.inputUnreadable, "\(path) is larger than \(limit) bytes, more than such a file can be.")
        }
    }
}

/// Whether `path` exists (without following a final symbolic link).
func pathExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// Whether `path` is a directory (following links).
func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// The names in a directory, sorted bytewise, without `.` and `..`.
func directoryEntries(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else {
        throw ArchiveError(.inputUnreadable, "Cannot list \(path): \(errnoText()).")
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
}

/// Makes a directory and its parents, like `mkdir -p`.
func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
    if isDirectory(path) { return }
    let parent = parentPath(of: path)
    if parent != path && !parent.isEmpty { try makeDirectories(parent, mode: mode) }
    if mkdir(path, mode) != 0 && errno != EEXIST {
        throw ArchiveError(.caseFolderUnusable, "Cannot create folder \(path): \(errnoText()).")
    }
}

/// The path without its last component.
func parentPath(of path: String) -> String {
    var trimmed = path
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
}

/// The last component of a path.
func lastComponent(of path: String) -> String {
    var trimmed = path
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
    return String(trimmed[trimmed.index(after: slash)...])
}

/// Joins path components with `/`.
func joinPath(_ base: String, _ rest: String...) -> String {
    rest.reduce(base) { $0.hasSuffix("/") ? $0 + $1 : $0 + "/" + $1 }
}

/// Flushes a directory entry to disk, so a rename inside it survives a crash.
func syncDirectory(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
}
