import Collect
import EvidenceArchive

/// What `custody sweep` prints: `Schemas/sweep.schema.json`.
struct SweepSummary: Encodable {
    struct Query: Encodable {
        var executionId: String
        var bytesScanned: Int?
        var resultLocation: String?
        var eventsMatched: Int?
        var eventsScanned: Int?
        var executionTimeInMillis: Int?
    }

    struct Archive: Encodable {
        var account: String
        var archive: String
        var manifestSHA256: String
        var events: Int
        var logFiles: Int
        var digestFiles: Int
    }

    var format = "custody-sweep"
    var version = 1
    var engine = "athena"
    var eventDataStore: String?
    var from: String
    var to: String
    var suspectKeys: [String]
    var keysFollowed: [String]
    var keysNotFollowed: [String]
    var queries: [Query]
    var bytesScanned: Int
    var writes: [String]
    var archives: [Archive]
    var problems: [String]

    init(_ outcome: AthenaSweep.Outcome, terms: SweepTerms) {
        from = Timestamp.iso8601(terms.from)
        to = Timestamp.iso8601(terms.to)
        suspectKeys = terms.keys
        keysFollowed = outcome.rounds.terms.keys
        keysNotFollowed = outcome.rounds.unfollowed
        queries = outcome.executions.map {
            Query(
                executionId: $0.id, bytesScanned: $0.bytesScanned,
                resultLocation: $0.described.output.queryExecution?.resultConfiguration?.outputLocation)
        }
        bytesScanned = outcome.bytesScanned
        writes = queries.map {
            "Athena StartQueryExecution \($0.executionId) stored its result at \($0.resultLocation ?? "the workgroup's output location")"
        }
        archives = outcome.archives.map {
            Archive(
                account: $0.account, archive: $0.sealed.archivePath, manifestSHA256: $0.sealed.manifestSHA256,
                events: $0.events, logFiles: $0.logFiles, digestFiles: $0.digestFiles)
        }
        problems = outcome.problems
    }

    init(_ outcome: LakeSweep.Outcome, terms: SweepTerms) {
        engine = "lake"
        eventDataStore = outcome.storeARN
        from = Timestamp.iso8601(terms.from)
        to = Timestamp.iso8601(terms.to)
        suspectKeys = terms.keys
        keysFollowed = outcome.rounds.terms.keys
        keysNotFollowed = outcome.rounds.unfollowed
        queries = outcome.executions.map {
            Query(
                executionId: $0.id, bytesScanned: $0.bytesScanned, eventsMatched: $0.statistics?.eventsMatched,
                eventsScanned: $0.statistics?.eventsScanned, executionTimeInMillis: $0.statistics?.executionTimeInMillis
            )
        }
        bytesScanned = outcome.bytesScanned
        writes = queries.map {
            "CloudTrail Lake StartQuery \($0.executionId) kept its result with the event data store \(outcome.storeARN)"
        }
        archives = outcome.archives.map {
            Archive(
                account: $0.account, archive: $0.sealed.archivePath, manifestSHA256: $0.sealed.manifestSHA256,
                events: $0.events, logFiles: 0, digestFiles: 0)
        }
        problems = outcome.problems
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
