import Diff
import EvidenceReading

/// `findings.json`: the findings with the report's accounts and evidence
/// (`Schemas/report-findings.schema.json`).
struct FindingsDocument: Encodable {
    var format = "custody-report-findings"
    var version = 1
    var title: String
    var generatedAt: String
    var accounts: [String]
    var suspectKeys: [String]
    var window: ReportWindow
    var severityCounts: SeverityCounts
    var verdict: String
    var summary: String
    var analyses: [AccountAnalysis]
    var findings: [Finding]
    var containment: [ContainmentStep]
    var actors: [ActorSummary]
    var evidence: [EvidenceEntry]
    var incompleteEvents: IncompleteEvents
    var notes: [String]
    var eradication: [Eradication]

    init(_ report: IncidentReport) {
        title = report.title
        generatedAt = report.generatedAt
        accounts = report.accounts
        suspectKeys = report.suspectKeys
        window = report.window
        severityCounts = report.severityCounts
        verdict = report.verdict
        summary = report.summary
        analyses = report.analyses
        findings = report.findings
        containment = report.containment
        actors = report.actors
        evidence = report.evidence
        incompleteEvents = report.incompleteEvents
        notes = report.notes
        eradication = report.eradication
    }
}
