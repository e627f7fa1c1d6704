import AWSClient
import Evidence
import Foundation

/// Reads a window of CloudTrail through LookupEvents in one region, paced to AWS's 2 requests
/// per second by the client, and keeps each event as one line in the LookupEvents record shape
/// the AWS CLI prints (`EventTime` as `2016-01-26T21:42:12+00:00`, `CloudTrailEvent` as the
/// embedded JSON string exactly as AWS sent it), which plaso and Timesketch read as they are.
/// The pages themselves are kept untouched under `raw/`.
struct CloudTrailLookupCollector: Sendable {
    let aws: AWS
    let region: String
    let recorder: CallRecorder
    let progress: ProgressSink
    /// Start, inclusive.
    let from: Date
    /// End, exclusive.
    let to: Date

    /// The events as JSON Lines, oldest first, and how many there were.
    func collect() async -> (lines: [UInt8], count: Int) {
        let paginator = aws.cloudTrail.lookupEvents(startTime: from, endTime: to, maxResults: 50)
        let events = await recorder.pages("cloudtrail", region, "LookupEvents", paginator)
            .flatMap(\.events)
            .filter { event in
                // LookupEvents' EndTime is inclusive; the window is not.
                guard let time = event.eventTime else { return false }
                return time >= from && time < to
            }
            .sorted { ($0.eventTime ?? .distantPast, $0.eventId ?? "") < ($1.eventTime ?? .distantPast, $1.eventId ?? "") }
        let records = events.map { event in
            LookupEventsRecord(
                eventId: event.eventId, eventName: event.eventName, readOnly: event.readOnly,
                accessKeyId: event.accessKeyId, eventTime: event.eventTime.map(LookupEventsRecord.eventTime),
                eventSource: event.eventSource, username: event.username,
                resources: event.resources.map {
                    LookupEventsRecord.Resource(resourceType: $0.resourceType, resourceName: $0.resourceName)
                },
                cloudTrailEvent: event.cloudTrailEvent ?? "{}")
        }
        progress.events(region, records.count)
        return (LookupEventsWriter.lines(records), records.count)
    }
}
