public import Evidence

/// One member of an archive that holds CloudTrail records.
public struct TrailSource: Codable, Hashable, Sendable {
    /// The archive's path.
    public var archive: String
    /// The member, such as `cloudtrail/eu-west-1/events.jsonl.gz` or `cloudtrail/imported/…`.
    public var member: String
    /// The member's SHA-256, from the manifest.
    public var sha256: String?
    /// The account whose chain the archive belongs to.
    public var account: String
    /// How the member holds its records.
    public var shape: CloudTrailShape?
    /// Records read.
    public var records: Int
    /// Records that could not be read.
    public var issues: Int
    /// Of the records read into the log, those lacking a valid `eventTime`, an `eventName` or an
    /// `eventSource` (`IncompleteEvents`).
    public var incompleteRecords = 0
    /// When set, only records before this time (seconds since 1970) were read: the member is of the
    /// archive after a diff's later one, read for the events delivered too late for it.
    public var before: Int64?

    /// Makes a source.
    public init(
        archive: String, member: String, sha256: String?, account: String, shape: CloudTrailShape? = nil,
        records: Int = 0, issues: Int = 0
    ) {
        self.archive = archive
        self.member = member
        self.sha256 = sha256
        self.account = account
        self.shape = shape
        self.records = records
        self.issues = issues
    }
}
