public import CustodyJSON
public import Foundation

/// CloudTrail operations ([API reference](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/)) in
/// the client's region, over JSON 1.1. `LookupEvents` is paced at 2 calls per second per account and region.
public struct CloudTrail: Sendable {
    /// A `LookupEvents` condition, such as `Username` = `alice` or `EventName` = `CreateAccessKey`.
    public struct LookupAttribute: Hashable, Sendable {
        /// `EventId`, `EventName`, `ReadOnly`, `Username`, `ResourceType`, `ResourceName`, `EventSource` or
        /// `AccessKeyId`.
        public var key: String
        /// The value to match.
        public var value: String

        /// Makes a condition.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The client calls go through.
    public let client: AWS

    /// CloudTrail calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// The trails: `DescribeTrails`; with `includeShadowTrails`, also multi-region and organization trails
    /// homed elsewhere.
    public func describeTrails(trailNames: [String] = [], includeShadowTrails: Bool = true)
        async throws -> AWSResponse<DescribeTrailsResponse>
    {
        var parameters: [String: JSONValue] = ["includeShadowTrails": .bool(includeShadowTrails)]
        if !trailNames.isEmpty { parameters["trailNameList"] = .array(trailNames.map { .string($0) }) }
        return try await client.jsonCall(.cloudTrail, "DescribeTrails", parameters)
    }

    /// Whether a trail is logging, and its last delivery and errors: `GetTrailStatus`.
    public func getTrailStatus(name: String) async throws -> AWSResponse<GetTrailStatusResponse> {
        try await client.jsonCall(.cloudTrail, "GetTrailStatus", ["Name": .string(name)])
    }

    /// Which events a trail records: `GetEventSelectors`.
    public func getEventSelectors(trailName: String) async throws -> AWSResponse<GetEventSelectorsResponse> {
        try await client.jsonCall(.cloudTrail, "GetEventSelectors", ["TrailName": .string(trailName)])
    }

    /// Management events of the last 90 days: `LookupEvents`, paginated and paced.
    public func lookupEvents(
        startTime: Date? = nil, endTime: Date? = nil, lookupAttributes: [LookupAttribute] = [],
        maxResults: Int? = nil
    ) -> AWSPaginator<LookupEventsResponse> {
        var parameters = parameters(
            ("StartTime", startTime.map(JSONValue.epoch)), ("EndTime", endTime.map(JSONValue.epoch)),
            ("MaxResults", maxResults.json))
        if !lookupAttributes.isEmpty {
            parameters["LookupAttributes"] = .array(
                lookupAttributes.map { ["AttributeKey": .string($0.key), "AttributeValue": .string($0.value)] })
        }
        return client.tokenPages(.cloudTrail, "LookupEvents", parameters, nextToken: \.nextToken)
    }

    /// The public keys that verify digest files: `ListPublicKeys`, paginated.
    public func listPublicKeys(startTime: Date? = nil, endTime: Date? = nil) -> AWSPaginator<ListPublicKeysResponse> {
        client.tokenPages(
            .cloudTrail, "ListPublicKeys",
            parameters(("StartTime", startTime.map(JSONValue.epoch)), ("EndTime", endTime.map(JSONValue.epoch))),
            nextToken: \.nextToken)
    }
}

extension CloudTrail.Event {
    /// The full CloudTrail record that `cloudTrailEvent` carries as a JSON string, parsed; nil when absent or
    /// not JSON.
    public var record: JSONValue? {
        cloudTrailEvent.flatMap { try? JSONValue.parse(Data($0.utf8)) }
    }
}
