public import EvidenceArchive

/// What `custody collect --json` prints: each target's outcome, and whether the run was
/// interrupted (`Schemas/collect.schema.json`). Encode it with `CanonicalJSON`.
public struct CollectionSummary: Codable, Hashable, Sendable {
    /// One outcome per target: the targets that could not be identified first, then those collected.
    public var outcomes: [Outcome]
    /// Whether the run was interrupted before it finished.
    public var interrupted: Bool

    /// What became of one target.
    public struct Outcome: Codable, Hashable, Sendable {
        /// How the target was named: a profile, or an account and the role assumed in it.
        public var target: String
        /// The account id; absent when the target could not be identified.
        public var account: String?
        /// API calls made.
        public var calls: Int
        /// CloudTrail events read.
        public var events: Int
        /// Whether an archive was sealed with nothing missing.
        public var complete: Bool
        /// Whether the run was interrupted before this account was complete.
        public var interrupted: Bool
        /// The coverage entries that are not complete.
        public var coverageGaps: [CoverageGap]
        /// The sealed archive's path; absent when nothing was sealed.
        public var archive: String?
        /// SHA-256 of the sealed archive's exact `manifest.json` bytes; absent when nothing was sealed.
        public var manifestSHA256: String?
        /// Why nothing was sealed; absent when an archive was.
        public var error: String?

        /// Makes an outcome.
        public init(
            target: String, account: String? = nil, calls: Int, events: Int, complete: Bool, interrupted: Bool,
            coverageGaps: [CoverageGap], archive: String? = nil, manifestSHA256: String? = nil, error: String? = nil
        ) {
            self.target = target
            self.account = account
            self.calls = calls
            self.events = events
            self.complete = complete
            self.interrupted = interrupted
            self.coverageGaps = coverageGaps
            self.archive = archive
            self.manifestSHA256 = manifestSHA256
            self.error = error
        }

        /// The outcome of a collection, as printed.
        public init(_ outcome: AccountOutcome) {
            self.init(
                target: outcome.target, account: outcome.account, calls: outcome.callCount, events: outcome.eventCount,
                complete: outcome.isComplete, interrupted: outcome.interrupted,
                coverageGaps: outcome.coverageGaps.map(CoverageGap.init), archive: outcome.sealed?.archivePath,
                manifestSHA256: outcome.sealed?.manifestSHA256, error: outcome.error)
        }
    }

    /// A coverage entry that is not complete. `region` and `error` are always written, `null`
    /// when there is none.
    public struct CoverageGap: Codable, Hashable, Sendable {
        /// The service or source, such as `iam` or `cloudtrail`.
        public var source: String
        /// The region, or `nil` for global services.
        public var region: String?
        /// What was collected, such as an API action.
        public var item: String
        /// `partial`, `denied` or `failed`.
        public var status: Manifest.CoverageStatus
        /// The error, when there was one.
        public var error: String?

        /// Makes a gap.
        public init(
            source: String, region: String? = nil, item: String, status: Manifest.CoverageStatus, error: String? = nil
        ) {
            self.source = source
            self.region = region
            self.item = item
            self.status = status
            self.error = error
        }

        /// The gap a manifest's coverage entry records.
        public init(_ entry: Manifest.CoverageEntry) {
            self.init(
                source: entry.source, region: entry.region, item: entry.item, status: entry.status, error: entry.error)
        }

        /// Encodes every field, a missing region or error as `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(source, forKey: .source)
            try container.encode(region, forKey: .region)
            try container.encode(item, forKey: .item)
            try container.encode(status, forKey: .status)
            try container.encode(error, forKey: .error)
        }
    }

    /// Makes a summary.
    public init(outcomes: [Outcome], interrupted: Bool) {
        self.outcomes = outcomes
        self.interrupted = interrupted
    }

    /// The summary of a collection's outcomes.
    public init(_ outcomes: [AccountOutcome], interrupted: Bool) {
        self.init(outcomes: outcomes.map(Outcome.init), interrupted: interrupted)
    }
}
