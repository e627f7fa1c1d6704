import CustodyJSON

/// CloudTrail Lake's query calls. `StartQuery` runs a query over an event data store and keeps its result
/// with the store (and at `DeliveryS3Uri` when given): a write, refused by ``ReadOnlyPolicy`` unless the
/// caller has permitted it for the call (`ReadOnlyPolicy.permittingQueries`), as a sweep does.
extension CloudTrail {
    /// Starts `statement` (which names the event data store after `FROM`): `StartQuery`.
    /// - Throws: `AWSClientError.Code.operationNotAllowed` unless queries are permitted for the call.
    public func startQuery(_ statement: String, deliveryS3Uri: String? = nil) async throws
        -> AWSResponse<StartQueryResponse>
    {
        try await client.jsonCall(
            .cloudTrail, "StartQuery",
            parameters(("QueryStatement", .string(statement)), ("DeliveryS3Uri", deliveryS3Uri.json)))
    }

    /// A query's status and statistics (events matched and scanned, bytes scanned): `DescribeQuery`.
    public func describeQuery(id: String, eventDataStore: String? = nil) async throws
        -> AWSResponse<DescribeQueryResponse>
    {
        try await client.jsonCall(
            .cloudTrail, "DescribeQuery",
            parameters(("QueryId", .string(id)), ("EventDataStore", eventDataStore.json)))
    }

    /// A finished query's rows, each a list of one-column objects: `GetQueryResults`, paginated.
    public func getQueryResults(id: String, eventDataStore: String? = nil, maxResults: Int? = nil)
        -> AWSPaginator<GetQueryResultsResponse>
    {
        client.tokenPages(
            .cloudTrail, "GetQueryResults",
            parameters(
                ("QueryId", .string(id)), ("EventDataStore", eventDataStore.json), ("MaxQueryResults", maxResults.json)),
            nextToken: \.nextToken)
    }

    /// One event data store, by ARN or by the id at the end of its ARN: `GetEventDataStore`.
    public func getEventDataStore(_ eventDataStore: String) async throws -> AWSResponse<GetEventDataStoreResponse> {
        try await client.jsonCall(
            .cloudTrail, "GetEventDataStore", parameters(("EventDataStore", .string(eventDataStore))))
    }

    /// The event data stores of the account in the client's region: `ListEventDataStores`, paginated.
    public func listEventDataStores() -> AWSPaginator<ListEventDataStoresResponse> {
        client.tokenPages(.cloudTrail, "ListEventDataStores", parameters(), nextToken: \.nextToken)
    }
}
