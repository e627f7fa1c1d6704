public import Evidence
public import EvidenceArchive

/// What an import will seal: the summary, the files, and what to tell the responder.
public struct CloudTrailImportPlan: Sendable {
    /// A file to seal.
    public struct File: Sendable, Hashable {
        /// Where it is on disk.
        public var source: String
        /// Its member in the archive.
        public var member: String
        /// SHA-256 of the bytes that were read.
        public var sha256: String
    }

    /// `cloudtrail/import.json`.
    public var summary: CloudTrailImportSummary
    /// The files, in archive order.
    public var files: [File]
    /// One coverage entry per file.
    public var coverage: [Manifest.CoverageEntry]
    /// Every issue kept (the first 1,000 of each file), naming files by their path on disk.
    public var issues: [CloudTrailParseIssue]
    /// Every incomplete record kept (the first 1,000 of each file), naming files by their path on disk.
    public var incomplete: [CloudTrailIncompleteRecord]
    /// Files left out, by their path on disk, and why.
    public var skipped: [(path: String, reason: String)]
}

/// What an import sealed.
public struct CloudTrailImportResult: Sendable {
    /// What was planned.
    public var plan: CloudTrailImportPlan
    /// The archive.
    public var sealed: SealResult
    /// Files whose bytes changed between reading and sealing (by path on disk): the summary
    /// describes other bytes than the archive holds for them.
    public var changedFiles: [String]

    /// Whether every record of every file was read and nothing changed on the way. Incomplete
    /// records do not make an import incomplete: they are read and sealed whole.
    public var isComplete: Bool { plan.summary.totals.issues == 0 && changedFiles.isEmpty }
    /// Records read whole that lack an essential member (`CloudTrailRecord.missingEssentials`).
    public var incompleteRecords: Int { plan.summary.totals.incompleteRecords ?? 0 }
}
