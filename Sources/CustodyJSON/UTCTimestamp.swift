/// A point in time in UTC, as evidence writes it: RFC 3339 text such as `2024-01-02T03:04:05Z`.
///
/// Parsed and printed by hand, with no formatter, locale, calendar or time zone of the machine in
/// the way: the same text is the same time wherever it is read, and CloudTrail reading, which
/// parses one time per event, pays a few nanoseconds for it. Every time read from evidence, from an
/// AWS response or from the command line goes through ``init(parsing:allowing:)``, which checks the
/// calendar (no February 31, no 24:00:00): a text it refuses is a missing time, never a wrong one.
package struct UTCTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z, rounded down (POSIX time: no leap seconds).
    package var seconds: Int64
    /// The fraction of the second, in nanoseconds, from 0 up to 999,999,999.
    package var nanoseconds: Int32

    /// The seconds a four-digit year can write: 0000-01-01T00:00:00Z through 9999-12-31T23:59:59Z.
    /// A parsed time always lies in this range; ``iso8601`` and ``compact`` write a time beyond it
    /// as the nearest of its ends.
    package static let writableSeconds: ClosedRange<Int64> = -62_167_219_200...253_402_300_799

    /// The time `seconds` and `nanoseconds` (0 up to 999,999,999) after 1970-01-01T00:00:00Z.
    package init(seconds: Int64, nanoseconds: Int32 = 0) {
        precondition((0..<1_000_000_000).contains(nanoseconds), "nanoseconds must be less than one second")
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Whether `lhs` comes before `rhs`.
    package static func < (lhs: UTCTimestamp, rhs: UTCTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// ``iso8601``, whole seconds.
    package var description: String { iso8601 }
}
