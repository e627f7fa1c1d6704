import Collect
import EvidenceArchive

/// What `custody sweep` prints: `Schemas/sweep.schema.json`.
struct SweepSummary: Encodable {
    struct Query: Encodable {
        var executionId: String
        var bytesScanned: Int?
        var resultLocation: String?
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

    func printText() {
        Console.print(
            "swept \(from)/\(to) for \(keysFollowed.count) key(s) with \(queries.count) Athena query run(s); Athena scanned \(bytesScanned) bytes"
        )
        if !keysNotFollowed.isEmpty {
            Console.print(
                "  keys found but not followed (--rounds reached): \(keysNotFollowed.joined(separator: ", "))")
        }
        for write in writes { Console.print("  write: \(write)") }
        for archive in archives {
            Console.print(archive.archive)
            Console.print(
                "  \(archive.account): \(archive.events) event(s), \(archive.logFiles) log file(s), \(archive.digestFiles) digest file(s); manifest sha256 \(archive.manifestSHA256)"
            )
        }
        for problem in problems { Console.error("problem: \(problem)") }
    }
}
