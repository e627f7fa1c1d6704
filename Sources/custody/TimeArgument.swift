import Foundation

/// A point in time on the command line: ISO 8601 (`2026-11-28T09:00:00Z`) or an age relative to
/// now (`90s`, `30m`, `6h`, `2d`).
enum TimeArgument {
    static func parse(_ text: String, option: String, now: Date) throws -> Date {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last, let seconds = units[unit], let amount = Double(text.dropLast()), amount >= 0 {
            return now.addingTimeInterval(-amount * seconds)
        }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        throw CommandFailure(
            "\(option) '\(text)' is not a time: give ISO 8601 such as 2026-11-28T09:00:00Z, or an age such as 6h, 30m or 2d.")
    }
}
