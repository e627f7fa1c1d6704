import CustodyJSON

/// Arithmetic on times and durations read from evidence, which may hold any value at all: a
/// sum or difference beyond `Int64` is held at its bound instead of trapping, and a number that
/// is no whole count of seconds (`1e300`, infinity, NaN) is refused instead of converted.
package enum EvidenceSeconds {
    /// The range `UTCTimestamp` writes as it is: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    package static let writable = UTCTimestamp.writableSeconds

    /// `a + b`, held at `Int64.min` or `Int64.max`.
    package static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a - b`, held at `Int64.min` or `Int64.max`.
    package static func subtracting(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b > 0 ? .min : .max) : difference
    }

    /// `a × b`, held at `Int64.min` or `Int64.max`.
    package static func multiplying(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) == (b < 0) ? .max : .min) : product
    }

    /// The largest multiple of `width` (> 0) not after `seconds`: the start of the bucket that
    /// holds it, before 1970 too (where `/` rounds the wrong way). `nil` for a width of 0 or less.
    package static func bucketStart(_ seconds: Int64, width: Int64) -> Int64? {
        guard width > 0 else { return nil }
        let (quotient, remainder) = seconds.quotientAndRemainder(dividingBy: width)
        return remainder < 0 ? multiplying(quotient - 1, width) : multiplying(quotient, width)
    }

    /// Whole seconds of a JSON number, or `nil` when it is not finite or lies beyond `Int64`.
    package static func whole(_ value: Double) -> Int64? {
        guard value.isFinite, value > -9.2e18, value < 9.2e18 else { return nil }
        return Int64(value.rounded(.towardZero))
    }

    /// Seconds given as a JSON number or a string of digits, or `nil` for anything else.
    package static func whole(number: Double?, text: String?) -> Int64? {
        if let number { return whole(number) }
        return text.flatMap { Int64($0) }
    }
}
