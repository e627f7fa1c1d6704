public import EvidenceArchive
public import Foundation

/// What `ReportBuilder.build` reads and how: a case folder, which of its accounts, which two
/// archives to compare, which keys are suspect, and whom to trust.
public struct ReportRequest: Sendable {
    /// A case folder (`CaseFolder`): one chain of archives per account.
    public var caseFolder: String
    /// The accounts to report on; empty for every account of the case.
    public var accounts: [String]
    /// With `current`: diff exactly these two archives (of one account) instead of that account's
    /// oldest and newest evidence archives.
    public var baseline: String?
    /// The later archive to diff against `baseline`.
    public var current: String?
    /// Access keys to follow as suspects from the start (the leaked key).
    public var suspectKeys: [String]
    /// Signers trusted besides the case key.
    public var trust: TrustStore
    /// The report's own time; pin it for reproducible output. The library reads no clock: the
    /// default is the time the request is made.
    public var generatedAt: Date
    /// The title; `nil` for "Incident report: account …".
    public var title: String?
    /// Where the appendix's Markdown link to the verification guide points, relative to report.md.
    public var verificationGuide: String
    /// The most one gzip CloudTrail member may expand to; reading it stops there, and a note says so.
    public var decompressedSizeLimit: DecompressedSizeLimit

    /// Makes a request; only the case folder is required.
    public init(
        caseFolder: String, accounts: [String] = [], baseline: String? = nil, current: String? = nil,
        suspectKeys: [String] = [], trust: TrustStore = TrustStore(), generatedAt: Date = Date(),
        title: String? = nil, verificationGuide: String = "Docs/verifying-by-hand.md",
        decompressedSizeLimit: DecompressedSizeLimit = .standard
    ) {
        self.caseFolder = caseFolder
        self.accounts = accounts
        self.baseline = baseline
        self.current = current
        self.suspectKeys = suspectKeys
        self.trust = trust
        self.generatedAt = generatedAt
        self.title = title
        self.verificationGuide = verificationGuide
        self.decompressedSizeLimit = decompressedSizeLimit
    }
}
