/// Where a `CloudTrailReader` gets its bytes: a file, a decompressor, memory.
public protocol CloudTrailByteSource {
    /// Reads up to `buffer.count` bytes into `buffer` and returns how many; 0 means the end.
    /// - Throws: when the bytes cannot be read; the reader reports it as an `unreadable` issue.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes in memory, as a source.
public struct CloudTrailBytes: CloudTrailByteSource, Sendable {
    /// The bytes.
    public let bytes: [UInt8]
    private var offset = 0

    /// A source that yields `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
