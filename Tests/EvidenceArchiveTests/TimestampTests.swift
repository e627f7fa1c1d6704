import EvidenceArchive
import Foundation
import Testing

/// The times written into manifests and archive names, and read back from them.
@Suite struct TimestampTests {
    @Test func writesWholeSecondsInUTC() {
        let date = Date(timeIntervalSince1970: 1_795_925_520.75)
        #expect(Timestamp.iso8601(date) == "2026-11-29T04:12:00Z")
        #expect(Timestamp.compact(date) == "20261129T041200Z")
    }

    @Test(arguments: [
        ("2026-11-29T04:12:00Z", 1_795_925_520.0), ("2026-11-29T04:12:00.5Z", 1_795_925_520.5),
        ("2026-11-29T05:12:00+01:00", 1_795_925_520), ("2026-11-29T04:12:00+00:00", 1_795_925_520),
    ])
    func readsRFC3339(text: String, seconds: TimeInterval) {
        #expect(Timestamp.parse(text) == Date(timeIntervalSince1970: seconds))
    }

    /// Foundation's ISO 8601 parser read each of these as some other time (February 31 as March 3,
    /// `24:00` as the next day, garbage after the zone ignored); a manifest holding one has no time there.
    @Test(arguments: [
        "2026-02-31T04:12:00Z", "2026-11-29T24:00:00Z", "2026-11-29T04:12:00ZZ", "2026-11-29T04:12:00+0100",
        "2026-11-29T04:12:00+01", "2026-1-2T04:12:00Z", "12026-11-29T04:12:00Z", "2026-11-29",
    ])
    func refusesWhatNamesNoTimeOfTheCalendar(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
