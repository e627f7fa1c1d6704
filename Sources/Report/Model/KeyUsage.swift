/// How one access key was used, from CloudTrail: the course's "all uses of a specific access key".
public struct KeyUsage: Codable, Hashable, Sendable {
    /// The access key id.
    public var accessKeyId: String
    /// Who it belongs to: an actor id, `collector`, or empty.
    public var actor: String?
    /// Whether it is the collector's own key (its calls are Custody's, not an intruder's).
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
    /// Events signed with it.
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
