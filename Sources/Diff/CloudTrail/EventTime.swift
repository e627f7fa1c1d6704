import Foundation

/// Times as findings write them (ISO 8601, UTC, whole seconds), and the date styles CloudTrail
/// uses inside STS and IAM responses (`Jul 30, 2024, 9:53:13 PM`).
enum EventTime {
    /// A time beyond years 0 to 9999 (only forged evidence holds one) is written as the nearest of them.
    static func iso(_ seconds: Int64) -> String {
        var time = time_t(min(max(seconds, EvidenceSeconds.writable.lowerBound), EvidenceSeconds.writable.upperBound))
        var parts = tm()
        gmtime_r(&time, &parts)
        let year = Int(parts.tm_year) + 1900
        // Digit by digit: `String(format:)` goes through Foundation and is called per credential.
        var text = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int, _ at: Int, _ width: Int) {
            var value = value
            for offset in (0..<width).reversed() {
                text[at + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, 0, 4)
        put(Int(parts.tm_mon) + 1, 5, 2)
        put(Int(parts.tm_mday), 8, 2)
        put(Int(parts.tm_hour), 11, 2)
        put(Int(parts.tm_min), 14, 2)
        put(Int(parts.tm_sec), 17, 2)
        for (at, byte) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "Z")] as [(Int, Unicode.Scalar)] {
            text[at] = UInt8(ascii: byte)
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let formatters: [DateFormatter] = [
        "MMM d, yyyy, h:mm:ss a", "MMM d, yyyy h:mm:ss a", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX",
        "EEE MMM dd HH:mm:ss zzz yyyy",
    ].map { format in
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    private static let lock = NSLock()
    /// Texts already parsed: a log repeats the same few expiration times thousands of times, and
    /// a `DateFormatter` takes microseconds. Guarded by `lock`; emptied when it grows large.
    nonisolated(unsafe) private static var parsed: [String: Int64?] = [:]

    /// Seconds since 1970 for any of the styles, or `nil`.
    static func seconds(_ text: String) -> Int64? {
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
