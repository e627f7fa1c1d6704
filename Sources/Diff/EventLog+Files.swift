public import EvidenceArchive
public import EvidenceReading

extension EventLog {
    /// Reads CloudTrail files from disk (any shape `CloudTrailReader` knows, gzip or not) as the
    /// slices of `account`, with the records the rules read (`DiffEngine.recordsRead`), each
    /// labelled with the archive it stands for (`DiffEngine.diff` takes the events of the
    /// baseline's archive as the baseline's).
    /// - Parameters:
    ///   - collectors: the collections whose own calls the files may hold; only those calls (with
    ///     custody's user agent, within the collection's span) are never counted as an intruder's.
    ///   - limit: the most one gzip file may expand to; reading it stops there, and `notes` says so.
    public static func read(
        files: [(path: String, archive: String)], account: String, collectors: [CollectorSpan] = [],
        limit: DecompressedSizeLimit = .standard
    ) async -> EventLog {
        await TrailReading.read(
            files.map { ($0.path, TrailSource(archive: $0.archive, member: $0.path, sha256: nil, account: account)) },
            keeping: DiffEngine.recordsRead, collectors: collectors, limit: limit)
    }

    /// `read(files:…)` for files that all stand for one archive.
    public static func read(files: [String], account: String, archive: String = "") async -> EventLog {
        await read(files: files.map { ($0, archive) }, account: account)
    }
}
