public import EvidenceArchive

/// An archive a report read: enough to find it again and check it is the same.
public struct ArchiveReference: Codable, Hashable, Sendable {
    /// The path, as given.
    public var path: String
    /// The account.
    public var account: String
    /// Its place in the account's chain.
    public var sequence: Int
    /// What it holds.
    public var kind: Manifest.Kind
    /// SHA-256 of its exact `manifest.json`.
    public var manifestSHA256: String?
    /// When collection started.
    public var startedAt: String
    /// The CloudTrail window it covers.
    public var cloudTrailWindow: String?

    /// Makes a reference.
    public init(
        path: String, account: String, sequence: Int, kind: Manifest.Kind, manifestSHA256: String?, startedAt: String,
        cloudTrailWindow: String? = nil
    ) {
        self.path = path
        self.account = account
        self.sequence = sequence
        self.kind = kind
        self.manifestSHA256 = manifestSHA256
        self.startedAt = startedAt
        self.cloudTrailWindow = cloudTrailWindow
    }
}
