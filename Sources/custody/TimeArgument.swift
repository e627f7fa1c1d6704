import CustodyJSON
import Foundation

/// A point in time on the command line: ISO 8601 (`2026-11-28T09:00:00Z`, or a date alone,
/// `2026-11-28`, for its first second in UTC) or an age relative to now (`90s`, `30m`, `6h`, `2d`).
enum TimeArgument {
    static func parse(_ text: String, option: String, now: Date) throws -> Date {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last, let seconds = units[unit], let amount = Double(text.dropLast()), amount >= 0 {
            return now.addingTimeInterval(-amount * seconds)
        }
        if let time = UTCTimestamp(parsing: text, allowing: .dateOnly) { return time.date }
        throw CommandFailure(
            "\(option) '\(text)' is not a time: give ISO 8601 such as 2026-11-28T09:00:00Z, or an age such as 6h, 30m or 2d."
        )
    }
}
