public import Foundation

/// What a live collection gathers and how.
public struct CollectOptions: Sendable {
    /// Which regions to collect.
    public enum Regions: Sendable, Equatable {
        /// Every region enabled for the account.
        case all
        /// These regions.
        case list([String])
    }

    /// Where the CloudTrail slice comes from.
    public enum CloudTrailSource: String, Sendable, CaseIterable {
        /// LookupEvents, per region, paced to AWS's limit.
        case lookup
        /// The trail's log and digest files in S3, byte for byte.
        case s3
        /// No CloudTrail.
        case none
    }

    /// The regions.
    public var regions: Regions
    /// The CloudTrail source.
    public var cloudTrail: CloudTrailSource
    /// Start of the CloudTrail window of every region; by default each region's last settled end
    /// in the account's chain, or `defaultLookback` before `until` for a region never read.
    public var since: Date?
    /// End of the CloudTrail window (exclusive); by default, and at the latest, when collection starts.
    public var until: Date?
    /// How long before the collection's start a window counts as settled: CloudTrail delivers events
    /// late (AWS: about 5 minutes on average, with no guarantee), so the next collection reads this
    /// margin again.
    public var settle: TimeInterval
    /// How far back the window reaches when nothing earlier says where to start.
    public var defaultLookback: TimeInterval
    /// How many accounts, and how many calls within an account, run at once.
    public var concurrency: Int
    /// Whose credentials read the trails' buckets with `.s3`.
    public var trailBucket: TrailBucketAccess = .collection

    /// The settling margin unless one is given: 15 minutes, three times AWS's average delivery time.
    public static let defaultSettle: TimeInterval = 15 * 60

    /// Makes options.
    public init(
        regions: Regions = .all, cloudTrail: CloudTrailSource = .lookup, since: Date? = nil, until: Date? = nil,
        defaultLookback: TimeInterval = 24 * 3600, settle: TimeInterval = CollectOptions.defaultSettle,
        concurrency: Int = 4
    ) {
        self.regions = regions
        self.cloudTrail = cloudTrail
        self.since = since
        self.until = until
        self.defaultLookback = defaultLookback
        self.settle = settle
        self.concurrency = concurrency
    }
}
