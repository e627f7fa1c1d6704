import CustodyJSON
import Foundation

/// Times as CloudTrail writes them inside STS and IAM responses: RFC 3339, or an English date
/// (`Jul 30, 2024, 9:53:13 PM`, `Tue Jul 30 21:53:13 UTC 2024`).
package enum EventTime {
    /// The English styles, read in UTC; RFC 3339 goes to `UTCTimestamp`.
    private static let formatters: [DateFormatter] = [
        "MMM d, yyyy, h:mm:ss a", "MMM d, yyyy h:mm:ss a", "EEE MMM dd HH:mm:ss zzz yyyy",
    ].map { format in
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    private static let lock = NSLock()
    /// English texts already parsed: a log repeats the same few expiration times thousands of
    /// times, and a `DateFormatter` takes microseconds. Guarded by `lock`; emptied when it grows large.
    nonisolated(unsafe) private static var parsed: [String: Int64?] = [:]

    /// Seconds since 1970 for any of the styles, or `nil`.
    package static func seconds(_ text: String) -> Int64? {
        if let timestamp = UTCTimestamp(parsing: text) { return timestamp.seconds }
        lock.lock()
        defer { lock.unlock() }
        if let known = parsed[text] { return known }
        var seconds: Int64?
        for formatter in formatters {
            if let date = formatter.date(from: text) {
                // A year of many digits parses too; beyond `Int64` it is no time at all.
                seconds = EvidenceSeconds.whole(date.timeIntervalSince1970)
                break
            }
        }
        if parsed.count >= 65_536 { parsed.removeAll(keepingCapacity: true) }
        parsed[text] = seconds
        return seconds
    }
}
