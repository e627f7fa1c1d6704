/// GuardDuty operations ([API reference](https://docs.aws.amazon.com/guardduty/latest/APIReference/)) in the
/// client's region, over REST-JSON.
public struct GuardDuty: Sendable {
    /// The client calls go through.
    public let client: AWS

    /// GuardDuty calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// The detector ids of the region (at most one per account): `ListDetectors`, paginated.
    public func listDetectors(maxResults: Int? = nil) -> AWSPaginator<ListDetectorsResponse> {
        AWSPaginator { [client] token in
            var call = OperationCall(service: .guardDuty, action: "ListDetectors")
            call.method = "GET"
            call.path = "/detector"
            if let maxResults { call.query.append(("maxResults", String(maxResults))) }
            if let token { call.query.append(("nextToken", token)) }
            call.parameters = .object(parameters(("MaxResults", maxResults.json), ("NextToken", token.json)))
            let page: AWSResponse<ListDetectorsResponse> = try await client.restCall(call)
            return (page, page.output.nextToken)
        }
    }

    /// A detector's status, features and data sources: `GetDetector`.
    public func getDetector(detectorId: String) async throws -> AWSResponse<GetDetectorResponse> {
        var call = OperationCall(service: .guardDuty, action: "GetDetector")
        call.method = "GET"
        call.path = "/detector/" + URIEncoding.encode(detectorId)
        call.parameters = ["DetectorId": .string(detectorId)]
        return try await client.restCall(call)
    }
}
