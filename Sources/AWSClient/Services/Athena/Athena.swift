import CustodyJSON

/// Athena operations ([API reference](https://docs.aws.amazon.com/athena/latest/APIReference/)) in the
/// client's region, over JSON 1.1.
///
/// `StartQueryExecution` runs a query and writes its result to the output location: the one write
/// Custody makes, refused by ``ReadOnlyPolicy`` unless the caller has permitted it for the call
/// (`ReadOnlyPolicy.permittingQueries`), as `custody sweep` does and nothing else.
public struct Athena: Sendable {
    /// The client calls go through.
    public let client: AWS

    /// Athena calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// Starts `query`: `StartQueryExecution`. The result goes to `outputLocation` when given, otherwise
    /// to the workgroup's.
    /// - Throws: `AWSClientError.Code.operationNotAllowed` unless queries are permitted for the call.
    public func startQueryExecution(
        _ query: String, workGroup: String? = nil, outputLocation: String? = nil, database: String? = nil,
        clientRequestToken: String? = nil
    ) async throws -> AWSResponse<StartQueryExecutionOutput> {
        var parameters = parameters(
            ("QueryString", .string(query)), ("WorkGroup", workGroup.json),
            ("ClientRequestToken", clientRequestToken.json))
        if let outputLocation { parameters["ResultConfiguration"] = ["OutputLocation": .string(outputLocation)] }
        if let database { parameters["QueryExecutionContext"] = ["Database": .string(database)] }
        return try await client.jsonCall(.athena, "StartQueryExecution", parameters)
    }

    /// A query's state, statistics (bytes scanned) and result location: `GetQueryExecution`.
    public func getQueryExecution(id: String) async throws -> AWSResponse<GetQueryExecutionOutput> {
        try await client.jsonCall(.athena, "GetQueryExecution", ["QueryExecutionId": .string(id)])
    }

    /// The ids of a workgroup's queries, newest first: `ListQueryExecutions`, paginated. A read: what
    /// `custody preflight --sweep athena` tries to learn whether the caller may use Athena there.
    public func listQueryExecutions(workGroup: String? = nil, maxResults: Int? = nil)
        -> AWSPaginator<ListQueryExecutionsOutput>
    {
        client.tokenPages(
            .athena, "ListQueryExecutions",
            parameters(("WorkGroup", workGroup.json), ("MaxResults", maxResults.json)), nextToken: \.nextToken)
    }

    /// A finished query's rows, the first row of the first page being the column names: `GetQueryResults`,
    /// paginated.
    public func getQueryResults(id: String, maxResults: Int? = nil) -> AWSPaginator<GetQueryResultsOutput> {
        client.tokenPages(
            .athena, "GetQueryResults",
            parameters(("QueryExecutionId", .string(id)), ("MaxResults", maxResults.json)), nextToken: \.nextToken)
    }
}
