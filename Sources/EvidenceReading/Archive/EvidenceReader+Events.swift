import EvidenceArchive

extension EvidenceReader {
    /// Every CloudTrail event of the archives under `paths` (archives, account folders or case
    /// folders), oldest first, duplicates dropped and the collector's own calls marked
    /// (`EventLog.isCollector(at:)`, `CollectorSpan`), for tables and timelines that need more than the suspects'
    /// events, with the records of `recordsKept`. Every archive must verify.
    /// - Throws: `EvidenceReadError` for unreadable or unverifiable archives.
    public func events(_ paths: [String]) async throws -> EventLog {
        let (archives, log) = try await verifiedLog(paths, keeping: recordsKept)
        withExtendedLifetime(archives) {}
        return log
    }

    /// The verified archives under `paths` and their CloudTrail, read once, the collector's
    /// calls marked, the records of `names` kept: what `hunt` and `events` both start from. The
    /// archives must outlive any use of their extracted members.
    package func verifiedLog(_ paths: [String], keeping names: Set<String>) async throws -> (
        archives: [VerifiedArchive], log: EventLog
    ) {
        var archives: [VerifiedArchive] = []
        for path in paths {
            guard Self.exists(path) else {
                throw EvidenceReadError(
                    .inputUnreadable, "\(path) does not exist; give an archive, an account folder or a case folder.")
            }
            for archive in try Self.expand(path) { archives.append(try VerifiedArchive(path: archive, trust: trust)) }
        }
        let log = await TrailReading.read(
            archives.flatMap(\.trailMembers), keeping: names, collectors: Self.collectors(of: archives),
            limit: decompressedSizeLimit)
        return (archives, log)
    }
}
