/// `sweep/sweep.json`: what a sweep asked, of which engine (`table` is Athena's table or Lake's event
/// data store ARN), and the write it made. The sweep's printed summary takes the same values.
public struct SweepRecord: Codable, Sendable {
    /// One query: its id, what the engine says it scanned, and where its result went.
    public struct Query: Codable, Sendable {
        /// Athena's query execution id, or Lake's query id.
        public var executionId: String
        /// The bytes the engine scanned, which it bills by.
        public var bytesScanned: Int?
        /// Where Athena wrote the result.
        public var resultLocation: String?
        /// Lake's `DescribeQuery` statistics besides the bytes scanned: events matched,
        public var eventsMatched: Int?
        /// events scanned,
        public var eventsScanned: Int?
        /// and the run time.
        public var executionTimeInMillis: Int?
    }

    /// `athena` or `lake`.
    public var engine: String
    /// Athena's table, or Lake's event data store ARN.
    public var table: String
    /// The window's start (ISO 8601).
    public var from: String
    /// The window's end, exclusive.
    public var to: String
    /// The keys asked for.
    public var suspectKeys: [String]
    /// The addresses asked for.
    public var sourceIPs: [String]
    /// Every key followed, the suspect keys first.
    public var keysFollowed: [String]
    /// Keys found but not followed, when the rounds ran out.
    public var keysNotFollowed: [String]
    /// The rounds of queries.
    public var rounds: Int
    /// Each query, in order.
    public var queries: [Query]
    /// The writes the queries made.
    public var writes: [String]
}
