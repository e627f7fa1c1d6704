/// How one access key was used, from CloudTrail: every call signed with it but the collector's own.
public struct KeyUsage: Codable, Hashable, Sendable {
    /// The access key id.
    public var accessKeyId: String
    /// The suspect actor it belongs to, if any.
    public var actor: String?
    /// Whether it is a key the collector used. Its collection calls are not counted here; what is
    /// counted is every other use, which someone other than custody made.
    public var isCollector: Bool
    /// The principals that used it.
    public var principals: [String]
    /// First use seen.
    public var firstSeen: String?
    /// Last use seen.
    public var lastSeen: String?
    /// Source addresses, most used first.
    public var sourceIPAddresses: [String]
    /// VPC endpoints.
    public var vpcEndpoints: [String]
    /// User agents, most used first.
    public var userAgents: [String]
    /// Regions.
    public var regions: [String]
    /// Events signed with it, the collector's own calls left out.
    public var eventCount: Int
    /// Of those, failed calls.
    public var errorCount: Int

    /// Makes a usage record.
    public init(
        accessKeyId: String, actor: String?, isCollector: Bool, principals: [String], firstSeen: String?,
        lastSeen: String?,
        sourceIPAddresses: [String], vpcEndpoints: [String], userAgents: [String], regions: [String], eventCount: Int,
        errorCount: Int
    ) {
        self.accessKeyId = accessKeyId
        self.actor = actor
        self.isCollector = isCollector
        self.principals = principals
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sourceIPAddresses = sourceIPAddresses
        self.vpcEndpoints = vpcEndpoints
        self.userAgents = userAgents
        self.regions = regions
        self.eventCount = eventCount
        self.errorCount = errorCount
    }
}
