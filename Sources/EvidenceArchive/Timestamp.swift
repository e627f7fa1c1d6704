public import Foundation

/// UTC timestamps in the two forms archives use, whole seconds only.
///
/// Formatted by hand rather than with a `DateFormatter`, whose output depends on the locale and
/// calendar of the machine; evidence must read the same wherever it was sealed.
public enum Timestamp {
    /// ISO 8601 with a `Z`: `2026-11-29T00:12:00Z`.
    public static func iso8601(_ date: Date) -> String {
        let parts = components(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    /// The compact form used in archive names: `20261129T001200Z`.
    public static func compact(_ date: Date) -> String {
        let parts = components(date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    /// Parses `2026-11-29T00:12:00Z` (fractional seconds and `+00:00` accepted).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private static func components(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let seconds = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: seconds)
        return (parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }
}
