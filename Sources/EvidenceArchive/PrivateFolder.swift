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
        // Made and recorded in one step: a signal's `removeAll()` never falls between the two.
        let made = Self.live.insert {
            guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { return nil }
            return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        guard let made else {
            throw ArchiveError(
                .extractTargetUnusable,
                "Cannot make a private folder in \(parent): \(errnoText()); set TMPDIR to a writable folder.")
        }
        path = made
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errnoText()
            Self.remove(path)
            throw ArchiveError(.extractTargetUnusable, "Cannot open the private folder \(path): \(reason).")
        }
        descriptor = FileDescriptor(raw: fd)
    }

    deinit { Self.remove(path) }

    /// Removes every private folder the process still holds. For a signal handler that runs on a
    /// thread (not in signal context), just before the process ends.
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

    /// Runs `make` and records the path it returns, if any, under the lock, so `drain()` sees
    /// either no folder or a recorded one.
    func insert(_ make: () -> String?) -> String? {
        lock.withLock {
            let path = make()
            if let path { paths.insert(path) }
            return path
        }
    }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }

    func drain() -> Set<String> {
        lock.withLock {
            defer { paths.removeAll() }
            return paths
        }
    }
}
