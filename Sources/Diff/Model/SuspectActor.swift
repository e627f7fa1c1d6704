public import EvidenceReading
/// Everything reachable from a suspect key, as one actor (`TECHNIQUES.md`, "Following a leaked key"):
/// the credentials it obtained, what those created, and every event each of them made.
public struct SuspectActor: Codable, Hashable, Sendable {
    /// How a credential joined the actor.
    public struct Credential: Codable, Hashable, Sendable {
        /// The access key id (`AKIA…` or `ASIA…`).
        public var accessKeyId: String
        /// How it was obtained: `suspect`, `session-token`, `federation-token`, `assumed-role`,
        /// `created-access-key`, `instance-role`, or `made-a-finding`.
        public var origin: String
        /// The principal using it (user, role session or federated user ARN), when known.
        public var principal: String?
        /// The key that obtained it, when another key did.
        public var obtainedBy: String?
        /// The event that obtained it.
        public var event: EventReference?
        /// For temporary credentials: how long they stay usable.
        public var exposure: ExposureWindow?

        /// Makes a credential.
        public init(
            accessKeyId: String, origin: String, principal: String? = nil, obtainedBy: String? = nil,
            event: EventReference? = nil, exposure: ExposureWindow? = nil
        ) {
            self.accessKeyId = accessKeyId
            self.origin = origin
            self.principal = principal
            self.obtainedBy = obtainedBy
            self.event = event
            self.exposure = exposure
        }
    }

    /// `actor-1`, `actor-2` …, in the order of their first event.
    public var id: String
    /// The keys that made the actor suspect: given with `--suspect-key`, or behind a high finding.
    public var seeds: [String]
    /// Every credential of the actor, in the order obtained.
    public var credentials: [Credential]
    /// Principals (user, role session, federated user ARNs) the actor acted as.
    public var principals: [String]
    /// Things the actor created or changed, from the findings.
    public var created: [EntityReference]
    /// VPC endpoints the actor's calls came through.
    public var vpcEndpoints: [String]
    /// Source addresses the actor's calls came from.
    public var sourceIPAddresses: [String]
    /// User agents.
    public var userAgents: [String]
    /// Regions it was active in.
    public var regions: [String]
    /// The first and last event times.
    public var firstSeen: String?
    /// The last event time.
    public var lastSeen: String?
    /// How many events it made.
    public var eventCount: Int
    /// Every event it made, oldest first.
    public var events: [EventReference]

    /// Makes an actor.
    public init(
        id: String, seeds: [String], credentials: [Credential], principals: [String], created: [EntityReference],
        vpcEndpoints: [String], sourceIPAddresses: [String], userAgents: [String], regions: [String],
        firstSeen: String?, lastSeen: String?, eventCount: Int, events: [EventReference]
    ) {
        self.id = id
        self.seeds = seeds
        self.credentials = credentials
        self.principals = principals
        self.created = created
        self.vpcEndpoints = vpcEndpoints
        self.sourceIPAddresses = sourceIPAddresses
        self.userAgents = userAgents
        self.regions = regions
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.eventCount = eventCount
        self.events = events
    }
}
