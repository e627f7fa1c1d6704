public import Diff

/// A suspect actor (`Diff.Actor`) without its event list: the credentials, principals and sources
/// of everything reachable from a suspect key.
public struct ActorSummary: Codable, Hashable, Sendable {
    /// `actor-1` …; with several accounts, `<account>/actor-1`.
    public var id: String
    /// The account.
    public var account: String
    /// The keys that made it suspect.
    public var seeds: [String]
    /// Every access key it used, with how it got it (`AKIA… (suspect)`).
    public var credentials: [String]
    /// The principals it acted as.
    public var principals: [String]
    /// Source addresses.
    public var sourceIPAddresses: [String]
    /// VPC endpoints its calls came through.
    public var vpcEndpoints: [String]
    /// User agents.
    public var userAgents: [String]
    /// Regions.
    public var regions: [String]
    /// First event time.
    public var firstSeen: String?
    /// Last event time.
    public var lastSeen: String?
    /// How many events it made.
    public var eventCount: Int
    /// Its temporary credentials and how long each stays usable (they outlive the key that made them).
    public var exposures: [ExposureWindow]

    /// Makes a summary.
    public init(
        id: String, account: String, seeds: [String], credentials: [String], principals: [String],
        sourceIPAddresses: [String], vpcEndpoints: [String], userAgents: [String], regions: [String],
        firstSeen: String?, lastSeen: String?, eventCount: Int, exposures: [ExposureWindow] = []
    ) {
        self.id = id
        self.account = account
        self.seeds = seeds
        self.credentials = credentials
        self.principals = principals
        self.sourceIPAddresses = sourceIPAddresses
        self.vpcEndpoints = vpcEndpoints
        self.userAgents = userAgents
        self.regions = regions
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.eventCount = eventCount
        self.exposures = exposures
    }
}
