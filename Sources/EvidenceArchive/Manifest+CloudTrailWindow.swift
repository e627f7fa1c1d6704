extension Manifest {
    /// What one collection read of one region's CloudTrail from one source.
    ///
    /// CloudTrail arrives late (AWS: about 5 minutes on average, with no guarantee), so a window is
    /// read up to the collection's start but only *settled* up to `settledUntil`, some minutes
    /// earlier: the next collection of the region starts there and reads the margin again. A window
    /// that was not read completely says exactly what was: `since` and `until` bound what was read
    /// completely (LookupEvents reads newest first, so a region cut short has read `[since, until)`
    /// with `since` later than `requested.from`), and both are absent when nothing was. Only a
    /// window's settled part, `[since, settledUntil)`, counts as coverage of the chain.
    public struct CloudTrailWindow: Codable, Hashable, Sendable {
        /// Where the events came from.
        public var source: Source
        /// The region.
        public var region: String
        /// How the reading went.
        public var status: CoverageStatus
        /// What was asked for, `[from, to)`.
        public var requested: TimeWindow
        /// Start (inclusive) of what was read completely, when anything was.
        public var since: String?
        /// End (exclusive) of what was read completely, when anything was.
        public var until: String?
        /// Up to when the window is taken as settled: events before it are assumed delivered.
        public var settledUntil: String?
        /// Why the window is not complete.
        public var error: String?

        /// Makes a window record.
        public init(
            source: Source, region: String, status: CoverageStatus, requested: TimeWindow, since: String? = nil,
            until: String? = nil, settledUntil: String? = nil, error: String? = nil
        ) {
            self.source = source
            self.region = region
            self.status = status
            self.requested = requested
            self.since = since
            self.until = until
            self.settledUntil = settledUntil
            self.error = error
        }

        /// The settled part, `[since, settledUntil)`, when it is not empty.
        public var settled: TimeWindow? {
            guard let since, let settledUntil, let from = Timestamp.parse(since),
                let to = Timestamp.parse(settledUntil),
                from < to
            else { return nil }
            return TimeWindow(from: since, to: settledUntil)
        }

        /// Where a CloudTrail window's events come from.
        public enum Source: String, Codable, Hashable, Sendable, CaseIterable {
            /// CloudTrail's LookupEvents API.
            case lookup
            /// The log files a trail delivered to S3.
            case s3
        }
    }

    /// The CloudTrail windows of an archive, per source and region: `cloudTrailWindows` for version 2;
    /// for version 1, its single window taken as read completely, and settled, in every region it lists.
    public var regionWindows: [CloudTrailWindow] {
        if let cloudTrailWindows { return cloudTrailWindows }
        guard version == 1, kind == .evidence, let window = cloudTrailWindow else { return [] }
        let source: CloudTrailWindow.Source =
            members.contains { $0.path.hasPrefix("cloudtrail/s3/") } ? .s3 : .lookup
        return regions.map {
            CloudTrailWindow(
                source: source, region: $0, status: .complete, requested: window, since: window.from, until: window.to,
                settledUntil: window.to)
        }
    }
}
