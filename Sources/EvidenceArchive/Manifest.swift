/// `manifest.json`: what an archive holds and where it stands in its account's chain.
///
/// The manifest is the only thing signed; it names every member before it with its size and
/// SHA-256, so the signature covers the whole archive. Verification always works on the exact
/// bytes read from the archive and never re-encodes a manifest. `Schemas/manifest.schema.json`
/// describes the format.
public struct Manifest: Codable, Hashable, Sendable {
    /// Always `custody-manifest`.
    public var format: String
    /// The manifest format version: 2 (1 had one CloudTrail window for all regions, and no settled end).
    public var version: Int
    /// The case the archive belongs to (a UUID made when the case folder was created).
    public var caseId: String
    /// The 12-digit AWS account id whose chain the archive is part of.
    public var account: String
    /// What the archive holds: `files` (sealed by `custody seal`), `evidence`, `cloudtrail`, `report`.
    public var kind: Kind
    /// The tool and principal that made the archive.
    public var collector: Collector
    /// When collection started (UTC, ISO 8601).
    public var startedAt: String
    /// When collection finished (UTC, ISO 8601); also every member's mtime.
    public var finishedAt: String
    /// The span `[from, to)` of the archive's CloudTrail, when it carries any. In version 2 what each
    /// region was read for completely is in `cloudTrailWindows`; this is only their envelope.
    public var cloudTrailWindow: TimeWindow?
    /// For each source and region of a collection, the CloudTrail read completely, its settled end
    /// and its status (version 2). `nil` in archives that read no CloudTrail themselves.
    public var cloudTrailWindows: [CloudTrailWindow]?
    /// The regions the archive covers.
    public var regions: [String]
    /// What was collected where, and how completely.
    public var coverage: [CoverageEntry]
    /// Every member before `manifest.json`, in archive order.
    public var members: [Member]
    /// The link to the previous archive of the account.
    public var chain: ChainLink
    /// Who signed the manifest.
    public var signer: Signer
    /// For a report: the evidence archives it was made from, each by its exact manifest.
    public var evidence: [EvidenceReference]?

    /// Makes a manifest.
    public init(
        caseId: String, account: String, kind: Kind, collector: Collector, startedAt: String, finishedAt: String,
        cloudTrailWindow: TimeWindow?, regions: [String], coverage: [CoverageEntry], members: [Member],
        chain: ChainLink, signer: Signer, evidence: [EvidenceReference]? = nil,
        cloudTrailWindows: [CloudTrailWindow]? = nil
    ) {
        self.format = Manifest.formatName
        self.version = Manifest.currentVersion
        self.caseId = caseId
        self.account = account
        self.kind = kind
        self.collector = collector
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.cloudTrailWindow = cloudTrailWindow
        self.cloudTrailWindows = cloudTrailWindows
        self.regions = regions
        self.coverage = coverage
        self.members = members
        self.chain = chain
        self.signer = signer
        self.evidence = evidence
    }

    /// The value of `format`.
    public static let formatName = "custody-manifest"
    /// The version this code writes.
    public static let currentVersion = 2
    /// The versions this code reads.
    public static let readableVersions = 1...2

    /// The tool and principal that made an archive.
    public struct Collector: Codable, Hashable, Sendable {
        /// Always `custody`.
        public var tool: String
        /// The tool's version.
        public var version: String
        /// The ARN the collector called AWS as, so its own calls can be told apart from an intruder's.
        public var callerArn: String?
        /// The access key id the collector used (never the secret).
        public var accessKeyId: String?

        /// Makes a collector record.
        public init(tool: String = "custody", version: String, callerArn: String? = nil, accessKeyId: String? = nil) {
            self.tool = tool
            self.version = version
            self.callerArn = callerArn
            self.accessKeyId = accessKeyId
        }
    }

    /// A half-open time window `[from, to)`.
    public struct TimeWindow: Codable, Hashable, Sendable {
        /// Start, inclusive (UTC, ISO 8601).
        public var from: String
        /// End, exclusive (UTC, ISO 8601).
        public var to: String

        /// Makes a window.
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// One line of coverage: what was asked for in one place and how it went.
    public struct CoverageEntry: Codable, Hashable, Sendable {
        /// The service or source, such as `iam` or `cloudtrail`.
        public var source: String
        /// The region, or `nil` for global services.
        public var region: String?
        /// What was collected, such as an API action or `files`.
        public var item: String
        /// How completely it was read.
        public var status: CoverageStatus
        /// The error, when the status is not `complete`.
        public var error: String?

        /// Makes a coverage entry.
        public init(source: String, region: String? = nil, item: String, status: CoverageStatus, error: String? = nil) {
            self.source = source
            self.region = region
            self.item = item
            self.status = status
            self.error = error
        }
    }

    /// One member: its name, size and hash.
    public struct Member: Codable, Hashable, Sendable {
        /// The member's name inside the archive.
        public var path: String
        /// Its size in bytes.
        public var size: Int64
        /// Its SHA-256, lowercase hex.
        public var sha256: String

        /// Makes a member record.
        public init(path: String, size: Int64, sha256: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    /// The archive's place in its chain.
    public struct ChainLink: Codable, Hashable, Sendable {
        /// 1 for the first archive of an account, then one more for each.
        public var sequence: Int
        /// The archive before this one; `nil` only for sequence 1.
        public var previous: PreviousArchive?

        /// Makes a chain link.
        public init(sequence: Int, previous: PreviousArchive?) {
            self.sequence = sequence
            self.previous = previous
        }
    }

    /// What an archive records of the one before it.
    public struct PreviousArchive: Codable, Hashable, Sendable {
        /// Its file name.
        public var name: String
        /// SHA-256 of its exact `manifest.json` bytes.
        public var manifestSHA256: String
        /// Its `manifest.json.sig`, base64.
        public var signature: String

        /// Makes a previous-archive record.
        public init(name: String, manifestSHA256: String, signature: String) {
            self.name = name
            self.manifestSHA256 = manifestSHA256
            self.signature = signature
        }
    }

    /// An evidence archive a report was made from.
    public struct EvidenceReference: Codable, Hashable, Sendable {
        /// Its path relative to the case folder, such as `111122223333/000002-20261102T093000Z.tar`.
        public var path: String
        /// Its account.
        public var account: String
        /// Its place in the account's chain.
        public var sequence: Int
        /// SHA-256 of its exact `manifest.json` bytes.
        public var manifestSHA256: String

        /// Makes a reference.
        public init(path: String, account: String, sequence: Int, manifestSHA256: String) {
            self.path = path
            self.account = account
            self.sequence = sequence
            self.manifestSHA256 = manifestSHA256
        }
    }

    /// Who signed the manifest.
    public struct Signer: Codable, Hashable, Sendable {
        /// Lowercase hex SHA-256 of the signer's SubjectPublicKeyInfo DER.
        public var fingerprint: String
        /// The signature scheme: `ed25519`, `ecdsa-p256-sha256`, `ecdsa-p384-sha256` or `rsa-pkcs1v15-sha256`.
        public var algorithm: String

        /// Makes a signer record.
        public init(fingerprint: String, algorithm: String) {
            self.fingerprint = fingerprint
            self.algorithm = algorithm
        }
    }
}
