public import EvidenceReading

/// What the newest snapshot says of one finding, or of one credential of a suspect actor that no
/// finding names: its status, why, and for what remains the AWS CLI commands that finish it.
public struct EradicationResult: Codable, Hashable, Sendable {
    /// Whether it is still there.
    public var status: EradicationStatus
    /// The account.
    public var account: String
    /// The finding's rule; absent for an actor's credential that no finding names.
    public var rule: RuleID?
    /// The finding's position (from 0) in the `findings` of the same document; absent for an actor's credential.
    public var finding: Int?
    /// The finding's title, or what the credential is.
    public var title: String
    /// The thing checked.
    public var entity: EntityReference
    /// The suspect actor, when it is one's.
    public var actor: String?
    /// What the newest snapshot shows, in a sentence or two.
    public var reason: String
    /// For what remains: the AWS CLI commands that finish it (the containment advice's, with what
    /// the newest snapshot shows filled in). Custody never runs them.
    public var commands: [String]
    /// Where the newest snapshot shows it, when it does.
    public var evidence: EvidencePointer?

    /// Makes a result.
    public init(
        status: EradicationStatus, account: String, rule: RuleID? = nil, finding: Int? = nil, title: String,
        entity: EntityReference, actor: String? = nil, reason: String, commands: [String] = [],
        evidence: EvidencePointer? = nil
    ) {
        self.status = status
        self.account = account
        self.rule = rule
        self.finding = finding
        self.title = title
        self.entity = entity
        self.actor = actor
        self.reason = reason
        self.commands = commands
        self.evidence = evidence
    }
}
