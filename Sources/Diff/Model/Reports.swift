public import EvidenceReading

/// What `custody diff` reports: the structured diff of two snapshots of one account and the
/// findings (`Schemas/diff.schema.json`).
public struct DiffReport: Codable, Hashable, Sendable {
    /// Always `custody-diff`.
    public var format = "custody-diff"
    /// The format version.
    public var version = DiffEngine.findingsFormatVersion
    /// The account.
    public var account: String
    /// The earlier archive.
    public var before: ArchiveReference?
    /// The later archive.
    public var after: ArchiveReference?
    /// Whether the archives were given later first (and were put in order).
    public var swapped: Bool
    /// Archives of the chain between the two whose CloudTrail was read too.
    public var between: [ArchiveReference]
    /// The archive after the later one, when there is one: its CloudTrail up to the later one's start
    /// was read too, since CloudTrail delivers events late.
    public var next: ArchiveReference?
    /// The entity changes.
    public var diff: SnapshotDiff
    /// The findings, most severe first.
    public var findings: [Finding]
    /// Suspect actors and everything they did.
    public var actors: [SuspectActor]
    /// The CloudTrail members read.
    public var cloudTrail: [TrailSource]
    /// Events read after the baseline.
    public var eventCount: Int
    /// Events read (the baseline's too) lacking a valid `eventTime`, an `eventName` or an `eventSource`.
    public var incompleteEvents = IncompleteEvents()
    /// Things a responder should know about the comparison (regions collected once, no CloudTrail …).
    public var notes: [String]
    /// The eradication check: each finding judged against the later snapshot (`Eradication`).
    public var eradication: Eradication?

    /// Makes a report.
    public init(
        account: String, before: ArchiveReference?, after: ArchiveReference?, swapped: Bool = false,
        between: [ArchiveReference] = [], diff: SnapshotDiff, findings: [Finding], actors: [SuspectActor],
        cloudTrail: [TrailSource] = [], eventCount: Int = 0, notes: [String] = []
    ) {
        self.account = account
        self.before = before
        self.after = after
        self.swapped = swapped
        self.between = between
        self.diff = diff
        self.findings = findings
        self.actors = actors
        self.cloudTrail = cloudTrail
        self.eventCount = eventCount
        self.notes = notes
    }
}

/// What `custody hunt` reports: the CloudTrail rules over the slices of the archives given
/// (`Schemas/findings.schema.json`).
public struct HuntReport: Codable, Hashable, Sendable {
    /// Always `custody-findings`.
    public var format = "custody-findings"
    /// The format version.
    public var version = DiffEngine.findingsFormatVersion
    /// The accounts whose archives were read.
    public var accounts: [String]
    /// The archives read.
    public var archives: [ArchiveReference]
    /// The CloudTrail members read.
    public var cloudTrail: [TrailSource]
    /// Distinct events read.
    public var eventCount: Int
    /// Events seen in more than one slice, counted once.
    public var duplicates: Int
    /// Events lacking a valid `eventTime`, an `eventName` or an `eventSource`; `notes` says what the
    /// rules left out for them.
    public var incompleteEvents = IncompleteEvents()
    /// The findings, most severe first; every one `cloudtrail-only`.
    public var findings: [Finding]
    /// Suspect actors and everything they did.
    public var actors: [SuspectActor]
    /// Things a responder should know.
    public var notes: [String]

    /// Makes a report.
    public init(
        accounts: [String], archives: [ArchiveReference], cloudTrail: [TrailSource], eventCount: Int, duplicates: Int,
        findings: [Finding], actors: [SuspectActor], notes: [String] = []
    ) {
        self.accounts = accounts
        self.archives = archives
        self.cloudTrail = cloudTrail
        self.eventCount = eventCount
        self.duplicates = duplicates
        self.findings = findings
        self.actors = actors
        self.notes = notes
    }
}
