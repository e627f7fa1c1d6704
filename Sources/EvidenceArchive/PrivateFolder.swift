import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A folder only its owner can enter (0700), made new in the temporary directory and removed with
/// everything in it when released, or by `removeAll()` when the process is told to stop: where
/// `diff`, `hunt` and `report` extract verified evidence.
///
/// A process killed outright (SIGKILL, a crash) leaves the folder behind, still 0700.
public final class PrivateFolder: @unchecked Sendable {
    // Immutable after init, so sharing it across threads is safe.
    /// The folder's path.
    public let path: String
    /// The folder, open.
    let descriptor: FileDescriptor

    /// Makes `<parent>/<prefix>XXXXXX`, mode 0700, with a name no other process can take; the
    /// parent is the temporary directory (`TMPDIR`) unless given.
    /// - Throws: `ArchiveError` `.extractTargetUnusable` when it cannot be made.
    public init(prefix: String, in parent: String? = nil) throws {
        let parent = parent ?? NSTemporaryDirectory()
        var template = Array(joinPath(parent, prefix + "XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ArchiveError(
                .extractTargetUnusable,
                "Cannot make a private folder in \(parent): \(errnoText()); set TMPDIR to a writable folder.")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errnoText()
            rmdir(path)
            throw ArchiveError(.extractTargetUnusable, "Cannot open the private folder \(path): \(reason).")
        }
        descriptor = FileDescriptor(raw: fd)
        Self.live.insert(path)
    }

    deinit { Self.remove(path) }

    /// Removes every private folder the process still holds. For a signal handler that runs on a
    /// queue (not in signal context), just before the process ends.
    public static func removeAll() {
        for path in live.drain() { removeTree(path) }
    }

    private static func remove(_ path: String) {
        live.remove(path)
        removeTree(path)
    }

    private static func removeTree(_ path: String) {
        // removeItem does not follow links: a link inside is removed, not what it points to. A file
        // another thread was creating meanwhile is taken by the next pass: none can be made in a
        // folder already removed.
        for _ in 0..<3 where pathExists(path) { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The folders made and not yet removed: what `removeAll()` must remove when the process is
    /// stopped, since no deinit runs then.
    private static let live = LiveFolders()
}

/// A set of paths shared across threads.
private final class LiveFolders: @unchecked Sendable {
    // Guarded by `lock`.
    private var paths = Set<String>()
    private let lock = NSLock()

    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }

    func drain() -> Set<String> {
        lock.withLock {
            defer { paths.removeAll() }
            return paths
        }
    }
}
