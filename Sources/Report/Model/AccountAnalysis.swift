/// How one account was analysed.
public struct AccountAnalysis: Codable, Hashable, Sendable {
    /// How the findings were made.
    public enum Method: String, Codable, Hashable, Sendable {
        /// Two snapshots diffed, with the CloudTrail between them.
        case snapshotDiff = "snapshot-diff"
        /// CloudTrail alone (fewer than two archives with snapshots).
        case cloudTrailHunt = "cloudtrail-hunt"
        /// Nothing could be read (no archive of the account verified).
        case none
    }

    /// The account.
    public var account: String
    /// The method.
    public var method: Method
    /// The baseline archive, relative to the case folder, for a diff.
    public var baseline: String?
    /// The later archive, for a diff.
    public var current: String?
    /// Archives whose CloudTrail was read.
    public var archives: Int
    /// CloudTrail events read for this account.
    public var eventCount: Int
    /// Of those, the events lacking a valid `eventTime`, an `eventName` or an `eventSource`.
    public var incompleteEventCount = 0
    /// Findings for this account.
    public var findingCount: Int

    /// Makes an analysis record.
    public init(
        account: String, method: Method, baseline: String? = nil, current: String? = nil, archives: Int = 0,
        eventCount: Int = 0, findingCount: Int = 0
    ) {
        self.account = account
        self.method = method
        self.baseline = baseline
        self.current = current
        self.archives = archives
        self.eventCount = eventCount
        self.findingCount = findingCount
    }
}
