public import Evidence
public import EvidenceArchive

/// `cloudtrail/import.json`: what an import of CloudTrail files found, file by file.
///
/// It is stored in the archive as canonical JSON next to the files themselves, which are sealed
/// byte for byte under `cloudtrail/imported/`. `Schemas/cloudtrail-import.schema.json` describes
/// it. It names no local path: `path` is the name a file has relative to the path it was given by.
public struct CloudTrailImportSummary: Codable, Hashable, Sendable {
    /// Always `custody-cloudtrail-import`.
    public var format: String
    /// The summary format version: 1.
    public var version: Int
    /// The account whose chain the archive joins.
    public var account: String
    /// The window `[from, to)` the responder said the files cover, if they said so.
    public var window: Manifest.TimeWindow?
    /// Every file imported, in archive order.
    public var files: [File]
    /// Files looked at and left out because they hold no CloudTrail.
    public var skipped: [Skipped]
    /// Sums over all files.
    public var totals: Totals
    /// The earliest valid `eventTime` of any record (UTC, ISO 8601).
    public var earliestEventTime: String?
    /// The latest valid `eventTime` of any record (UTC, ISO 8601).
    public var latestEventTime: String?
    /// Records per `recipientAccountId`, as written.
    public var recipientAccounts: [String: Int]
    /// Records per `awsRegion`, as written (odd values included).
    public var regions: [String: Int]

    /// The value of `format`.
    public static let formatName = "custody-cloudtrail-import"
    /// The version this code writes.
    public static let currentVersion = 1

    /// Makes a summary.
    public init(
        account: String, window: Manifest.TimeWindow?, files: [File], skipped: [Skipped], totals: Totals,
        earliestEventTime: String?, latestEventTime: String?, recipientAccounts: [String: Int], regions: [String: Int]
    ) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.account = account
        self.window = window
        self.files = files
        self.skipped = skipped
        self.totals = totals
        self.earliestEventTime = earliestEventTime
        self.latestEventTime = latestEventTime
        self.recipientAccounts = recipientAccounts
        self.regions = regions
    }

    /// One imported file.
    public struct File: Codable, Hashable, Sendable {
        /// Its name relative to the path given, such as `logs/2024/01/a.json.gz`.
        public var path: String
        /// Its member in the archive: `cloudtrail/imported/` and `path`.
        public var member: String
        /// Its size in bytes.
        public var size: Int64
        /// SHA-256 of its bytes, lowercase hex.
        public var sha256: String
        /// `gzip` or `none`.
        public var compression: String
        /// How it holds its records.
        public var shape: CloudTrailShape
        /// Records read.
        public var records: Int
        /// Records whose `recipientAccountId` is another account than the archive's.
        public var otherAccountRecords: Int
        /// Records without a valid `eventTime`.
        public var recordsWithoutEventTime: Int
        /// Records outside the window, when there is one.
        public var recordsOutsideWindow: Int?
        /// Records without a valid `eventTime`, an `eventName` or an `eventSource`, all counted;
        /// `nil` in summaries written before such records were counted.
        public var incompleteRecords: Int?
        /// The first incomplete records (at most 1,000), with their positions and what they lack;
        /// `nil` in summaries written before such records were counted.
        public var incomplete: [Incomplete]?
        /// The earliest valid `eventTime` in the file.
        public var earliestEventTime: String?
        /// The latest valid `eventTime` in the file.
        public var latestEventTime: String?
        /// Problems found, all of them counted.
        public var issueCount: Int
        /// The first problems found (at most 1,000), with their positions.
        public var issues: [Issue]

        /// Makes a file record.
        public init(
            path: String, member: String, size: Int64, sha256: String, compression: String, shape: CloudTrailShape,
            records: Int, otherAccountRecords: Int, recordsWithoutEventTime: Int, recordsOutsideWindow: Int?,
            incompleteRecords: Int? = nil, incomplete: [Incomplete]? = nil,
            earliestEventTime: String?, latestEventTime: String?, issueCount: Int, issues: [Issue]
        ) {
            self.path = path
            self.member = member
            self.size = size
            self.sha256 = sha256
            self.compression = compression
            self.shape = shape
            self.records = records
            self.otherAccountRecords = otherAccountRecords
            self.recordsWithoutEventTime = recordsWithoutEventTime
            self.recordsOutsideWindow = recordsOutsideWindow
            self.incompleteRecords = incompleteRecords
            self.incomplete = incomplete
            self.earliestEventTime = earliestEventTime
            self.latestEventTime = latestEventTime
            self.issueCount = issueCount
            self.issues = issues
        }
    }

    /// A part of a file that could not be read as a record.
    public struct Issue: Codable, Hashable, Sendable {
        /// What kind of problem.
        public var kind: CloudTrailParseIssue.Kind
        /// The record's place in the file, from 1.
        public var record: Int
        /// The line it starts on, from 1 (in the decompressed text for gzip files).
        public var line: Int
        /// The offset of its first byte, from 0 (in the decompressed text for gzip files).
        public var byte: Int64
        /// What is wrong.
        public var reason: String

        /// The summary form of a reader's issue.
        public init(_ issue: CloudTrailParseIssue) {
            kind = issue.kind
            record = issue.position.record
            line = issue.position.line
            byte = issue.position.byte
            reason = issue.reason
        }
    }

    /// A record read whole that lacks an essential member. It is sealed as it is; the rules that
    /// need what it lacks leave it out.
    public struct Incomplete: Codable, Hashable, Sendable {
        /// The record's place in the file, from 1.
        public var record: Int
        /// The line it starts on, from 1 (in the decompressed text for gzip files).
        public var line: Int
        /// The offset of its first byte, from 0 (in the decompressed text for gzip files).
        public var byte: Int64
        /// What it lacks: `eventTime` (absent or no valid time), `eventName`, `eventSource`.
        public var missing: [CloudTrailRecord.EssentialMember]

        /// The summary form of a reader's incomplete record.
        public init(_ record: CloudTrailIncompleteRecord) {
            self.record = record.position.record
            line = record.position.line
            byte = record.position.byte
            missing = record.missing
        }
    }

    /// A file left out.
    public struct Skipped: Codable, Hashable, Sendable {
        /// Its name relative to the path given.
        public var path: String
        /// Why.
        public var reason: String

        /// Makes a record of a skipped file.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Sums over all imported files.
    public struct Totals: Codable, Hashable, Sendable {
        /// Files imported.
        public var files: Int
        /// Records read.
        public var records: Int
        /// Problems found.
        public var issues: Int
        /// Records for other accounts than the archive's.
        public var otherAccountRecords: Int
        /// Records without a valid `eventTime`.
        public var recordsWithoutEventTime: Int
        /// Records outside the window, when there is one.
        public var recordsOutsideWindow: Int?
        /// Incomplete records; `nil` in summaries written before such records were counted.
        public var incompleteRecords: Int?
        /// Files skipped.
        public var skippedFiles: Int

        /// Makes totals.
        public init(
            files: Int, records: Int, issues: Int, otherAccountRecords: Int, recordsWithoutEventTime: Int,
            recordsOutsideWindow: Int?, incompleteRecords: Int? = nil, skippedFiles: Int
        ) {
            self.files = files
            self.records = records
            self.issues = issues
            self.otherAccountRecords = otherAccountRecords
            self.recordsWithoutEventTime = recordsWithoutEventTime
            self.recordsOutsideWindow = recordsOutsideWindow
            self.incompleteRecords = incompleteRecords
            self.skippedFiles = skippedFiles
        }
    }
}
