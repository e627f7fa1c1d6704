import Foundation
import Testing

@testable import AWSClient

/// The timestamp forms AWS responses and credential sources hold.
@Suite struct TimestampsTests {
    @Test(arguments: [
        ("2024-01-02T03:04:05Z", 1_704_164_645.0),  // IAM
        ("2024-01-02T03:04:05.000Z", 1_704_164_645),  // EC2
        ("2024-01-02T03:04:05.250Z", 1_704_164_645.25),
        ("2024-01-02T04:04:05+01:00", 1_704_164_645),
        ("2024-01-02T03:04:05", 1_704_164_645),  // no zone: UTC
        ("2024-01-02 03:04:05", 1_704_164_645),
        ("2024-01-02 03:04:05.250000+00:00", 1_704_164_645.25),
        (" 2024-01-02T03:04:05Z\n", 1_704_164_645),
        ("1704164645", 1_704_164_645),  // JSON 1.1 epoch seconds
        ("Tue, 02 Jan 2024 03:04:05 GMT", 1_704_164_645),  // headers
    ])
    func readsTheFormsAWSSends(text: String, seconds: TimeInterval) {
        #expect(Timestamps.parse(text) == Date(timeIntervalSince1970: seconds))
    }

    /// `ISO8601DateFormatter` read these as other times (February 31 as March 2, `24:00` as the
    /// next day); a response holding one now fails to decode instead of holding a wrong time.
    @Test(arguments: ["2024-02-31T03:04:05Z", "2024-01-02T24:00:00Z", "2024-01-02T03:04:05+0100", "2024-1-2T03:04:05Z"])
    func refusesTimesTheCalendarDoesNotHave(text: String) {
        #expect(Timestamps.parse(text) == nil)
    }
}
