/// One CloudTrail event as the timeline shows it: when, who made it with which key, from where,
/// what it acted on, its phase, and the findings that cite it. A row of the report's timeline table
/// and a line of `timeline.jsonl` alike.
public struct TimelineEntry: Codable, Hashable, Sendable {
    /// The event time as written (UTC).
    public var time: String
    /// The account.
    public var account: String
    /// Who made it: an actor id, `responder`, `collector`, or `other principals` (anyone else).
    public var actor: String
    /// The phase of the attack or response; every row of the timeline table has one, an event of
    /// the collector or of other principals that no finding cites has none.
    public var phase: Phase?
    /// The principal's ARN, or its type and account.
    public var principal: String?
    /// The access key that signed the call.
    public var accessKeyId: String?
    /// `sourceIPAddress`.
    public var sourceIPAddress: String?
    /// `vpcEndpointId`, when the call came through a VPC endpoint.
    public var vpcEndpointId: String?
    /// `awsRegion`.
    public var region: String?
    /// `eventSource`.
    public var eventSource: String?
    /// `eventName`.
    public var eventName: String?
    /// What it acted on (`userName=alice accessKeyId=AKIA…`), from the request.
    public var target: String?
    /// `errorCode`, when the call failed.
    public var errorCode: String?
    /// `userAgent`.
    public var userAgent: String?
    /// CloudTrail's `eventID`.
    public var eventID: String?
    /// The rules of the findings that cite it.
    public var findings: [String]
    /// The ids of the findings that cite it (`custody/<rule>/<64 hex>`, as `findings.asff.json`
    /// and `findings.ocsf.json` name them).
    public var findingIds: [String]
    /// The title of the most severe of those findings.
    public var findingTitle: String?
    /// Where the record is: `archive member#line`.
    public var evidence: String?

    /// Makes a row.
    public init(
        time: String, account: String, actor: String, phase: Phase?, principal: String? = nil,
        accessKeyId: String? = nil,
        sourceIPAddress: String? = nil, vpcEndpointId: String? = nil, region: String? = nil, eventSource: String? = nil,
        eventName: String? = nil, target: String? = nil, errorCode: String? = nil, userAgent: String? = nil,
        eventID: String? = nil, findings: [String] = [], findingIds: [String] = [], findingTitle: String? = nil,
        evidence: String? = nil
    ) {
        self.time = time
        self.account = account
        self.actor = actor
        self.phase = phase
        self.principal = principal
        self.accessKeyId = accessKeyId
        self.sourceIPAddress = sourceIPAddress
        self.vpcEndpointId = vpcEndpointId
        self.region = region
        self.eventSource = eventSource
        self.eventName = eventName
        self.target = target
        self.errorCode = errorCode
        self.userAgent = userAgent
        self.eventID = eventID
        self.findings = findings
        self.findingIds = findingIds
        self.findingTitle = findingTitle
        self.evidence = evidence
    }

    /// The source IP, or the VPC endpoint the call came through (`vpce-… (VPC endpoint)`).
    public var origin: String? {
        switch (sourceIPAddress, vpcEndpointId) {
        case (let ip?, let endpoint?): "\(ip) via \(endpoint)"
        case (nil, let endpoint?): endpoint
        case (let ip, nil): ip
        }
    }
}

/// The phases of an attack and its response that the timeline marks events with.
public enum Phase: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// Looking around: List, Describe, Get, and denied attempts.
    case reconnaissance
    /// A way back in: keys, users, passwords, roles, instances with roles, endpoints, tokens.
    case persistence
    /// Logging, detection or firewalls weakened.
    case defenceImpairment = "defence-impairment"
    /// Secrets, parameters or instance passwords read.
    case credentialAccess = "credential-access"
    /// Any other act of a suspect (execution, sharing, deletions …).
    case other
    /// The responder's own containment after the attack started: keys disabled or deleted,
    /// persistence removed, deny policies.
    case containment

    /// How the phase reads in the timeline.
    public var title: String {
        switch self {
        case .reconnaissance: "Reconnaissance"
        case .persistence: "Persistence"
        case .defenceImpairment: "Defence impairment"
        case .credentialAccess: "Credential access"
        case .other: "Other activity"
        case .containment: "Containment"
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// In the order above.
    public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rank < rhs.rank }
}
