public import Diff
public import EvidenceReading

/// Everything a report shows, computed once by `ReportBuilder` from verified evidence and
/// rendered by `render(_:)`: the same evidence and `generatedAt` give the same value and the same
/// bytes in every format (stable orders, no random ids, no clock reads).
///
/// Strings that come from the evidence (user names, user agents, targets …) are chosen by whoever
/// made the calls; the renderers always show them as text, never as markup.
public struct IncidentReport: Codable, Hashable, Sendable {
    /// Always `custody-report`.
    public var format = "custody-report"
    /// The report format version.
    public var version = 1
    /// The title.
    public var title: String
    /// When the report was made (UTC, ISO 8601), as the request pinned it.
    public var generatedAt: String
    /// The case folder, as given.
    public var caseFolder: String
    /// The accounts reported on.
    public var accounts: [String]
    /// The access keys followed as suspects from the start.
    public var suspectKeys: [String]
    /// The time the evidence covers.
    public var window: ReportWindow
    /// Findings by severity.
    public var severityCounts: SeverityCounts
    /// The verdict, in one paragraph.
    public var verdict: String
    /// What happened, since when, which keys and accounts, and what is still live, in three to five
    /// plain sentences: the first thing the report says.
    public var summary: String = ""
    /// Every indicator of the suspect actors and findings, with when it was first and last seen.
    public var indicators: [Indicator] = []
    /// How each account was analysed: which archives were diffed, or that its CloudTrail was hunted.
    public var analyses: [AccountAnalysis]
    /// The findings of every account, without duplicates, most severe first.
    public var findings: [Finding]
    /// The containment checklist: one step per distinct advice, with the findings it answers.
    public var containment: [ContainmentStep]
    /// The suspect actors.
    public var actors: [ActorSummary]
    /// The timeline table, oldest first: the actors' events, events findings cite, and the responder's containment.
    public var timeline: [TimelineEntry]
    /// Timeline rows left out to keep the report readable (the oldest kept, counts stay whole).
    public var timelineOmitted: Int
    /// Every CloudTrail event read, oldest first, duplicates once, the collector's calls included,
    /// each with who made it, its phase and the findings citing it: what `timeline.jsonl` lists.
    public var events = TimelineEvents()
    /// Every access key seen in CloudTrail, with the calls that are not the collector's own.
    public var keyUsage: [KeyUsage]
    /// Activity by region, the collector's own calls left out.
    public var regions: [RegionActivity]
    /// The CloudTrail queries, run over the slices, the collector's own calls left out.
    public var queries: [QueryTable]
    /// Events over time per actor, for the chart, the collector's own calls left out.
    public var activity: ActivitySeries
    /// Every archive read, with its verification result.
    public var evidence: [EvidenceEntry]
    /// Distinct CloudTrail events read.
    public var eventCount: Int
    /// Of those, the collector's own calls: counted here, left out of every table and chart.
    public var collectorEventCount: Int
    /// Of those, the events lacking a valid `eventTime`, an `eventName` or an `eventSource`; the
    /// notes say what the rules left out for them.
    public var incompleteEvents = IncompleteEvents()
    /// Things the reader should know (archives left out, comparisons that could not be made …).
    public var notes: [String]
    /// The eradication check of each account whose snapshots were diffed: each finding judged
    /// against the newest snapshot (`Eradication`).
    public var eradication: [Eradication] = []
    /// Where the Markdown appendix links the verification guide.
    public var verificationGuide: String

    /// Makes a report.
    public init(
        title: String, generatedAt: String, caseFolder: String, accounts: [String], suspectKeys: [String] = [],
        window: ReportWindow = ReportWindow(), severityCounts: SeverityCounts = SeverityCounts(), verdict: String = "",
        analyses: [AccountAnalysis] = [], findings: [Finding] = [], containment: [ContainmentStep] = [],
        actors: [ActorSummary] = [], timeline: [TimelineEntry] = [], timelineOmitted: Int = 0,
        keyUsage: [KeyUsage] = [], regions: [RegionActivity] = [], queries: [QueryTable] = [],
        activity: ActivitySeries = ActivitySeries(), evidence: [EvidenceEntry] = [], eventCount: Int = 0,
        collectorEventCount: Int = 0, notes: [String] = [], verificationGuide: String = "Docs/verifying-by-hand.md"
    ) {
        self.title = title
        self.generatedAt = generatedAt
        self.caseFolder = caseFolder
        self.accounts = accounts
        self.suspectKeys = suspectKeys
        self.window = window
        self.severityCounts = severityCounts
        self.verdict = verdict
        self.analyses = analyses
        self.findings = findings
        self.containment = containment
        self.actors = actors
        self.timeline = timeline
        self.timelineOmitted = timelineOmitted
        self.keyUsage = keyUsage
        self.regions = regions
        self.queries = queries
        self.activity = activity
        self.evidence = evidence
        self.eventCount = eventCount
        self.collectorEventCount = collectorEventCount
        self.notes = notes
        self.verificationGuide = verificationGuide
    }
}
