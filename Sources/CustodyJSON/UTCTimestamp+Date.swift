package import Foundation

extension UTCTimestamp {
    /// The time of `date`, its fraction rounded down to the nanosecond. A date beyond
    /// ``writableSeconds`` is held at the nearest end of that range, and one that is not a number
    /// at 1970-01-01T00:00:00Z.
    package init(_ date: Date) {
        let interval = date.timeIntervalSince1970.isNaN ? 0 : date.timeIntervalSince1970
        guard interval >= Double(Self.writableSeconds.lowerBound) else {
            self.init(seconds: Self.writableSeconds.lowerBound)
            return
        }
        guard interval < Double(Self.writableSeconds.upperBound) + 1 else {
            self.init(seconds: Self.writableSeconds.upperBound)
            return
        }
        let whole = interval.rounded(.down)
        let fraction = ((interval - whole) * 1_000_000_000).rounded(.down)
        self.init(seconds: Int64(whole), nanoseconds: min(999_999_999, Int32(fraction)))
    }

    /// This time as a `Date` (whose `Double` holds the fraction to well under a microsecond).
    package var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000) }
}
