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
        #expect(run.text == "valid 2\n")
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
