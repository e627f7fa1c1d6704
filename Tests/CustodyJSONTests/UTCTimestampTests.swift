import CustodyJSON
import Foundation
import Testing

/// RFC 3339 timestamps as evidence, AWS and the command line write them, read and written by hand.
@Suite struct UTCTimestampTests {
    /// Texts that are times, with the seconds and nanoseconds each one names.
    static let valid: [(String, Int64, Int32)] = [
        ("2024-01-02T03:04:05Z", 1_704_164_645, 0),  // CloudTrail, IAM
        ("2024-01-02T03:04:05.000Z", 1_704_164_645, 0),  // EC2
        ("2024-01-02T03:04:05.1Z", 1_704_164_645, 100_000_000),
        ("2024-01-02T03:04:05.123Z", 1_704_164_645, 123_000_000),
        ("2024-01-02T03:04:05.123456Z", 1_704_164_645, 123_456_000),
        ("2024-01-02T03:04:05.123456789Z", 1_704_164_645, 123_456_789),
        ("2024-01-02T03:04:05.1234567899999Z", 1_704_164_645, 123_456_789),
        ("2024-01-02T03:04:05+00:00", 1_704_164_645, 0),  // LookupEvents as the AWS CLI prints it
        ("2024-01-02T03:04:05-00:00", 1_704_164_645, 0),
        ("2024-01-02T04:04:05+01:00", 1_704_164_645, 0),
        ("2024-01-02T00:34:05.5-02:30", 1_704_164_645, 500_000_000),
        ("2024-01-03T03:03:05+23:59", 1_704_164_645, 0),
        ("2024-01-02t03:04:05z", 1_704_164_645, 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800, 0),
        ("2000-02-29T00:00:00Z", 951_782_400, 0),
        ("0000-02-29T00:00:00Z", -62_162_121_600, 0),
        ("2024-12-31T23:59:60Z", 1_735_689_600, 0),  // a leap second reads as the next day's first
        ("2025-01-01T00:59:60+01:00", 1_735_689_600, 0),
        ("1970-01-01T00:00:00Z", 0, 0),
        ("1969-12-31T23:59:59.5Z", -1, 500_000_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200, 0),
        ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999),
    ]

    /// Texts that are no time: a date not in the calendar, a time of day that does not exist,
    /// forms RFC 3339 does not have, garbage.
    static let invalid: [String] = [
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-02-31T00:00:00Z",
        "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z", "2024-01-00T00:00:00Z",
        "2024-01-32T00:00:00Z", "2024-01-02T24:00:00Z", "2024-01-02T23:60:00Z", "2024-01-02T12:34:60Z",
        "2024-06-30T23:58:60Z", "2024-01-02T23:59:61Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05",
        "2024-01-02 03:04:05Z", "2024-01-02", "2024-01-02T03:04:05+0100", "2024-01-02T03:04:05+01",
        "2024-01-02T03:04:05+24:00", "2024-01-02T03:04:05+01:60", "2024-01-02T03:04:05+01:00:00",
        "2024-01-02T03:04:05 +01:00", "2024-01-02T03:04:05ZZ", "2024-01-02T03:04:05Z ", " 2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05Z\u{0}", "2024-1-2T03:04:05Z", "2024-01-02T3:04:05Z", "2024-01-02T03:04Z",
        "2024/01/02T03:04:05Z", "2024-01-02X03:04:05Z", "2024-01-02T03-04-05Z", "12024-01-02T03:04:05Z",
        "+12024-01-02T03:04:05Z", "-0001-12-31T00:00:00Z", "0000-01-01T00:00:00+00:01",
        "9999-12-31T23:59:59-00:01", "9999-12-31T23:59:60Z", "２０２４-01-02T03:04:05Z", "", "Z", "garbage",
        "Jul 30, 2024, 9:53:13 PM", "1704164645",
    ]

    @Test(arguments: valid)
    func readsEveryFormEvidenceWrites(text: String, seconds: Int64, nanoseconds: Int32) {
        let expected = UTCTimestamp(seconds: seconds, nanoseconds: nanoseconds)
        #expect(UTCTimestamp(parsing: text) == expected)
        #expect(UTCTimestamp(parsing: "<\(text)>".dropFirst().dropLast()) == expected)
        var copy = text
        #expect(copy.withUTF8 { UTCTimestamp(parsing: $0) } == expected)
    }

    @Test(arguments: invalid)
    func refusesWhatIsNoTime(text: String) {
        #expect(UTCTimestamp(parsing: text) == nil)
        let otherForms = ["2024-01-02T03:04:05", "2024-01-02 03:04:05Z", "2024-01-02"]
        if !otherForms.contains(text) {
            #expect(UTCTimestamp(parsing: text, allowing: [.spaceSeparator, .zoneless, .dateOnly]) == nil)
        }
    }

    @Test func refusesEveryTruncation() {
        let text = "2024-01-02T03:04:05.123+01:00"
        for length in 0..<text.utf8.count {
            let prefix = String(decoding: text.utf8.prefix(length), as: UTF8.self)
            #expect(UTCTimestamp(parsing: prefix) == nil, "\(prefix)")
        }
    }

    @Test(arguments: [
        ("2014-03-21 16:42:16Z", UTCTimestamp.Forms.spaceSeparator, Int64(1_395_420_136)),
        ("2014-03-21 16:42:16.123456+00:00", .spaceSeparator, 1_395_420_136),
        ("2014-03-21T16:42:16", .zoneless, 1_395_420_136),
        ("2014-03-21T16:42:16.123", .zoneless, 1_395_420_136),
        ("2014-03-21", .dateOnly, 1_395_360_000),
    ])
    func readsOtherFormsOnlyWhenAllowed(text: String, form: UTCTimestamp.Forms, seconds: Int64) {
        #expect(UTCTimestamp(parsing: text) == nil)
        #expect(UTCTimestamp(parsing: text, allowing: form)?.seconds == seconds)
    }

    @Test func checksTheCalendarInTheOtherFormsToo() {
        let every: UTCTimestamp.Forms = [.spaceSeparator, .zoneless, .dateOnly]
        for text in [
            "2023-02-29", "2024-02-31 00:00:00", "2024-01-02 24:00:00Z", "2024-01-02 03:04:05.", "2024-01-02 ",
        ] {
            #expect(UTCTimestamp(parsing: text, allowing: every) == nil, "\(text)")
        }
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z", "19700101T000000Z"),
        (-1, "1969-12-31T23:59:59Z", "19691231T235959Z"),
        (951_782_400, "2000-02-29T00:00:00Z", "20000229T000000Z"),
        (1_795_921_445, "2026-11-29T03:04:05Z", "20261129T030405Z"),
        (-62_167_219_200, "0000-01-01T00:00:00Z", "00000101T000000Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z", "99991231T235959Z"),
        // Beyond four-digit years, the nearest end of them.
        (253_402_300_800, "9999-12-31T23:59:59Z", "99991231T235959Z"),
        (.max, "9999-12-31T23:59:59Z", "99991231T235959Z"),
        (-62_167_219_201, "0000-01-01T00:00:00Z", "00000101T000000Z"),
        (.min, "0000-01-01T00:00:00Z", "00000101T000000Z"),
    ])
    func writesWholeSecondsInUTC(seconds: Int64, iso8601: String, compact: String) {
        let time = UTCTimestamp(seconds: seconds, nanoseconds: 999_999_999)
        #expect(time.iso8601 == iso8601)
        #expect(time.compact == compact)
        #expect(time.description == iso8601)
    }

    @Test func readsBackWhatItWrites() {
        var random = SplitMix64(seed: 1)
        for _ in 0..<20_000 {
            let seconds = Int64.random(in: UTCTimestamp.writableSeconds, using: &random)
            let text = UTCTimestamp(seconds: seconds).iso8601
            #expect(UTCTimestamp(parsing: text) == UTCTimestamp(seconds: seconds), "\(text)")
            #expect(UTCTimestamp(parsing: text)?.iso8601 == text)
        }
    }

    /// Foundation's `ISO8601DateFormatter` as a second opinion on valid times of the Gregorian
    /// calendar (it switches to the Julian calendar before October 1582, so those are left out).
    @Test func agreesWithFoundationOnValidTimes() throws {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var random = SplitMix64(seed: 2)
        let gregorian = Int64(-11_676_096_000)...Int64(253_402_214_399)  // 1600-01-01 to 9999-12-30
        for _ in 0..<5_000 {
            let seconds = Int64.random(in: gregorian, using: &random)
            let written = UTCTimestamp(seconds: seconds).iso8601
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(written == plain.string(from: date))

            // The same instant written in another zone, with up to three fraction digits (Foundation keeps milliseconds).
            let offset = Int64.random(in: -(23 * 60 + 59)...(23 * 60 + 59), using: &random)
            let local = String(UTCTimestamp(seconds: seconds + offset * 60).iso8601.dropLast())
            let digits = Int.random(in: 0...3, using: &random)
            let fraction =
                digits == 0
                ? "" : "." + (0..<digits).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            let zone =
                offset == 0 && Bool.random(using: &random)
                ? "Z" : "\(offset < 0 ? "-" : "+")\(two(abs(offset) / 60)):\(two(abs(offset) % 60))"
            let text = local + fraction + zone
            let ours = try #require(UTCTimestamp(parsing: text), "\(text)")
            let theirs = try #require((digits == 0 ? plain : fractional).date(from: text), "\(text)")
            #expect(ours.seconds == seconds, "\(text)")
            // Within a tenth of a millisecond: a `Double` of year 9999 holds no finer.
            #expect(abs(ours.date.timeIntervalSince1970 - theirs.timeIntervalSince1970) < 1e-4, "\(text)")
        }
    }

    @Test func convertsDates() {
        #expect(
            UTCTimestamp(Date(timeIntervalSince1970: 1_704_164_645.25))
                == UTCTimestamp(seconds: 1_704_164_645, nanoseconds: 250_000_000))
        #expect(UTCTimestamp(Date(timeIntervalSince1970: -0.25)) == UTCTimestamp(seconds: -1, nanoseconds: 750_000_000))
        #expect(UTCTimestamp(Date(timeIntervalSince1970: 1e300)).seconds == UTCTimestamp.writableSeconds.upperBound)
        #expect(UTCTimestamp(Date(timeIntervalSince1970: -1e300)).seconds == UTCTimestamp.writableSeconds.lowerBound)
        #expect(UTCTimestamp(Date(timeIntervalSince1970: .nan)) == UTCTimestamp(seconds: 0))
        #expect(
            UTCTimestamp(seconds: 1_704_164_645, nanoseconds: 500_000_000).date
                == Date(timeIntervalSince1970: 1_704_164_645.5))
    }

    @Test func ordersByTime() {
        let times = [
            "2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05Z", "2024-01-02T04:04:04+01:00", "1999-12-31T23:59:59Z",
        ]
        .compactMap { UTCTimestamp(parsing: $0) }
        #expect(
            times.sorted().map(\.iso8601) == [
                "1999-12-31T23:59:59Z", "2024-01-02T03:04:04Z", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z",
            ])
        #expect(times.sorted().last?.nanoseconds == 500_000_000)
    }

    private func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A seeded generator, so a failing random case fails again on the next run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
