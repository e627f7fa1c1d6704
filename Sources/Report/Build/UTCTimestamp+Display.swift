import CustodyJSON

extension UTCTimestamp {
    /// `2026-11-29 03:04:05Z`: how tables show a time from evidence. A text that is no valid
    /// timestamp is shown as written, so a report never shows a time the evidence does not hold.
    static func display(_ text: String?) -> String? {
        guard let text else { return nil }
        guard let timestamp = UTCTimestamp(parsing: text) else { return text }
        return timestamp.iso8601.replacingOccurrences(of: "T", with: " ")
    }
}
