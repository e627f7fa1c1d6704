/// Events over time, per actor, in fixed buckets: the data behind the timeline chart. The
/// collector's own calls are left out.
public struct ActivitySeries: Codable, Hashable, Sendable {
    /// One line of the chart.
    public struct Series: Codable, Hashable, Sendable {
        /// The actor id, `responder` or `other principals`.
        public var label: String
        /// Events per bucket.
        public var counts: [Int]

        /// Makes a series.
        public init(label: String, counts: [Int]) {
            self.label = label
            self.counts = counts
        }
    }

    /// The first bucket's start (UTC, ISO 8601).
    public var start: String?
    /// Bucket width in seconds.
    public var bucketSeconds: Int
    /// The series, actors first.
    public var series: [Series]

    /// Makes a series set.
    public init(start: String? = nil, bucketSeconds: Int = 3600, series: [Series] = []) {
        self.start = start
        self.bucketSeconds = bucketSeconds
        self.series = series
    }
}
