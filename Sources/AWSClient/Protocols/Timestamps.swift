import CustodyJSON
import Foundation

/// Reads the timestamp forms AWS sends: ISO 8601 with or without fractional seconds (XML, REST-JSON),
/// epoch seconds (JSON 1.1), and RFC 7231 dates (headers).
enum Timestamps {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let seconds = Double(trimmed) { return Date(timeIntervalSince1970: seconds) }
        if let date = iso8601(trimmed) { return date }
        return httpDate(trimmed)
    }

    /// RFC 3339, and the variants some services send: no zone (`2014-03-21T16:42:16`, read as UTC)
    /// or a space for the `T`.
    static func iso8601(_ text: String) -> Date? {
        UTCTimestamp(parsing: text, allowing: [.zoneless, .spaceSeparator])?.date
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
