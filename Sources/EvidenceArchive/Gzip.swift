/// gzip (RFC 1952) through libarchive: streaming decompression of files and bytes, and a
/// deterministic compressor.
///
/// Reading accepts several members one after another (`cat a.gz b.gz`) and checks the CRC-32 and
/// length in the trailer, which libarchive 3.6 skips: a damaged file is an error, never silently
/// wrong data. Writing puts no file name and a zero time in the header, so the same bytes always
/// compress to the same output.
public enum Gzip {
    /// Whether `prefix` starts like gzip data (`1f 8b 08`, deflate).
    public static func hasMagic(_ prefix: some Collection<UInt8>) -> Bool {
        prefix.starts(with: [0x1f, 0x8b, 0x08])
    }

    /// Compresses `bytes` deterministically.
    /// - Throws: `ArchiveError` when libarchive fails.
    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let writer = try Writer()
        try writer.write(bytes)
        try writer.finish()
        return writer.output
    }

    /// Decompresses gzip data, refusing more than `limit` bytes of output.
    /// - Throws: `ArchiveError` when the data is not gzip, is damaged, or is larger than `limit`.
    public static func decompress(_ bytes: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        let reader = try Reader(bytes: bytes)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { return output }
            guard output.count + count <= limit else {
                throw ArchiveError(
                    .readFailed, "The gzip data holds more than \(limit) bytes, more than accepted here.")
            }
            output += chunk.prefix(count)
        }
    }
}
