import AWSClient
import Evidence
import EvidenceArchive
import Foundation

/// Reads a window of CloudTrail through LookupEvents in one region, paced to AWS's 2 requests
/// per second by the client, and keeps each event as one line in the LookupEvents record shape
/// the AWS CLI prints (`EventTime` as `2016-01-26T21:42:12+00:00`, `CloudTrailEvent` as the
/// embedded JSON string exactly as AWS sent it), which plaso and Timesketch read as they are.
/// The pages themselves are kept untouched under `raw/`.
///
/// LookupEvents answers newest first, so a reading cut short (an interrupt, a failure after some
/// pages) has read `[since, to)` completely, where `since` is the second after the oldest event
/// received (events of that second may lie on the next page): the window records exactly that.
struct CloudTrailLookupCollector: Sendable {
    let aws: AWS
    let region: String
    let recorder: CallRecorder
    let progress: ProgressSink
    /// What to read.
    let window: CloudTrailWindowPlan

    /// The events as JSON Lines, oldest first, how many there were, and what was read.
    func collect() async -> (lines: [UInt8], count: Int, window: Manifest.CloudTrailWindow) {
        let paginator = aws.cloudTrail.lookupEvents(startTime: window.from, endTime: window.to, maxResults: 50)
        let (pages, stopped) = await recorder.pagedResponses("cloudtrail", region, "LookupEvents", paginator)
        let received = pages.flatMap(\.output.events)
        var read: (since: Date, until: Date)? = (window.from, window.to)
        if stopped != nil {
            let oldest = received.compactMap(\.eventTime).min()
            let since = oldest.map { CloudTrailWindowPlan.wholeSecond($0).addingTimeInterval(1) }
            read = since.flatMap { $0 < window.to ? (max($0, window.from), window.to) : nil }
        }
        let events =
            received
            .filter { event in
                // LookupEvents' EndTime is inclusive; the window is not. Past a cut every event received is
                // kept, though only `read` was read completely.
                guard let time = event.eventTime else { return false }
                return time >= window.from && time < window.to
            }
            .sorted {
                ($0.eventTime ?? .distantPast, $0.eventId ?? "") < ($1.eventTime ?? .distantPast, $1.eventId ?? "")
            }
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
        let status: Manifest.CoverageStatus =
            stopped == nil ? .complete : read != nil ? .partial : stopped!.denied ? .denied : .failed
        return (
            LookupEventsWriter.lines(records), records.count,
            window.record(source: .lookup, region: region, status: status, read: read, error: stopped?.error)
        )
    }
}
