public import EvidenceArchive

/// One archive the report read, with its verification result.
public struct EvidenceEntry: Codable, Hashable, Sendable {
    /// The path relative to the case folder (`111122223333/000001-….tar`).
    public var path: String
    /// The account.
    public var account: String?
    /// Its place in the chain.
    public var sequence: Int?
    /// What it holds, when its manifest could be read.
    public var kind: Manifest.Kind?
    /// When it was sealed.
    public var finishedAt: String?
    /// SHA-256 of its exact `manifest.json`.
    public var manifestSHA256: String?
    /// The signer's fingerprint (SHA-256 of its SubjectPublicKeyInfo DER).
    public var signerFingerprint: String?
    /// Why that signer is trusted.
    public var signerTrustedBecause: String?
    /// The CloudTrail window `from/to` it covers.
    public var cloudTrailWindow: String?
    /// Whether it verified.
    public var ok: Bool
    /// The problem codes (`member-changed` …) when it did not, chain problems included.
    public var problems: [String]
    /// The problems in words.
    public var problemMessages: [String]
    /// Coverage gaps the collection recorded: `source region item: status (error)`.
    public var coverageGaps: [String]
    /// Whether the report's findings and tables read it (only archives that verify are read).
    public var used: Bool

    /// Makes an entry.
    public init(
        path: String, account: String?, sequence: Int?, kind: Manifest.Kind?, finishedAt: String? = nil,
        manifestSHA256: String?,
        signerFingerprint: String?, signerTrustedBecause: String? = nil, cloudTrailWindow: String? = nil, ok: Bool,
        problems: [String] = [], problemMessages: [String] = [], coverageGaps: [String] = [], used: Bool = true
    ) {
        self.path = path
        self.account = account
        self.sequence = sequence
        self.kind = kind
        self.finishedAt = finishedAt
        self.manifestSHA256 = manifestSHA256
        self.signerFingerprint = signerFingerprint
        self.signerTrustedBecause = signerTrustedBecause
        self.cloudTrailWindow = cloudTrailWindow
        self.ok = ok
        self.problems = problems
        self.problemMessages = problemMessages
        self.coverageGaps = coverageGaps
        self.used = used
    }

    /// `ok`, or the problem codes.
    public var verification: String { ok ? "ok" : problems.joined(separator: ", ") }
}
