public import AWSClient
import Foundation

/// Runs one query in Athena and reads what it gave, keeping every answer as received: the
/// `StartQueryExecution` answer, the last `GetQueryExecution` (state, statistics with the bytes
/// scanned, where the result was written), every `GetQueryResults` page, and the result file itself
/// as Athena wrote it to the output location.
///
/// Starting the query is the one write: it runs inside `ReadOnlyPolicy.permittingQueries`, and
/// nothing else does.
public struct AthenaQueryRunner: Sendable {
    /// The client in the region Athena runs in.
    public var aws: AWS
    /// The client that reads the result file (the output location's bucket).
    public var resultAWS: AWS
    /// The workgroup, if not the caller's default.
    public var workGroup: String?
    /// Where Athena writes the result (`s3://…/`), if not the workgroup's.
    public var outputLocation: String?
    /// How long a query may take before it is given up on.
    public var timeout: Duration = .seconds(3600)
    /// Waits between two `GetQueryExecution` calls.
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// Makes a runner.
    public init(aws: AWS, resultAWS: AWS? = nil, workGroup: String?, outputLocation: String?) {
        self.aws = aws
        self.resultAWS = resultAWS ?? aws
        self.workGroup = workGroup
        self.outputLocation = outputLocation
    }

    /// What one query gave.
    public struct Execution: Sendable {
        /// The statement sent.
        public var sql: String
        /// The execution id.
        public var id: String
        /// The `StartQueryExecution` answer.
        public var started: RawResponse
        /// The last `GetQueryExecution`, as received.
        public var described: AWSResponse<Athena.GetQueryExecutionOutput>
        /// Every `GetQueryResults` page, as received.
        public var resultPages: [RawResponse]
        /// The rows, by column name (the header row left out).
        public var rows: [SweepRow]
        /// The result file's location and bytes, as Athena wrote them.
        public var resultFile: (location: String, bytes: [UInt8])?

        /// The bytes Athena scanned, which it bills by.
        public var bytesScanned: Int? { described.output.queryExecution?.statistics?.dataScannedInBytes }
    }

    /// Runs `sql` and reads its rows and result file.
    /// - Throws: `CollectError.nothingCollected` when the query fails, is cancelled or outlasts
    ///   `timeout`; what AWS answers otherwise (`AWSServiceError`, `AWSClientError`).
    public func run(_ sql: String) async throws -> Execution {
        let athena = aws.athena
        let started = try await ReadOnlyPolicy.permittingQueries {
            try await athena.startQueryExecution(sql, workGroup: workGroup, outputLocation: outputLocation)
        }
        guard let id = started.output.queryExecutionId, !id.isEmpty else {
            throw CollectError(.nothingCollected, "Athena started the query without giving its execution id.")
        }
        let described = try await waitForEnd(of: id)
        let execution = described.output.queryExecution
        let state = execution?.status?.state ?? "UNKNOWN"
        guard state == "SUCCEEDED" else {
            let reason = execution?.status?.stateChangeReason ?? execution?.status?.athenaError?.errorMessage
            throw CollectError(
                .nothingCollected, "Athena query \(id) ended \(state)\(reason.map { ": " + $0 } ?? "").",
                remedy: "Check the table, workgroup and output location, then run the sweep again.")
        }
        var pages: [AWSResponse<Athena.GetQueryResultsOutput>] = []
        for try await page in athena.getQueryResults(id: id) { pages.append(page) }
        var file: (String, [UInt8])?
        if let location = execution?.resultConfiguration?.outputLocation, let (bucket, key) = Self.s3(location) {
            let object = try await resultAWS.s3.getObjectData(bucket: bucket, key: key)
            file = (location, Array(object.output))
        }
        return Execution(
            sql: sql, id: id, started: started.raw, described: described, resultPages: pages.map(\.raw),
            rows: Self.rows(pages.map(\.output)), resultFile: file)
    }

    /// Asks for the query's state until it has ended, waiting a little longer each time (up to 5 s). It
    /// gives up only when a question asked after `timeout` still finds the query running: a slow answer
    /// (the first always says RUNNING) is not taken for a slow query.
    private func waitForEnd(of id: String) async throws -> AWSResponse<Athena.GetQueryExecutionOutput> {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var wait = Duration.milliseconds(500)
        while true {
            let asked = clock.now
            let described = try await aws.athena.getQueryExecution(id: id)
            let state = described.output.queryExecution?.status?.state ?? ""
            if ["SUCCEEDED", "FAILED", "CANCELLED"].contains(state) { return described }
            guard asked < deadline else {
                throw CollectError(
                    .nothingCollected, "Athena query \(id) had not ended after \(timeout) (last state \(state)).",
                    remedy: "See it in the Athena console; a narrower --since reads fewer days.")
            }
            try await sleep(wait)
            wait = min(wait * 2, .seconds(5))
        }
    }

    /// The rows of `pages` by column name: names from the result's metadata, the header row that
    /// repeats them left out.
    static func rows(_ pages: [Athena.GetQueryResultsOutput]) -> [SweepRow] {
        let names = pages.first?.resultSet?.resultSetMetadata?.columnInfo.compactMap(\.name) ?? []
        var rows: [SweepRow] = []
        for (index, page) in pages.enumerated() {
            for (position, row) in (page.resultSet?.rows ?? []).enumerated() {
                let values = row.data.map { $0.varCharValue ?? "" }
                if index == 0 && position == 0 && values == names { continue }
                var byName: [String: String] = [:]
                for (column, value) in zip(names, values) { byName[column] = value }
                rows.append(SweepRow(byName))
            }
        }
        return rows
    }

    /// The bucket and key of `s3://bucket/key`.
    static func s3(_ location: String) -> (bucket: String, key: String)? {
        guard location.hasPrefix("s3://") else { return nil }
        let rest = location.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let bucket = String(rest[..<slash])
        let key = String(rest[rest.index(after: slash)...])
        return bucket.isEmpty || key.isEmpty ? nil : (bucket, key)
    }
}
