/// Where a record starts in the text of a file (after decompression, for gzip files).
public struct CloudTrailPosition: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The record's place in the file, from 1: array elements and top-level values each count
    /// one, whether or not they parse; blank lines do not count.
    public var record: Int
    /// The line the record starts on, from 1.
    public var line: Int
    /// The offset of the record's first byte, from 0.
    public var byte: Int64

    /// Makes a position.
    public init(record: Int, line: Int, byte: Int64) {
        self.record = record
        self.line = line
        self.byte = byte
    }

    /// `line 12, record 3, byte 2048`.
    public var description: String { "line \(line), record \(record), byte \(byte)" }
}
