import CustodyJSON
/// EC2 operations ([API reference](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/)) in the client's
/// region. EC2 speaks its own Query dialect: lists as `Name.N`, answers with `item` lists and camel-case names.
public struct EC2: Sendable {
    /// A filter on a describe call, such as `instance-state-name` = `running`.
    public struct Filter: Hashable, Sendable {
        /// The filter's name.
        public var name: String
        /// The values, any of which matches.
        public var values: [String]

        /// Makes a filter.
        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }

        var json: JSONValue { ["Name": .string(name), "Value": .array(values.map { .string($0) })] }
    }

    /// The client calls go through.
    public let client: AWS

    /// EC2 calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// The regions: `DescribeRegions`; with `allRegions`, also those not enabled (with their opt-in status).
    public func describeRegions(allRegions: Bool = false) async throws -> AWSResponse<DescribeRegionsResult> {
        try await client.queryCall(.ec2, "DescribeRegions", allRegions ? ["AllRegions": true] : [:])
    }

    /// The instances, grouped in reservations: `DescribeInstances`, paginated.
    public func describeInstances(instanceIds: [String] = [], filters: [Filter] = [], maxResults: Int? = nil)
        -> AWSPaginator<DescribeInstancesResult>
    {
        var parameters = Self.common(filters: filters, maxResults: maxResults)
        if !instanceIds.isEmpty { parameters["InstanceId"] = .array(instanceIds.map { .string($0) }) }
        return client.tokenPages(.ec2, "DescribeInstances", parameters, nextToken: \.nextToken)
    }

    /// The VPC endpoints: `DescribeVpcEndpoints`, paginated.
    public func describeVpcEndpoints(filters: [Filter] = [], maxResults: Int? = nil)
        -> AWSPaginator<DescribeVpcEndpointsResult>
    {
        client.tokenPages(
            .ec2, "DescribeVpcEndpoints", Self.common(filters: filters, maxResults: maxResults),
            nextToken: \.nextToken)
    }

    /// The security groups: `DescribeSecurityGroups`, paginated.
    public func describeSecurityGroups(filters: [Filter] = [], maxResults: Int? = nil)
        -> AWSPaginator<DescribeSecurityGroupsResult>
    {
        client.tokenPages(
            .ec2, "DescribeSecurityGroups", Self.common(filters: filters, maxResults: maxResults),
            nextToken: \.nextToken)
    }

    /// The key pairs: `DescribeKeyPairs`.
    public func describeKeyPairs(includePublicKey: Bool = false, filters: [Filter] = [])
        async throws -> AWSResponse<DescribeKeyPairsResult>
    {
        var parameters = Self.common(filters: filters, maxResults: nil)
        if includePublicKey { parameters["IncludePublicKey"] = true }
        return try await client.queryCall(.ec2, "DescribeKeyPairs", parameters)
    }

    /// Which instance profile each instance has: `DescribeIamInstanceProfileAssociations`, paginated.
    public func describeIamInstanceProfileAssociations(filters: [Filter] = [], maxResults: Int? = nil)
        -> AWSPaginator<DescribeIamInstanceProfileAssociationsResult>
    {
        client.tokenPages(
            .ec2, "DescribeIamInstanceProfileAssociations", Self.common(filters: filters, maxResults: maxResults),
            nextToken: \.nextToken)
    }

    private static func common(filters: [Filter], maxResults: Int?) -> [String: JSONValue] {
        var parameters = parameters(("MaxResults", maxResults.json))
        if !filters.isEmpty { parameters["Filter"] = .array(filters.map(\.json)) }
        return parameters
    }
}
