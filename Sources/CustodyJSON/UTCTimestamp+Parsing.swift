extension UTCTimestamp {
    /// Forms beyond RFC 3339 that a reader may accept as well.
    package struct Forms: OptionSet, Hashable, Sendable {
        /// The bits of the set.
        package let rawValue: UInt8

        /// The set with `rawValue`'s bits.
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        /// `2014-03-21 16:42:16Z`: a space between date and time, as some AWS services write it.
        package static let spaceSeparator = Forms(rawValue: 1 << 0)
        /// `2014-03-21T16:42:16`: no zone at all, read as UTC, as some AWS services write it.
        package static let zoneless = Forms(rawValue: 1 << 1)
        /// `2026-11-28`: a date alone, read as its first second (UTC).
        package static let dateOnly = Forms(rawValue: 1 << 2)
    }

    /// Parses an RFC 3339 timestamp, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, and whichever of
    /// `forms` is allowed; `nil` for anything else.
    ///
    /// - The year has four digits; the date must exist (February 29 only in leap years) and the
    ///   time, converted to UTC, must lie in ``writableSeconds``.
    /// - `T` and `Z` may be lowercase (RFC 3339 §5.6).
    /// - The fraction has one digit or more; digits past the ninth (nanoseconds) are dropped.
    /// - An offset `±HH:MM` (hours below 24) is converted to UTC; `-00:00` is UTC.
    /// - Second 60, a leap second, is accepted only in the last minute of a UTC day and, as POSIX
    ///   time counts no leap seconds, read as the first second of the next day.
    /// - Nothing else: no `24:00:00`, no offset without its colon (`+0100`), no surrounding space.
    package init?(parsing text: UnsafeBufferPointer<UInt8>, allowing forms: Forms = []) {
        guard let parsed = Self.parse(text, forms) else { return nil }
        self = parsed
    }

    /// Parses the UTF-8 of `text`, by the rules of the form that takes bytes.
    package init?(parsing text: some StringProtocol, allowing forms: Forms = []) {
        let parsed =
            text.utf8.withContiguousStorageIfAvailable { Self.parse($0, forms) }
            ?? {
                var copy = String(text)
                return copy.withUTF8 { Self.parse($0, forms) }
            }()
        guard let parsed else { return nil }
        self = parsed
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>, _ forms: Forms) -> UTCTimestamp? {
        let count = text.count
        guard count >= 10 else { return nil }
        func twoDigits(_ at: Int) -> Int64? {
            let tens = text[at] &- UInt8(ascii: "0")
            let units = text[at + 1] &- UInt8(ascii: "0")
            guard tens < 10, units < 10 else { return nil }
            return Int64(tens) * 10 + Int64(units)
        }
        guard let century = twoDigits(0), let yearOfCentury = twoDigits(2), text[4] == UInt8(ascii: "-"),
            let month = twoDigits(5), text[7] == UInt8(ascii: "-"), let day = twoDigits(8)
        else { return nil }
        let year = century * 100 + yearOfCentury
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        let midnight = daysSinceEpoch(year: year, month: month, day: day) * 86400
        if count == 10 { return forms.contains(.dateOnly) ? UTCTimestamp(seconds: midnight) : nil }

        guard count >= 19,
            text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t")
                || (text[10] == UInt8(ascii: " ") && forms.contains(.spaceSeparator)),
            let hour = twoDigits(11), text[13] == UInt8(ascii: ":"), let minute = twoDigits(14),
            text[16] == UInt8(ascii: ":"), let second = twoDigits(17), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var nanoseconds: Int64 = 0
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            var scale: Int64 = 100_000_000
            while index < count, case let digit = text[index] &- UInt8(ascii: "0"), digit < 10 {
                nanoseconds += Int64(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset: Int64 = 0
        if index == count {
            guard forms.contains(.zoneless) else { return nil }
        } else {
            switch text[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard index + 6 == count, let hours = twoDigits(index + 1), text[index + 3] == UInt8(ascii: ":"),
                    let minutes = twoDigits(index + 4), hours < 24, minutes < 60
                else { return nil }
                offset = (hours * 3600 + minutes * 60) * (text[index] == UInt8(ascii: "+") ? 1 : -1)
                index += 6
            default:
                return nil
            }
            guard index == count else { return nil }
        }
        var seconds = midnight + hour * 3600 + minute * 60 + min(second, 59) - offset
        if second == 60 {
            guard (seconds % 86400 + 86400) % 86400 == 86399 else { return nil }
            seconds += 1
        }
        guard writableSeconds.contains(seconds) else { return nil }
        return UTCTimestamp(seconds: seconds, nanoseconds: Int32(nanoseconds))
    }
}
