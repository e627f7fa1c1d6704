import CustodyJSON
public import Foundation

/// UTC timestamps in the two forms archives use, whole seconds only.
///
/// Written and read by `UTCTimestamp`, by hand rather than with a `DateFormatter`, whose output
/// depends on the locale and calendar of the machine: evidence must read the same wherever it was
/// sealed. A date beyond years 0 to 9999 is written as the nearest of them.
public enum Timestamp {
    /// ISO 8601 with a `Z`: `2026-11-29T00:12:00Z`.
    public static func iso8601(_ date: Date) -> String { UTCTimestamp(date).iso8601 }

    /// The compact form used in archive names: `20261129T001200Z`.
    public static func compact(_ date: Date) -> String { UTCTimestamp(date).compact }

    /// Parses an RFC 3339 time such as `2026-11-29T00:12:00Z` (fractional seconds and offsets such
    /// as `+00:00` accepted), or `nil` when it is not one or names no date of the calendar.
    public static func parse(_ text: String) -> Date? { UTCTimestamp(parsing: text)?.date }
}
