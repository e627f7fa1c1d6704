public import EvidenceArchive
public import EvidenceReading

extension EventLog {
    /// Reads CloudTrail files from disk (any shape `CloudTrailReader` knows, gzip or not) as the
    /// slices of `account`, with the records the rules read (`DiffEngine.recordsRead`), each
    /// labelled with the archive it stands for (`DiffEngine.diff` takes the events of the
    /// baseline's archive as the baseline's).
    /// - Parameters:
    ///   - collectorKeys: the collector's access keys; its calls are never counted as an intruder's.
    ///   - collectorPrincipals: the collector's ARNs.
    ///   - limit: the most one gzip file may expand to; reading it stops there, and `notes` says so.
    public static func read(
        files: [(path: String, archive: String)], account: String, collectorKeys: Set<String> = [],
        collectorPrincipals: Set<String> = [], limit: DecompressedSizeLimit = .standard
    ) async -> EventLog {
        await TrailReading.read(
            files.map { ($0.path, TrailSource(archive: $0.archive, member: $0.path, sha256: nil, account: account)) },
            keeping: DiffEngine.recordsRead, collectorKeys: collectorKeys, collectorPrincipals: collectorPrincipals,
            limit: limit)
    }

    /// `read(files:…)` for files that all stand for one archive.
    public static func read(files: [String], account: String, archive: String = "") async -> EventLog {
        await read(files: files.map { ($0, archive) }, account: account)
    }
}
