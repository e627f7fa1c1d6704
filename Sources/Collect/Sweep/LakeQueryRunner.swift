public import AWSClient
import Foundation

/// Runs one query in CloudTrail Lake and reads what it gave, keeping every answer as received: the
/// `StartQuery` answer, the last `DescribeQuery` (status and statistics: events matched and scanned,
/// bytes scanned, run time) and every `GetQueryResults` page.
///
/// Starting the query is the one write: Lake keeps the query and its result with the event data store.
/// It runs inside `ReadOnlyPolicy.permittingQueries`, and nothing else does.
public struct LakeQueryRunner: Sendable {
    /// The client in the event data store's region.
    public var aws: AWS
    /// How long a query may take before it is given up on.
    public var timeout: Duration = .seconds(3600)
    /// Waits between two `DescribeQuery` calls.
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// Makes a runner.
    public init(aws: AWS) {
        self.aws = aws
    }

    /// What one query gave.
    public struct Execution: Sendable {
        /// The statement sent.
        public var sql: String
        /// The query id.
        public var id: String
        /// The `StartQuery` answer.
        public var started: RawResponse
        /// The last `DescribeQuery`, as received.
        public var described: AWSResponse<CloudTrail.DescribeQueryResponse>
        /// Every `GetQueryResults` page, as received.
        public var resultPages: [RawResponse]
        /// The rows, by column name.
        public var rows: [SweepRow]

        /// What Lake says the query did.
        public var statistics: CloudTrail.QueryStatisticsForDescribeQuery? { described.output.queryStatistics }
        /// The bytes Lake scanned, which it bills by.
        public var bytesScanned: Int? { statistics?.bytesScanned }
    }

    /// Runs `sql` and reads its rows.
    /// - Throws: `CollectError.nothingCollected` when the query fails, is cancelled, times out or outlasts
    ///   `timeout`; what AWS answers otherwise (`AWSServiceError`, `AWSClientError`).
    public func run(_ sql: String) async throws -> Execution {
        let cloudTrail = aws.cloudTrail
        let started = try await ReadOnlyPolicy.permittingQueries { try await cloudTrail.startQuery(sql) }
        guard let id = started.output.queryId, !id.isEmpty else {
            throw CollectError(.nothingCollected, "CloudTrail Lake started the query without giving its id.")
        }
        let described = try await waitForEnd(of: id)
        let status = described.output.queryStatus ?? "UNKNOWN"
        guard status == "FINISHED" else {
            throw CollectError(
                .nothingCollected,
                "CloudTrail Lake query \(id) ended \(status)\(described.output.errorMessage.map { ": " + $0 } ?? "").",
                remedy: "Check the event data store and the window, then run the sweep again.")
        }
        var pages: [AWSResponse<CloudTrail.GetQueryResultsResponse>] = []
        for try await page in cloudTrail.getQueryResults(id: id) { pages.append(page) }
        return Execution(
            sql: sql, id: id, started: started.raw, described: described, resultPages: pages.map(\.raw),
            rows: Self.rows(pages.map(\.output)))
    }

    /// Asks for the query's status until it has ended, waiting a little longer each time (up to 5 s). It
    /// gives up only when a question asked after `timeout` still finds the query running.
    private func waitForEnd(of id: String) async throws -> AWSResponse<CloudTrail.DescribeQueryResponse> {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var wait = Duration.milliseconds(500)
        while true {
            let asked = clock.now
            let described = try await aws.cloudTrail.describeQuery(id: id)
            let status = described.output.queryStatus ?? ""
            if ["FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"].contains(status) { return described }
            guard asked < deadline else {
                throw CollectError(
                    .nothingCollected,
                    "CloudTrail Lake query \(id) had not ended after \(timeout) (last status \(status)).",
                    remedy: "See it in the CloudTrail Lake console; a narrower --since scans fewer events.")
            }
            try await sleep(wait)
            wait = min(wait * 2, .seconds(5))
        }
    }

    /// The rows of `pages` by column name: each row a list of one-column objects.
    static func rows(_ pages: [CloudTrail.GetQueryResultsResponse]) -> [SweepRow] {
        pages.flatMap(\.queryResultRows).map { cells in
            var byName: [String: String] = [:]
            for cell in cells {
                for (column, value) in cell { byName[column] = value }
            }
            return SweepRow(byName)
        }
    }
}
