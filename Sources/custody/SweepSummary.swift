import Collect
import EvidenceArchive

/// What `custody sweep` prints: `Schemas/sweep.schema.json`.
struct SweepSummary: Encodable {
    struct Archive: Encodable {
        var account: String
        var archive: String
        var manifestSHA256: String
        var events: Int
        var logFiles: Int
        var digestFiles: Int

        init(_ account: String, _ sealed: SealResult, events: Int, logFiles: Int = 0, digestFiles: Int = 0) {
            self.account = account
            archive = sealed.archivePath
            manifestSHA256 = sealed.manifestSHA256
            self.events = events
            self.logFiles = logFiles
            self.digestFiles = digestFiles
        }
    }

    var format = "custody-sweep"
    var version = 1
    var engine: String
    var eventDataStore: String?
    var from: String
    var to: String
    var suspectKeys: [String]
    var keysFollowed: [String]
    var keysNotFollowed: [String]
    var queries: [SweepRecord.Query]
    var bytesScanned: Int
    var writes: [String]
    var archives: [Archive]
    var problems: [String]

    /// The sweep's record (terms, queries, writes) with its archives and problems.
    init(_ record: SweepRecord, bytesScanned: Int, archives: [Archive], problems: [String]) {
        engine = record.engine
        from = record.from
        to = record.to
        suspectKeys = record.suspectKeys
        keysFollowed = record.keysFollowed
        keysNotFollowed = record.keysNotFollowed
        queries = record.queries
        writes = record.writes
        self.bytesScanned = bytesScanned
        self.archives = archives
        self.problems = problems
    }

    init(_ outcome: AthenaSweep.Outcome) {
        self.init(
            outcome.record, bytesScanned: outcome.bytesScanned,
            archives: outcome.archives.map {
                Archive($0.account, $0.sealed, events: $0.events, logFiles: $0.logFiles, digestFiles: $0.digestFiles)
            }, problems: outcome.problems)
    }

    init(_ outcome: LakeSweep.Outcome) {
        self.init(
            outcome.record, bytesScanned: outcome.bytesScanned,
            archives: outcome.archives.map { Archive($0.account, $0.sealed, events: $0.events) },
            problems: outcome.problems)
        eventDataStore = outcome.storeARN
    }

    func printText() {
        let name = engine == "lake" ? "CloudTrail Lake" : "Athena"
        Console.print(
            "swept \(from)/\(to) for \(keysFollowed.count) key(s) with \(queries.count) \(name) query run(s); \(name) scanned \(bytesScanned) bytes"
        )
        if !keysNotFollowed.isEmpty {
            Console.print(
                "  keys found but not followed (--rounds reached): \(keysNotFollowed.joined(separator: ", "))")
        }
        for write in writes { Console.print("  write: \(write)") }
        for archive in archives {
            Console.print(archive.archive)
            let files =
                engine == "lake"
                ? "as CloudTrail Lake returned them"
                : "\(archive.logFiles) log file(s), \(archive.digestFiles) digest file(s)"
            Console.print(
                "  \(archive.account): \(archive.events) event(s), \(files); manifest sha256 \(archive.manifestSHA256)")
        }
        for problem in problems { Console.error("problem: \(problem)") }
    }
}
