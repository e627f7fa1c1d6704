import CustodyCrypto
import Evidence
#if canImport(Glibc)
    import Glibc
#endif

/// A file read from start to end once, hashed on the way, so the SHA-256 in the summary is of
/// the very bytes that were parsed.
final class HashedFile {
    let path: String
    private let descriptor: Int32
    private var hasher = SHA256()
    /// Bytes read so far.
    private(set) var count: Int64 = 0

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CollectError(.inputUnreadable, "Cannot open \(path): \(String(cString: strerror(errno))).")
        }
    }

    deinit { close(descriptor) }

    /// Reads the next bytes; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let read = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if read > 0 {
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<read]))
                count += Int64(read)
                return read
            }
            if read == 0 { return 0 }
            if errno != EINTR {
                throw CollectError(.inputUnreadable, "Cannot read \(path): \(String(cString: strerror(errno))).")
            }
        }
    }

    /// Reads what is left, so the hash covers the whole file, and returns the digest.
    func finish() throws -> String {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while try read(into: buffer) > 0 {}
        return hasher.finalize().hex
    }
}

/// Bytes read ahead to look at, handed out again before the rest of their source.
final class ReplayingInput: CloudTrailByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    private let rest: (UnsafeMutableRawBufferPointer) throws -> Int

    init(prefix: [UInt8], rest: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.prefix = prefix
        self.rest = rest
    }

    /// Reads up to `count` bytes from `input` into an array, fewer only at its end.
    static func readAhead(_ count: Int, from input: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try bytes.withUnsafeMutableBytes {
                try input(UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            if read == 0 { break }
            filled += read
        }
        bytes.removeLast(count - filled)
        return bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < prefix.count {
            let count = min(buffer.count, prefix.count - offset)
            prefix.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            offset += count
            if offset == prefix.count {
                prefix = []
                offset = 0
            }
            return count
        }
        return try rest(buffer)
    }
}
