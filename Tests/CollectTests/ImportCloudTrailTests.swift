import Collect
import CustodyCrypto
import CustodyJSON
import CustodyTestSupport
import Evidence
import EvidenceArchive
import Foundation
import Testing

/// Importing CloudTrail files: every record read, every byte sealed, the summary as the schema says.
@Suite struct ImportCloudTrailTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// The third-party CloudTrail files of EvidenceTests (see its Resources/FIXTURES.md).
    static let fixtures = repositoryRoot + "/Tests/EvidenceTests/Resources/cloudtrail"
    static let account = "111122223333"
    static let finished = Date(timeIntervalSince1970: 1_790_000_000)

    let folder: TemporaryFolder
    let key: PrivateKey

    init() throws {
        folder = try TemporaryFolder()
        key = try PrivateKey.generate(.ed25519)
    }

    var caseFolder: CaseFolder { CaseFolder(root: folder.file("case")) }

    var trust: TrustStore {
        var store = TrustStore()
        store.trust(key.publicKey, source: "test", reason: "the test's key")
        return store
    }

    func importer(since: Date? = nil, until: Date? = nil) -> CloudTrailImport {
        CloudTrailImport(
            account: Self.account, since: since, until: until, collector: Manifest.Collector(version: "test"),
            parallelism: 2)
    }

    func run(_ paths: [String], since: Date? = nil, until: Date? = nil) async throws -> CloudTrailImportResult {
        let importer = importer(since: since, until: until)
        let plan = try await importer.read(paths: paths)
        return try importer.seal(
            plan, with: Sealer(caseFolder: caseFolder, signingKey: key), startedAt: Self.finished,
            finishedAt: Self.finished)
    }

    /// Every member of an archive, read back through the verifying extractor.
    func members(_ archive: String) throws -> [String: [UInt8]] {
        let out = try TemporaryFolder()
        let (verification, _) = try Extractor(verifier: ArchiveVerifier(trust: trust)).extract(
            archive, to: out.path + "/x")
        #expect(verification.ok, "\(verification.problems)")
        var result: [String: [UInt8]] = [:]
        let root = out.path + "/x/"
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                result[relative] = Array(try Data(contentsOf: URL(fileURLWithPath: root + relative)))
            }
        }
        return result
    }

    func summary(_ result: CloudTrailImportResult) throws -> [UInt8] {
        try #require(try members(result.sealed.archivePath)[CloudTrailImport.summaryMember])
    }

    // MARK: - The fixtures

    @Test func importsEveryFixtureWithoutLosingARecordAndSealsItsBytes() async throws {
        let result = try await run([Self.fixtures])
        let totals = result.plan.summary.totals
        #expect(result.isComplete)
        #expect(totals.issues == 0)
        #expect(totals.records == 1365)
        #expect(
            result.plan.summary.skipped.map(\.path).sorted() == [
                "cloudtrail/aws-cli-examples/LICENSE.txt", "cloudtrail/aws-cli-examples/lookup-events.rst",
                "cloudtrail/panther-analysis/LICENSE.txt", "cloudtrail/panther-analysis/eventName_counts.json",
                "cloudtrail/stratus-red-team-detonation-logs/LICENSE", "cloudtrail/traildiscover-logExamples/LICENSE",
            ])
        // Odd values are kept as written: the anonymiser's regions are regions like any other.
        #expect(result.plan.summary.regions["ap-isob-east-1r"] != nil)
        #expect(result.plan.summary.recipientAccounts["111111111111"] == 602)
        #expect(
            totals.otherAccountRecords
                == result.plan.summary.recipientAccounts.filter { $0.key != Self.account }.values.reduce(0, +))

        let sealed = try members(result.sealed.archivePath)
        #expect(result.sealed.manifest.kind == .cloudTrail)
        #expect(result.sealed.manifest.cloudTrailWindow == nil)
        #expect(result.sealed.manifest.regions == result.plan.summary.regions.keys.sorted())
        #expect(result.sealed.manifest.coverage.count == result.plan.files.count)
        #expect(result.sealed.manifest.coverage.allSatisfy { $0.status == .complete && $0.source == "cloudtrail" })
        for file in result.plan.summary.files {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/../" + file.path)))
            #expect(sealed[file.member] == original, "\(file.path)")
            #expect(SHA256.hash(original).hex == file.sha256)
        }
    }

    @Test
    func countsPerFileWhatPythonCounts() async throws {
        let result = try await run([Self.fixtures])
        let script = """
            import json, sys
            for path in sys.argv[2:]:
                text = open(sys.argv[1] + "/" + path, encoding="utf-8").read()
                try:
                    value = json.loads(text)
                    if isinstance(value, dict) and "Records" in value: n = len(value["Records"])
                    elif isinstance(value, dict) and "Events" in value: n = len(value["Events"])
                    elif isinstance(value, list): n = len(value)
                    elif "digestStartTime" in value: n = 0
                    else: n = 1
                except ValueError:
                    n = sum(1 for line in text.splitlines() if line.strip())
                print(n)
            """
        let files = result.plan.summary.files
        let run = try ExternalTool.python3!.run(["-c", script, Self.fixtures + "/.."] + files.map(\.path))
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text.split(separator: "\n").compactMap { Int($0) } == files.map(\.records))
    }

    @Test
    func writesASummaryThatMatchesTheSchema() async throws {
        var summaries = [try summary(try await run([Self.fixtures]))]
        let broken = try brokenFolder()
        summaries.append(
            try summary(
                try await run(
                    [broken], since: Date(timeIntervalSince1970: 1_700_000_000),
                    until: Date(timeIntervalSince1970: 1_800_000_000))))
        summaries.append(try summary(try await run([try incompleteFolder()])))
        // A summary written before incomplete records were counted still matches.
        summaries.append(try Self.withoutIncompleteFields(summaries[2]))
        var paths: [String] = []
        for (index, bytes) in summaries.enumerated() { paths.append(try folder.write("s\(index).json", bytes)) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for path in sys.argv[2:]:
                jsonschema.validate(json.load(open(path)), schema, cls=jsonschema.Draft202012Validator)
            print("valid", len(sys.argv) - 2)
            """
        let run = try ExternalTool.python3!.run(
            ["-c", script, Self.repositoryRoot + "/Schemas/cloudtrail-import.schema.json"] + paths)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text == "valid 4\n")
    }

    @Test func writesTheSameSummaryForTheSameFiles() async throws {
        let first = try summary(try await run([Self.fixtures + "/stratus-red-team-detonation-logs"]))
        let second = try summary(try await run([Self.fixtures + "/stratus-red-team-detonation-logs"]))
        #expect(first == second)
        #expect(first.last == 0x0a)
        #expect(try CanonicalJSON.encode(try JSONValue.parse(Data(first))) == first)
    }

    // MARK: - Problems

    /// A folder with a clean gzip log file, a JSON Lines file with one broken line, a log file
    /// cut short inside gzip, and a file that is not CloudTrail.
    func brokenFolder() throws -> String {
        let record = { (n: Int) in
            #"{"eventVersion":"1.09","eventTime":"2024-08-18T10:42:1\#(n)Z","eventName":"Call\#(n)","awsRegion":"eu-west-1","recipientAccountId":"\#(Self.account)"}"#
        }
        let log = Array(#"{"Records":[\#((0..<5).map(record).joined(separator: ","))]}"#.utf8)
        try folder.write("in/AWSLogs/clean.json.gz", try Gzip.compress(log))
        try folder.write(
            "in/lines.jsonl", Array(([record(1), #"{"eventName": oops}"#, record(3)].joined(separator: "\n")).utf8))
        // Distinct ids keep the compressed file large enough to be cut inside its data.
        let large = Array(
            #"{"Records":[\#((0..<20000).map { record($0 % 10).dropLast() + #","eventID":"\#($0 &* 2_654_435_761)"}"# }.joined(separator: ","))]}"#
                .utf8)
        let compressed = try Gzip.compress(large)
        try folder.write("in/cut.json.gz", Array(compressed.prefix(compressed.count * 2 / 3)))
        try folder.write("in/notes.txt", Array("not CloudTrail".utf8))
        return folder.file("in")
    }

    @Test func sealsFilesWithBrokenRecordsAndReportsWhereTheyAre() async throws {
        let input = try brokenFolder()
        let result = try await run([input])
        #expect(!result.isComplete)
        let files = Dictionary(uniqueKeysWithValues: result.plan.summary.files.map { ($0.path, $0) })
        #expect(Set(files.keys) == ["in/AWSLogs/clean.json.gz", "in/lines.jsonl", "in/cut.json.gz"])
        #expect(result.plan.summary.skipped.map(\.path) == ["in/notes.txt"])

        #expect(files["in/AWSLogs/clean.json.gz"]?.records == 5)
        #expect(files["in/AWSLogs/clean.json.gz"]?.compression == "gzip")
        #expect(files["in/AWSLogs/clean.json.gz"]?.shape == .cloudTrailLog)
        #expect(files["in/AWSLogs/clean.json.gz"]?.issueCount == 0)

        let lines = try #require(files["in/lines.jsonl"])
        #expect(lines.records == 2)
        #expect(lines.issues.map { [$0.record, $0.line] } == [[2, 2]])
        #expect(lines.issues.first?.kind == .invalidJSON)

        let cut = try #require(files["in/cut.json.gz"])
        #expect(cut.records > 0 && cut.records < 20000)
        #expect(cut.issues.contains { $0.kind == .unreadable })

        let coverage = Dictionary(uniqueKeysWithValues: result.sealed.manifest.coverage.map { ($0.item, $0) })
        #expect(coverage["cloudtrail/imported/in/lines.jsonl"]?.status == .partial)
        #expect(coverage["cloudtrail/imported/in/lines.jsonl"]?.error?.hasPrefix("1 part(s)") == true)
        #expect(coverage["cloudtrail/imported/in/AWSLogs/clean.json.gz"]?.status == .complete)

        // The issues name the files on disk, with positions.
        #expect(result.plan.issues.contains { "\($0)".hasPrefix(input + "/lines.jsonl:2: record 2, byte ") })

        // Whatever could not be read is still sealed byte for byte.
        let sealed = try members(result.sealed.archivePath)
        for name in ["lines.jsonl", "cut.json.gz", "AWSLogs/clean.json.gz"] {
            #expect(
                sealed["cloudtrail/imported/in/" + name]
                    == Array(try Data(contentsOf: URL(fileURLWithPath: input + "/" + name))))
        }
    }

    @Test func countsRecordsOutsideTheWindowAndRecordsTheWindow() async throws {
        let input = try brokenFolder()
        let since = Date(timeIntervalSince1970: 1_723_977_735)  // 2024-08-18T10:42:15Z
        let result = try await run([input], since: since, until: since.addingTimeInterval(3600))
        #expect(
            result.sealed.manifest.cloudTrailWindow == .init(from: "2024-08-18T10:42:15Z", to: "2024-08-18T11:42:15Z"))
        #expect(result.plan.summary.window == result.sealed.manifest.cloudTrailWindow)
        let clean = try #require(result.plan.summary.files.first { $0.path == "in/AWSLogs/clean.json.gz" })
        #expect(clean.recordsOutsideWindow == 5)
        #expect(clean.earliestEventTime == "2024-08-18T10:42:10Z")
        #expect(clean.latestEventTime == "2024-08-18T10:42:14Z")
    }

    // MARK: - Incomplete records

    /// A record of the test account, its members as given (`nil` leaves one out).
    static func record(
        time: String? = "2024-08-18T10:42:11Z", name: String? = "ListUsers", source: String? = "iam.amazonaws.com",
        extra: String = ""
    ) -> String {
        var members = [#""eventVersion":"1.09""#, #""recipientAccountId":"\#(account)""#, #""awsRegion":"us-east-1""#]
        if let time { members.append(#""eventTime":"\#(time)""#) }
        if let name { members.append(#""eventName":"\#(name)""#) }
        if let source { members.append(#""eventSource":"\#(source)""#) }
        if !extra.isEmpty { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A JSON Lines file whose lines 2 to 5 are incomplete (a Logstash export's `@timestamp`, a
    /// date of no calendar, no name, nothing of the three), and a gzip log file with one more.
    func incompleteFolder() throws -> String {
        let lines = [
            Self.record(time: "0001-01-01T00:00:00Z"),
            Self.record(time: nil, extra: #""@timestamp":"2024-08-18T10:42:11.000Z""#),
            Self.record(time: "2024-02-30T00:00:00Z"),
            Self.record(name: nil),
            Self.record(time: nil, name: nil, source: nil, extra: #""eventID":"e""#),
            Self.record(time: "9999-12-31T23:59:59Z"),
        ]
        try folder.write("incomplete/export.jsonl", Array(lines.joined(separator: "\n").utf8))
        let log = #"{"Records":[\#(Self.record()),\#(Self.record(source: ""))]}"#
        try folder.write("incomplete/log.json.gz", try Gzip.compress(Array(log.utf8)))
        return folder.file("incomplete")
    }

    @Test func countsAndListsIncompleteRecordsWithTheirPlaceAndWhatTheyLack() async throws {
        let input = try incompleteFolder()
        let result = try await run([input])
        // Incomplete records are read and sealed whole: the import has no gap.
        #expect(result.isComplete)
        #expect(result.incompleteRecords == 5)
        #expect(result.sealed.manifest.coverage.allSatisfy { $0.status == .complete })
        let summary = result.plan.summary
        #expect(summary.totals.incompleteRecords == 5)
        #expect(summary.totals.records == 8)
        #expect(summary.earliestEventTime == "0001-01-01T00:00:00Z")
        #expect(summary.latestEventTime == "9999-12-31T23:59:59Z")
        let files = Dictionary(uniqueKeysWithValues: summary.files.map { ($0.path, $0) })
        let export = try #require(files["incomplete/export.jsonl"])
        #expect(export.incompleteRecords == 4)
        #expect(export.recordsWithoutEventTime == 3)
        #expect(export.incomplete?.map { [$0.record, $0.line] } == [[2, 2], [3, 3], [4, 4], [5, 5]])
        #expect(
            export.incomplete?.map(\.missing) == [
                [.eventTime], [.eventTime], [.eventName], [.eventTime, .eventName, .eventSource],
            ])
        let firstLine = Int64(Self.record(time: "0001-01-01T00:00:00Z").utf8.count + 1)
        #expect(export.incomplete?.first?.byte == firstLine)
        let log = try #require(files["incomplete/log.json.gz"])
        #expect(log.incompleteRecords == 1)
        #expect(log.incomplete?.first?.record == 2 && log.incomplete?.first?.missing == [.eventSource])

        // The plan names them by the file on disk, as issues are named.
        #expect(
            result.plan.incomplete.map(\.description).first
                == "\(input)/export.jsonl:2: record 2, byte \(firstLine): incomplete, no eventTime")
        #expect(result.plan.incomplete.count == 5)
    }

    @Test func listsTheFirstThousandIncompleteRecordsOfAFileAndCountsThemAll() async throws {
        let lines = (0..<1205).map { _ in Self.record(time: nil) }
        let path = try folder.write("logstash.jsonl", Array(lines.joined(separator: "\n").utf8))
        let result = try await run([path])
        let file = try #require(result.plan.summary.files.first)
        #expect(file.records == 1205 && file.incompleteRecords == 1205)
        #expect(file.incomplete?.count == 1000)
        #expect(file.incomplete?.last?.line == 1000)
        #expect(result.plan.summary.totals.incompleteRecords == 1205)
        #expect(result.plan.summary.earliestEventTime == nil)
        #expect(result.isComplete)
    }

    /// The summary as written before incomplete records were counted: the same, less their fields.
    static func withoutIncompleteFields(_ bytes: [UInt8]) throws -> [UInt8] {
        guard case .object(var summary) = try JSONValue.parse(Data(bytes)),
            case .object(var totals)? = summary["totals"], case .array(let files)? = summary["files"]
        else { throw CollectError(.invalidOptions, "not a summary") }
        totals["incompleteRecords"] = nil
        summary["totals"] = .object(totals)
        summary["files"] = .array(
            files.map { file in
                guard case .object(var members) = file else { return file }
                members["incompleteRecords"] = nil
                members["incomplete"] = nil
                return .object(members)
            })
        return try CanonicalJSON.encode(JSONValue.object(summary))
    }

    @Test func readsASummaryWrittenBeforeIncompleteRecordsWereCounted() async throws {
        let written = try summary(try await run([try incompleteFolder()]))
        let current = try JSONDecoder().decode(CloudTrailImportSummary.self, from: Data(written))
        #expect(current.totals.incompleteRecords == 5)
        let old = try Self.withoutIncompleteFields(written)
        let oldText = String(decoding: old, as: UTF8.self)
        #expect(!oldText.contains(#""incomplete":"#) && !oldText.contains(#""incompleteRecords""#))
        let decoded = try JSONDecoder().decode(CloudTrailImportSummary.self, from: Data(old))
        #expect(decoded.totals.incompleteRecords == nil)
        #expect(decoded.files.allSatisfy { $0.incompleteRecords == nil && $0.incomplete == nil })
        #expect(decoded.totals.records == current.totals.records && decoded.files.count == current.files.count)
    }

    @Test func refusesAPathThatDoesNotExist() async throws {
        await #expect(throws: CollectError(.inputUnreadable, "")) {
            try await importer().read(paths: [folder.file("missing")])
        }
    }

    @Test func refusesFilesThatHoldNoCloudTrail() async throws {
        try folder.write("notes/a.txt", Array("hello".utf8))
        try folder.write("notes/counts.json", Array(#"{"a":1}"#.utf8))
        await #expect(throws: CollectError(.nothingCollected, "")) {
            try await importer().read(paths: [folder.file("notes")])
        }
    }

    @Test func refusesAHalfOpenWindow() async throws {
        await #expect(throws: CollectError(.invalidOptions, "")) {
            try await importer(since: Self.finished).read(paths: [Self.fixtures])
        }
    }

    @Test func chainsAfterTheAccountsPreviousArchive() async throws {
        let first = try await run([Self.fixtures + "/aws-cli-examples"])
        let second = try await run([Self.fixtures + "/panther-analysis"])
        #expect(second.sealed.sequence == first.sealed.sequence + 1)
        let chain = try ChainVerifier(archiveVerifier: ArchiveVerifier(trust: trust)).verify(
            folder: caseFolder.accountPath(Self.account))
        #expect(chain.ok, "\(chain)")
    }
}
