public import EvidenceReading
import Evidence
import EvidenceArchive
import Foundation

/// The analyses of verified evidence: `diff` of two snapshots and `hunt` through CloudTrail.
extension EvidenceReader {
    /// Diffs two archives of the same account, put in order whichever comes first, with the
    /// CloudTrail of both, of the chain's archives between the two, and of the archive after the
    /// later one, when there is one, up to the later one's start: CloudTrail delivers events late, so
    /// an event that happened before the later snapshot may only be in the next archive. An event
    /// held by several archives counts once.
    /// - Throws: `EvidenceReadError` for unreadable or unverifiable archives and missing snapshots;
    ///   `DiffError` for archives of different accounts or the same archive twice.
    public func diff(_ first: String, _ second: String, suspectKeys: [String] = []) async throws -> DiffReport {
        guard Self.exists(first), Self.exists(second) else {
            throw EvidenceReadError(
                .inputUnreadable, "\(Self.exists(first) ? second : first) does not exist; give two archives (.tar).")
        }
        // Both archives verify and extract at once; the first one's error wins, as read in turn.
        let trust = trust
        async let firstArchive = VerifiedArchive(path: first, trust: trust)
        async let secondArchive = VerifiedArchive(path: second, trust: trust)
        var a = try await firstArchive
        var b = try await secondArchive
        guard a.manifest.account == b.manifest.account else {
            throw DiffError(
                .differentAccounts,
                "\(first) is of account \(a.manifest.account) and \(second) of account \(b.manifest.account); diff compares two snapshots of the same account."
            )
        }
        guard a.manifestSHA256 != b.manifestSHA256 else {
            throw DiffError(
                .sameArchive, "\(first) and \(second) are the same archive; give an earlier and a later one.")
        }
        var swapped = false
        if (b.manifest.chain.sequence, b.manifest.startedAt) < (a.manifest.chain.sequence, a.manifest.startedAt) {
            swap(&a, &b)
            swapped = true
        }
        let (before, after) = try VerifiedArchive.snapshots(a, b)
        let between = try chainArchives(after: a.manifest.chain.sequence, before: b.manifest.chain.sequence, beside: b)
        // Sequences come from the manifest: the one after the last possible one is none.
        let later = b.manifest.chain.sequence
        let (afterNext, overflow) = later.addingReportingOverflow(2)
        let next = try chainArchives(after: later, before: overflow ? .max : afterNext, beside: b).first
        var members = a.trailMembers + b.trailMembers
        for archive in between { members += archive.trailMembers }
        if let next, let start = Timestamp.parse(b.manifest.startedAt) {
            members += next.trailMembers.map { member in
                var source = member.source
                source.before = Int64(start.timeIntervalSince1970)
                return (member.path, source)
            }
        }
        let log = await TrailReading.read(
            members, keeping: DiffEngine.recordsRead,
            collectors: Self.collectors(of: [a, b] + between + [next].compactMap { $0 }), limit: decompressedSizeLimit)
        var report = DiffEngine.diff(
            before: before, after: after, events: log, suspectKeys: suspectKeys, coverage: b.manifest.coverage)
        report.before = a.reference
        report.after = b.reference
        report.swapped = swapped
        report.between = between.map(\.reference)
        report.next = next?.reference
        if swapped {
            report.notes.insert(
                "\(second) is the earlier archive (sequence \(a.manifest.chain.sequence)), so it was taken as the baseline.",
                at: 0)
        }
        withExtendedLifetime((a, b, between, next)) {}
        return report
    }

    /// Runs the CloudTrail rules over every slice of the archives under `paths`.
    /// - Throws: `EvidenceReadError` for unreadable or unverifiable archives.
    public func hunt(_ paths: [String], suspectKeys: [String] = []) async throws -> HuntReport {
        try await huntWithEvents(paths, suspectKeys: suspectKeys).report
    }

    /// `hunt`, with every event it read (as `events(_:)` gives them), for callers that need both
    /// without verifying and reading the archives twice.
    /// - Throws: `EvidenceReadError` for unreadable or unverifiable archives.
    public func huntWithEvents(_ paths: [String], suspectKeys: [String] = []) async throws -> (
        report: HuntReport, events: EventLog
    ) {
        let (archives, log) = try await verifiedLog(paths, keeping: DiffEngine.recordsRead)
        guard !archives.isEmpty else {
            throw EvidenceReadError(
                .inputUnreadable, "\(paths.joined(separator: ", ")) holds no archives.",
                remedy: "Give an archive, an account folder or a case folder that custody collect or custody "
                    + "import-cloudtrail wrote.")
        }
        var facts = SnapshotFacts()
        for archive in archives where archive.hasSnapshot {
            if let snapshot = try? archive.snapshot().snapshot { facts.add(snapshot) }
        }
        var report = DiffEngine.hunt(events: log, suspectKeys: suspectKeys, snapshots: facts)
        report.archives = archives.map(\.reference)
        if log.count == 0 { report.notes.append("The archives hold no CloudTrail records.") }
        withExtendedLifetime(archives) {}
        return (report, log)
    }
}
