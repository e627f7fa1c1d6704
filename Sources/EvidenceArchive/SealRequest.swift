public import Foundation

/// One member to seal: its name in the archive and where its bytes come from.
public struct SealMember: Sendable, Hashable {
    /// Where a member's bytes come from.
    public enum Source: Sendable, Hashable {
        /// A file on disk, streamed.
        case file(String)
        /// Bytes in memory.
        case bytes([UInt8])
    }

    /// The name inside the archive, such as `files/notes.txt`.
    public var path: String
    /// Where the bytes come from.
    public var source: Source

    /// Makes a member.
    public init(path: String, source: Source) {
        self.path = path
        self.source = source
    }
}

/// Everything that goes into one archive besides the chain link and signature.
public struct SealRequest: Sendable {
    /// The 12-digit account whose chain the archive joins.
    public var account: String
    /// What the archive holds.
    public var kind: Manifest.Kind
    /// The members, in archive order, between `custody.json` and `SHA256SUMS`.
    public var members: [SealMember]
    /// The tool and principal making the archive.
    public var collector: Manifest.Collector
    /// When collection started.
    public var startedAt: Date
    /// When collection finished: every member's mtime and the archive name's time.
    public var finishedAt: Date
    /// The CloudTrail window the archive covers, if it carries CloudTrail.
    public var cloudTrailWindow: Manifest.TimeWindow?
    /// For a collection: what each source and region's CloudTrail was read for.
    public var cloudTrailWindows: [Manifest.CloudTrailWindow]?
    /// The regions covered.
    public var regions: [String]
    /// What was collected where.
    public var coverage: [Manifest.CoverageEntry]
    /// For a report: the evidence archives it was made from.
    public var evidence: [Manifest.EvidenceReference]

    /// Makes a request.
    public init(
        account: String, kind: Manifest.Kind, members: [SealMember], collector: Manifest.Collector, startedAt: Date,
        finishedAt: Date, cloudTrailWindow: Manifest.TimeWindow? = nil, regions: [String] = [],
        coverage: [Manifest.CoverageEntry] = [], evidence: [Manifest.EvidenceReference] = [],
        cloudTrailWindows: [Manifest.CloudTrailWindow]? = nil
    ) {
        self.account = account
        self.kind = kind
        self.members = members
        self.collector = collector
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.cloudTrailWindow = cloudTrailWindow
        self.cloudTrailWindows = cloudTrailWindows
        self.regions = regions
        self.coverage = coverage
        self.evidence = evidence
    }
}

/// What sealing produced.
public struct SealResult: Sendable {
    /// The archive's path.
    public var archivePath: String
    /// The archive's file name.
    public var archiveName: String
    /// Its place in the chain.
    public var sequence: Int
    /// SHA-256 of its exact `manifest.json` bytes: what the next archive will name.
    public var manifestSHA256: String
    /// The manifest as written.
    public var manifest: Manifest
}
