import Foundation

/// UTC timestamps as CloudTrail writes them, parsed and printed by hand: no formatter, locale or
/// time zone of the machine can change a report.
enum UTCTime {
    /// Seconds since 1970 for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, or `nil`.
    static func seconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func number(_ at: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for i in at..<(at + length) {
                let digit = b[i] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0, 4), b[4] == 0x2d, let month = number(5, 2), b[7] == 0x2d, let day = number(8, 2),
            b[10] == 0x54 || b[10] == 0x74, let hour = number(11, 2), b[13] == 0x3a, let minute = number(14, 2),
            b[16] == 0x3a, let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24,
            minute < 60, second < 61
        else { return nil }
        var i = 19
        if b[i] == 0x2e {
            i += 1
            while i < b.count, b[i] &- 0x30 < 10 { i += 1 }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 0x2b || b[i] == 0x2d {
            guard i + 6 == b.count, let hours = number(i + 1, 2), let minutes = number(i + 4, 2) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (b[i] == 0x2d ? -1 : 1)
        } else if !(b[i] == 0x5a || b[i] == 0x7a) || i + 1 != b.count {
            return nil
        }
        return days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
    }

    /// `2026-11-29T03:04:05Z`.
    static func iso(_ seconds: Int64) -> String {
        let (year, month, day, rest) = civil(seconds)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))Z"
    }

    /// `2026-11-29 03:04:05Z`: how tables show a time.
    static func display(_ text: String?) -> String? {
        guard let text else { return nil }
        guard let seconds = seconds(text) else { return text }
        let iso = iso(seconds)
        return iso.replacingOccurrences(of: "T", with: " ")
    }

    /// `2026-11-29T03:04:05Z` for a date.
    static func iso(_ date: Date) -> String { iso(Int64(date.timeIntervalSince1970.rounded(.down))) }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Year, month, day and seconds into the day.
    static func civil(_ seconds: Int64) -> (Int64, Int64, Int64, Int64) {
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day, rest)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
