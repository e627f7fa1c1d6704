/// CloudTrail's `eventTime` (`2024-07-30T21:31:21Z`), parsed by hand: it is read for every record,
/// and a formatter would cost more than the rest of reading the record.
enum CloudTrailTime {
    /// Seconds since 1970 for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, or `nil` for anything else.
    /// The fraction is dropped (CloudTrail writes none).
    static func seconds(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard text.count >= 20 else { return nil }
        func digits(_ at: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for i in at..<(at + length) {
                let digit = text[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = digits(0, 4), text[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            text[7] == UInt8(ascii: "-"), let day = digits(8, 2),
            text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t"), let hour = digits(11, 2),
            text[13] == UInt8(ascii: ":"), let minute = digits(14, 2), text[16] == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var i = 19
        if text[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < text.count && text[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            guard i > fractionStart else { return nil }
        }
        guard i < text.count else { return nil }
        var offset: Int64 = 0
        switch text[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == text.count, let hours = digits(i + 1, 2), text[i + 3] == UInt8(ascii: ":"),
                let minutes = digits(i + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (text[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        default: return nil
        }
        guard i == text.count else { return nil }
        return daysSinceEpoch(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Seconds since 1970 for a `String`.
    static func seconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { seconds($0) }
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
