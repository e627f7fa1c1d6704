import CustodyJSON
import Evidence
public import EvidenceArchive
public import Foundation

/// Seals CloudTrail that a responder already has (log files from a trail's bucket, JSON Lines,
/// `aws cloudtrail lookup-events` output) into an account's chain, the files kept byte for byte.
///
/// Importing is two steps: `read(paths:)` reads every file, in parallel across files, and
/// returns a plan without writing anything; `seal(_:with:startedAt:finishedAt:)` seals the plan
/// as the next archive of the account (kind `cloudtrail`): `cloudtrail/import.json` first, then
/// each file under `cloudtrail/imported/<name>`. A record that cannot be read is reported with
/// its file and position; the rest of the file is still read, and the file is still sealed.
public struct CloudTrailImport: Sendable {
    /// The folder imported files are sealed under.
    public static let memberPrefix = "cloudtrail/imported/"
    /// The summary's member.
    public static let summaryMember = "cloudtrail/import.json"

    /// The 12-digit account whose chain the archive joins.
    public var account: String
    /// Start of the window the files are said to cover, inclusive; set together with `until`.
    public var since: Date?
    /// End of that window, exclusive.
    public var until: Date?
    /// The tool that imports.
    public var collector: Manifest.Collector
    /// How many files are read at once.
    public var parallelism: Int
    /// The most a gzip file may expand to: its records past that are not read (an issue says so),
    /// and the file is sealed whole all the same.
    public var decompressedSizeLimit: DecompressedSizeLimit

    /// Makes an import.
    public init(
        account: String, since: Date? = nil, until: Date? = nil, collector: Manifest.Collector,
        parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
        decompressedSizeLimit: DecompressedSizeLimit = .standard
    ) {
        self.account = account
        self.since = since
        self.until = until
        self.collector = collector
        self.parallelism = Swift.max(1, parallelism)
        self.decompressedSizeLimit = decompressedSizeLimit
    }

    /// Reads every file under `paths` (folders recursively) and plans the archive.
    ///
    /// Files named `.json`, `.json.gz`, `.jsonl` or `.jsonl.gz` are always imported; others only
    /// when their content is CloudTrail. JSON that holds no record (a digest file is sealed, a
    /// list of counts is not) and files that are not JSON are skipped and listed.
    /// - Throws: `CollectError` with `invalidOptions` for a bad account or window,
    ///   `inputUnreadable` when a path cannot be read, `nothingCollected` when no file holds CloudTrail.
    public func read(paths: [String]) async throws -> CloudTrailImportPlan {
        guard ArchiveLayout.isAccountId(account) else {
            throw CollectError(.invalidOptions, "'\(account)' is not an AWS account id; give the 12 digits.")
        }
        let window = try secondsWindow()
        guard !paths.isEmpty else { throw CollectError(.invalidOptions, "Name at least one file or folder to import.") }
        for path in paths where !FileManager.default.isReadableFile(atPath: path) {
            throw CollectError(.inputUnreadable, "Cannot read \(path): it does not exist or is not readable.")
        }
        let candidates: [SealMember]
        do {
            candidates = try SealMember.fromPaths(paths, prefix: Self.memberPrefix)
        } catch {
            throw CollectError(.inputUnreadable, "\(error)", underlying: error)
        }
        let scans = try await readAll(candidates, window: window)
        let imported = scans.filter { $0.skipReason == nil }
        guard !imported.isEmpty else {
            let skipped = scans.map { "\($0.source) (\($0.skipReason ?? ""))" }
            throw CollectError(
                .nothingCollected,
                "No CloudTrail found in \(paths.joined(separator: ", "))"
                    + (skipped.isEmpty
                        ? "."
                        : ": " + skipped.prefix(5).joined(separator: ", ")
                            + (skipped.count > 5 ? " and \(skipped.count - 5) more." : ".")))
        }
        return plan(imported: imported, skipped: scans.filter { $0.skipReason != nil }, window: window)
    }

    /// Seals `plan` as the next archive of the account.
    /// - Throws: `ArchiveError` when the archive cannot be written; nothing is left behind then.
    public func seal(_ plan: CloudTrailImportPlan, with sealer: Sealer, startedAt: Date, finishedAt: Date) throws
        -> CloudTrailImportResult
    {
        let summaryBytes = try CanonicalJSON.encode(plan.summary)
        let members =
            [SealMember(path: Self.summaryMember, source: .bytes(summaryBytes))]
            + plan.files.map { SealMember(path: $0.member, source: .file($0.source)) }
        let request = SealRequest(
            account: account, kind: .cloudTrail, members: members, collector: collector,
            startedAt: startedAt, finishedAt: finishedAt, cloudTrailWindow: plan.summary.window,
            regions: plan.summary.regions.keys.sorted(), coverage: plan.coverage)
        let sealed = try sealer.seal(request)
        // The sealer hashed the files again as it copied them: they must be the bytes that were read.
        let sealedHashes = Dictionary(sealed.manifest.members.map { ($0.path, $0.sha256) }) { first, _ in first }
        let changed = plan.files.filter { sealedHashes[$0.member] != $0.sha256 }.map(\.source)
        return CloudTrailImportResult(plan: plan, sealed: sealed, changedFiles: changed)
    }

    private func secondsWindow() throws -> Range<Int64>? {
        switch (since, until) {
        case (nil, nil): return nil
        case (let since?, let until?):
            // Held within the years a timestamp can write: an age such as `1e300h` is no crash.
            let from = UTCTimestamp(since).seconds
            let to = UTCTimestamp(until).seconds
            guard from < to else {
                throw CollectError(.invalidOptions, "The window must end after it starts (--since before --until).")
            }
            return from..<to
        default:
            throw CollectError(.invalidOptions, "Give both ends of the window (--since and --until), or neither.")
        }
    }

    /// Reads the files, at most `parallelism` at a time, keeping their order.
    private func readAll(_ candidates: [SealMember], window: Range<Int64>?) async throws -> [ImportFileScan] {
        let account = self.account
        let jobs: [(source: String, name: String)] = candidates.map { member in
            guard case .file(let source) = member.source else { preconditionFailure("fromPaths makes file members") }
            return (source, String(member.path.dropFirst(Self.memberPrefix.count)))
        }
        let limit = decompressedSizeLimit
        var scans = [ImportFileScan?](repeating: nil, count: jobs.count)
        try await withThrowingTaskGroup(of: (Int, ImportFileScan).self) { group in
            var pending = jobs.indices.makeIterator()
            func start(_ index: Int) {
                let job = jobs[index]
                group.addTask {
                    (
                        index,
                        try ImportFileScan.read(
                            source: job.source, name: job.name, account: account, window: window, limit: limit)
                    )
                }
            }
            for _ in 0..<parallelism {
                if let index = pending.next() { start(index) }
            }
            while let (index, scan) = try await group.next() {
                scans[index] = scan
                if let next = pending.next() { start(next) }
            }
        }
        return scans.compactMap { $0 }
    }

    private func plan(imported: [ImportFileScan], skipped: [ImportFileScan], window: Range<Int64>?)
        -> CloudTrailImportPlan
    {
        func time(_ seconds: Int64?) -> String? {
            seconds.map { Timestamp.iso8601(Date(timeIntervalSince1970: TimeInterval($0))) }
        }
        var accounts: [String: Int] = [:]
        var regions: [String: Int] = [:]
        var files: [CloudTrailImportSummary.File] = []
        var coverage: [Manifest.CoverageEntry] = []
        var issues: [CloudTrailParseIssue] = []
        var incomplete: [CloudTrailIncompleteRecord] = []
        for scan in imported {
            accounts.merge(scan.recipientAccounts, uniquingKeysWith: +)
            regions.merge(scan.regions, uniquingKeysWith: +)
            issues += scan.issues
            incomplete += scan.incomplete
            files.append(
                CloudTrailImportSummary.File(
                    path: scan.name, member: Self.memberPrefix + scan.name, size: scan.size, sha256: scan.sha256,
                    compression: scan.compressed ? "gzip" : "none", shape: scan.shape, records: scan.records,
                    otherAccountRecords: scan.otherAccountRecords,
                    recordsWithoutEventTime: scan.recordsWithoutEventTime,
                    recordsOutsideWindow: window == nil ? nil : scan.recordsOutsideWindow,
                    incompleteRecords: scan.incompleteCount,
                    incomplete: scan.incomplete.map(CloudTrailImportSummary.Incomplete.init),
                    earliestEventTime: time(scan.earliest), latestEventTime: time(scan.latest),
                    issueCount: scan.issueCount, issues: scan.issues.map(CloudTrailImportSummary.Issue.init)))
            coverage.append(
                Manifest.CoverageEntry(
                    source: "cloudtrail", item: Self.memberPrefix + scan.name,
                    status: scan.issueCount == 0 ? .complete : .partial,
                    error: scan.issueCount == 0
                        ? nil
                        : "\(scan.issueCount) part(s) of the file could not be read as CloudTrail records; "
                            + "see \(Self.summaryMember)"))
        }
        let withWindow = window != nil
        let summary = CloudTrailImportSummary(
            account: account,
            window: window.map {
                Manifest.TimeWindow(from: time($0.lowerBound)!, to: time($0.upperBound)!)
            },
            files: files,
            skipped: skipped.map { CloudTrailImportSummary.Skipped(path: $0.name, reason: $0.skipReason ?? "") },
            totals: CloudTrailImportSummary.Totals(
                files: imported.count, records: imported.reduce(0) { $0 + $1.records },
                issues: imported.reduce(0) { $0 + $1.issueCount },
                otherAccountRecords: imported.reduce(0) { $0 + $1.otherAccountRecords },
                recordsWithoutEventTime: imported.reduce(0) { $0 + $1.recordsWithoutEventTime },
                recordsOutsideWindow: withWindow ? imported.reduce(0) { $0 + $1.recordsOutsideWindow } : nil,
                incompleteRecords: imported.reduce(0) { $0 + $1.incompleteCount },
                skippedFiles: skipped.count),
            earliestEventTime: time(imported.compactMap(\.earliest).min()),
            latestEventTime: time(imported.compactMap(\.latest).max()),
            recipientAccounts: accounts, regions: regions)
        return CloudTrailImportPlan(
            summary: summary,
            files: imported.map { .init(source: $0.source, member: Self.memberPrefix + $0.name, sha256: $0.sha256) },
            coverage: coverage, issues: issues, incomplete: incomplete,
            skipped: skipped.map { (path: $0.source, reason: $0.skipReason ?? "") })
    }
}
