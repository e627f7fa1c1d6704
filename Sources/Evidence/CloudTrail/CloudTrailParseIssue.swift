/// A part of a file that could not be read as a CloudTrail record. The rest of the file is still read.
public struct CloudTrailParseIssue: Codable, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Codable, Hashable, Sendable {
        /// The text is not JSON (RFC 8259, UTF-8).
        case invalidJSON = "invalid-json"
        /// The text ends inside a record: the file was cut short.
        case truncated
        /// Well-formed JSON that is not a CloudTrail record, such as a string or an object with none
        /// of `eventVersion`, `eventTime`, `eventSource`, `eventName` and `eventID`.
        case notARecord = "not-a-record"
        /// A LookupEvents event or envelope whose record cannot be read.
        case invalidEnvelope = "invalid-envelope"
        /// A record larger than the reader's limit.
        case tooLarge = "too-large"
        /// The bytes could not be read or decompressed from this point on.
        case unreadable
    }

    /// The file, as the caller named it.
    public var file: String
    /// Where the record (or the unreadable part) starts.
    public var position: CloudTrailPosition
    /// What kind of problem it is.
    public var kind: Kind
    /// What is wrong, in a sentence fragment.
    public var reason: String

    /// Makes an issue.
    public init(file: String, position: CloudTrailPosition, kind: Kind, reason: String) {
        self.file = file
        self.position = position
        self.kind = kind
        self.reason = reason
    }

    /// `logs/a.json:12: record 3, byte 2048: reason`, the way compilers name a place.
    public var description: String {
        "\(file):\(position.line): record \(position.record), byte \(position.byte): \(reason)"
    }
}
