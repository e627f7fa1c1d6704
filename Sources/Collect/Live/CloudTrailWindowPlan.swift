import EvidenceArchive
import Foundation

/// The CloudTrail window a collection asks for in one region, and where it will count as settled.
///
/// CloudTrail delivers events late (AWS: within about 5 minutes on average, with no guarantee), so
/// a collection reads up to its start, `to`, but takes the window as settled only up to
/// `to − settle`: the next collection of the region starts there and reads the margin again.
struct CloudTrailWindowPlan: Sendable, Equatable {
    /// Start, inclusive: where the region's last complete window was settled, or the lookback.
    var from: Date
    /// End, exclusive.
    var to: Date
    /// Up to when what is read will count as settled.
    var settledUntil: Date

    /// The plan for one region.
    /// - Parameters:
    ///   - resume: where the region's last complete window in the chain was settled, if any.
    ///   - startedAt: when the collection started; nothing later is asked for.
    init(options: CollectOptions, resume: Date?, startedAt: Date) {
        let to = Self.wholeSecond(min(options.until ?? startedAt, startedAt))
        var from = Self.wholeSecond(options.since ?? resume ?? to.addingTimeInterval(-options.defaultLookback))
        if from >= to { from = to.addingTimeInterval(-1) }
        self.from = from
        self.to = to
        self.settledUntil = min(to, max(from, Self.wholeSecond(startedAt.addingTimeInterval(-options.settle))))
    }

    /// The manifest's record of reading this plan: `read` is what was read completely, if anything.
    func record(
        source: Manifest.CloudTrailWindow.Source, region: String, status: Manifest.CoverageStatus,
        read: (since: Date, until: Date)?, error: String?
    ) -> Manifest.CloudTrailWindow {
        let requested = Manifest.TimeWindow(from: Timestamp.iso8601(from), to: Timestamp.iso8601(to))
        guard let read else {
            return Manifest.CloudTrailWindow(
                source: source, region: region, status: status, requested: requested, error: error)
        }
        let settled = min(read.until, max(read.since, settledUntil))
        return Manifest.CloudTrailWindow(
            source: source, region: region, status: status, requested: requested, since: Timestamp.iso8601(read.since),
            until: Timestamp.iso8601(read.until), settledUntil: Timestamp.iso8601(settled), error: error)
    }

    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
