public import EvidenceReading
/// One thing a responder acts on: a persistence artifact or a suspicious act, who made it, when,
/// from where, the evidence, and what to do about it. `Schemas/findings.schema.json` describes it.
public struct Finding: Codable, Hashable, Sendable {
    /// Where a finding was seen.
    public enum Basis: String, Codable, Hashable, Sendable {
        /// In the difference between two snapshots (the CloudTrail event, when found, is attached).
        case snapshotDiff = "snapshot-diff"
        /// In CloudTrail only: no snapshot shows it (none was given, or the thing is gone again).
        case cloudTrailOnly = "cloudtrail-only"
    }

    /// Which way a call went when it undid or removed rather than made: such a finding is never
    /// raised for being a suspect's (see `Docs/rules.md`, "Severity").
    public enum Effect: String, Codable, Hashable, Sendable {
        /// A defence restored or access taken away, the thing left in place: logging started or its
        /// selectors restored, a detector enabled, a trust reset to AWS services only, a key
        /// disabled, an administrator policy detached, ingress revoked.
        case containment
        /// A thing deleted: an access key, user, console password, role, instance, VPC endpoint, key pair …
        case cleanUp = "clean-up"
    }

    /// The rule, by its name in `TECHNIQUES.md`.
    public var rule: RuleID
    /// What was found, with its names filled in.
    public var title: String
    /// How urgent it is.
    public var severity: Severity
    /// Why the rule chose that severity, in a sentence or two.
    public var reason: String
    /// ATT&CK techniques, the main one first.
    public var techniques: [Technique]
    /// Where it was seen.
    public var basis: Basis
    /// The account.
    public var account: String
    /// The region, for regional things and calls.
    public var region: String?
    /// The thing it is about.
    public var entity: EntityReference
    /// Where the evidence is: snapshot members and CloudTrail records.
    public var evidence: [EvidencePointer]
    /// The CloudTrail event that caused it, when the slice holds it.
    public var event: EventReference?
    /// Other events that belong to it (a policy attached to a new user, calls through a new endpoint …), oldest first.
    public var relatedEvents: [EventReference]
    /// For temporary credentials: how long they stay usable.
    public var exposure: ExposureWindow?
    /// The actor (see `SuspectActor`) whose act this was, when it was a suspect's.
    public var actor: String?
    /// Set when the call contained or cleaned up rather than made something.
    public var effect: Effect?
    /// What to do about it.
    public var containment: Containment
    /// Small facts, such as `trustedAccounts` or `policyArn`.
    public var details: [String: String]

    /// Makes a finding; techniques come from the rule.
    public init(
        rule: RuleID, title: String, severity: Severity, reason: String, basis: Basis, account: String,
        region: String? = nil, entity: EntityReference, evidence: [EvidencePointer] = [], event: EventReference? = nil,
        relatedEvents: [EventReference] = [], exposure: ExposureWindow? = nil, actor: String? = nil,
        effect: Effect? = nil, containment: Containment, details: [String: String] = [:]
    ) {
        self.rule = rule
        self.title = title
        self.severity = severity
        self.reason = reason
        self.techniques = Rule.named(rule).techniques
        self.basis = basis
        self.account = account
        self.region = region
        self.entity = entity
        self.evidence = evidence
        self.event = event
        self.relatedEvents = relatedEvents
        self.exposure = exposure
        self.actor = actor
        self.effect = effect
        self.containment = containment
        self.details = details
    }
}

extension Finding {
    /// Findings in the order a responder reads them: most severe first, then by time, rule and entity.
    static func ordered(_ lhs: Finding, _ rhs: Finding) -> Bool {
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        let left = lhs.event?.eventTime ?? "", right = rhs.event?.eventTime ?? ""
        if left != right { return left < right }
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        return lhs.entity.id < rhs.entity.id
    }
}
