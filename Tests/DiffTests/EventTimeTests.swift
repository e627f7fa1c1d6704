import Testing

@testable import Diff
import EvidenceReading

/// The expiration times CloudTrail writes inside STS responses.
@Suite struct EventTimeTests {
    @Test(arguments: [
        ("Jul 30, 2024, 9:53:13 PM", Int64(1_722_376_393)), ("Jul 30, 2024 9:53:13 PM", 1_722_376_393),
        ("Tue Jul 30 21:53:13 UTC 2024", 1_722_376_393), ("2024-07-30T21:53:13Z", 1_722_376_393),
        ("2024-07-30T21:53:13.999Z", 1_722_376_393), ("2024-07-30T23:53:13+02:00", 1_722_376_393),
    ])
    func readsEveryStyle(text: String, seconds: Int64) {
        #expect(EventTime.seconds(text) == seconds)
        #expect(EventTime.seconds(text) == seconds)  // again, from the cache for the English styles
    }

    /// An expiration the calendar does not have is no expiration: the window falls back to the duration asked for.
    @Test(arguments: [
        "2024-02-31T21:53:13Z", "2024-07-30T21:53:13+0200", "12024-07-30T21:53:13Z", "Feb 31, 2024, 9:53:13 PM", "soon",
    ])
    func refusesWhatIsNoTime(text: String) {
        #expect(EventTime.seconds(text) == nil)
    }
}
