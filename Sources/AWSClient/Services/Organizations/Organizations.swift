/// Organizations operations ([API reference](https://docs.aws.amazon.com/organizations/latest/APIReference/)),
/// global, over JSON 1.1.
public struct Organizations: Sendable {
    /// The client calls go through.
    public let client: AWS

    /// Organizations calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// The organization the account belongs to: `DescribeOrganization`; AWS answers
    /// `AWSOrganizationsNotInUseException` when it belongs to none.
    public func describeOrganization() async throws -> AWSResponse<DescribeOrganizationResponse> {
        try await client.jsonCall(.organizations, "DescribeOrganization")
    }

    /// The organization's accounts (from the management or a delegated administrator account): `ListAccounts`,
    /// paginated.
    public func listAccounts(maxResults: Int? = nil) -> AWSPaginator<ListAccountsResponse> {
        client.tokenPages(
            .organizations, "ListAccounts", parameters(("MaxResults", maxResults.json)), nextToken: \.nextToken)
    }
}
