import CustodyJSON
import Foundation

/// Account Management operations ([API reference](https://docs.aws.amazon.com/accounts/latest/reference/)),
/// global, over REST-JSON.
public struct AccountManagement: Sendable {
    /// The client calls go through.
    public let client: AWS

    /// Account Management calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// The regions and their opt-in status: `ListRegions`, paginated.
    /// - Parameter statuses: `ENABLED`, `ENABLING`, `DISABLING`, `DISABLED`, `ENABLED_BY_DEFAULT`; all when empty.
    public func listRegions(statuses: [String] = [], accountId: String? = nil) -> AWSPaginator<ListRegionsResponse> {
        AWSPaginator { [client] token in
            var body = parameters(("AccountId", accountId.json), ("NextToken", token.json))
            if !statuses.isEmpty { body["RegionOptStatusContains"] = .array(statuses.map { .string($0) }) }
            var call = OperationCall(service: .account, action: "ListRegions")
            call.path = "/listRegions"
            call.headers.add("Content-Type", "application/json")
            call.body = Data(JSONValue.object(body).description.utf8)
            call.parameters = .object(body)
            let page: AWSResponse<ListRegionsResponse> = try await client.restCall(call)
            return (page, page.output.nextToken)
        }
    }
}
