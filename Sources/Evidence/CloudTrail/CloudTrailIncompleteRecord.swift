/// A record read whole that lacks an essential member (`CloudTrailRecord.missingEssentials`): it
/// is kept like any other record, and named so a responder knows which records the rules could
/// not judge whole.
public struct CloudTrailIncompleteRecord: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The file, as the caller named it.
    public var file: String
    /// Where the record (or the envelope holding it) starts.
    public var position: CloudTrailPosition
    /// What it lacks, never empty.
    public var missing: [CloudTrailRecord.EssentialMember]

    /// Makes a record of an incomplete record.
    public init(file: String, position: CloudTrailPosition, missing: [CloudTrailRecord.EssentialMember]) {
        self.file = file
        self.position = position
        self.missing = missing
    }

    /// `logs/a.json:12: record 3, byte 2048: incomplete, no eventTime or eventName`, the way
    /// `CloudTrailParseIssue` names a place.
    public var description: String {
        "\(file):\(position.line): record \(position.record), byte \(position.byte): incomplete, no "
            + Self.list(missing.map(\.rawValue))
    }

    /// `a`, `a or b`, `a, b or c`.
    static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}
