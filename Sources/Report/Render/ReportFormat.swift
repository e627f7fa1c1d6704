/// The files a report can be rendered to.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// `report.md`: GitHub-flavoured Markdown.
    case markdown = "md"
    /// `report.html`: one self-contained HTML file.
    case html
    /// `findings.json`: findings, accounts and evidence.
    case json
    /// `timeline.jsonl`: the timeline in Timesketch's import format.
    case timesketch
    /// `iocs.csv`: the indicators, one per row.
    case iocs
    /// `iocs.stix.json`: the indicators as a STIX 2.1 bundle.
    case stix
    // The findings for the tools responders already run.
    /// `findings.asff.json`: the findings in the AWS Security Finding Format, as Security Hub's
    /// `BatchImportFindings` request.
    case asff
    /// `findings.ocsf.json`: the findings as OCSF Detection Finding records.
    case ocsf

    /// The file name it renders to.
    public var fileName: String {
        switch self {
        case .markdown: "report.md"
        case .html: "report.html"
        case .json: "findings.json"
        case .timesketch: "timeline.jsonl"
        case .iocs: "iocs.csv"
        case .stix: "iocs.stix.json"
        case .asff: "findings.asff.json"
        case .ocsf: "findings.ocsf.json"
        }
    }
}

/// One rendered file of a report bundle.
public struct ReportFile: Sendable, Hashable {
    /// Its name in the bundle: one of `ReportFormat`'s file names.
    public var name: String
    /// Its bytes.
    public var bytes: [UInt8]

    /// Makes a file.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}
