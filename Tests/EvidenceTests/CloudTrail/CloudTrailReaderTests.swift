import Evidence
import Foundation
import Testing

/// Records in every shape a responder may hold, and what happens to the ones that cannot be read.
@Suite struct CloudTrailReaderTests {
    static func record(_ n: Int, account: String = "111122223333") -> String {
        #"{"eventVersion":"1.09","eventTime":"2024-08-18T10:42:\#(10 + n)Z","eventSource":"iam.amazonaws.com","eventName":"Call\#(n)","awsRegion":"us-east-1","eventID":"id-\#(n)","recipientAccountId":"\#(account)"}"#
    }

    static func lookupEvent(_ n: Int) -> String {
        let text = record(n).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return #"{"EventId":"id-\#(n)","EventName":"Call\#(n)","EventTime":1723977730,"CloudTrailEvent":"\#(text)"}"#
    }

    static let shapes: [(String, String, CloudTrailShape, Int)] = [
        ("log file", #"{"Records":[\#(record(1)),\#(record(2))]}"#, .cloudTrailLog, 2),
        (
            "log files concatenated", #"{"Records":[\#(record(1))]}{"Records":[\#(record(2)),\#(record(3))]}"#,
            .cloudTrailLog, 3
        ),
        ("log file with records last", #"{"Other":{"a":[1]},"Records":[\#(record(1))]}"#, .cloudTrailLog, 1),
        ("empty log file", #"{"Records":[]}"#, .cloudTrailLog, 0),
        (
            "lookup-events output", #"{"Events":[\#(lookupEvent(1)),\#(lookupEvent(2))],"NextToken":"abc"}"#,
            .lookupEvents, 2
        ),
        ("lookup-events, token first", #"{"NextToken":"abc","Events":[\#(lookupEvent(1))]}"#, .lookupEvents, 1),
        ("LookupEvents lines", "\(lookupEvent(1))\n\(lookupEvent(2))\n", .lookupEventsLines, 2),
        ("JSON Lines with blank lines", "\(record(1))\n\n\(record(2))\r\n\n\(record(3))", .jsonLines, 3),
        (
            "EventBridge events", #"{"detail-type":"AWS API Call via CloudTrail","detail":\#(record(1))}"# + "\n",
            .singleRecord, 1
        ),
        ("array", "[\n  \(record(1)),\n  \(record(2))\n]", .jsonArray, 2),
        ("empty array", "[]", .jsonArray, 0),
        (
            "one pretty record", "{\n  \"eventName\": \"A\",\n  \"eventTime\": \"2024-01-01T00:00:00Z\"\n}\n",
            .singleRecord, 1
        ),
        ("byte order mark", "\u{FEFF}" + record(1), .singleRecord, 1),
        (
            "digest", #"{"awsAccountId":"111122223333","digestStartTime":"2024-01-01T00:00:00Z","logFiles":[]}"#,
            .digest, 0
        ),
        ("white space only", " \n\t\n", .empty, 0),
        ("nothing", "", .empty, 0),
    ]

    @Test(arguments: shapes.map(\.0))
    func detectsTheShapeAndReadsEveryRecord(name: String) throws {
        let (_, text, shape, count) = try #require(Self.shapes.first { $0.0 == name })
        let (records, reader) = CloudTrailReader.readAll(text)
        #expect(reader.issues.isEmpty, "\(reader.issues)")
        #expect(reader.shape == shape)
        #expect(records.count == count)
        #expect(reader.recordCount == count)
        // The same bytes in tiny pieces give the same records.
        #expect(Array(CloudTrailReader(source: TricklingSource(Array(text.utf8)), file: "test.json")) == records)
    }

    @Test func keepsTheCloudTrailEventTextOfLookupEventsExactly() throws {
        let (records, _) = CloudTrailReader.readAll(Self.lookupEvent(7))
        #expect(records[0].envelope == .lookupEvents)
        #expect(String(decoding: records[0].json, as: UTF8.self) == Self.record(7))
        #expect(records[0].eventName == "Call7")
        #expect(records[0].eventTimeSeconds == 1_723_977_737)
    }

    @Test func readsALookupEventWhoseRecordIsAnObjectRatherThanAString() throws {
        let (records, reader) = CloudTrailReader.readAll(#"{"EventId":"x","CloudTrailEvent":\#(Self.record(1))}"#)
        #expect(reader.issues.isEmpty)
        #expect(records.map(\.envelope) == [.lookupEvents])
    }

    @Test func givesEachRecordItsPosition() throws {
        let text = "\(Self.record(1))\n\n\(Self.record(2))\n"
        let (records, _) = CloudTrailReader.readAll(text)
        let secondStart = Int64(Self.record(1).utf8.count + 2)
        #expect(
            records.map(\.position) == [
                CloudTrailPosition(record: 1, line: 1, byte: 0),
                CloudTrailPosition(record: 2, line: 3, byte: secondStart),
            ])
    }

    // MARK: - Problems

    @Test func reportsABrokenLineAndKeepsTheOthers() throws {
        let lines = [
            Self.record(1), Self.record(2), #"{"eventName":"Broken","eventTime":}"#, Self.record(4), Self.record(5),
        ]
        let (records, reader) = CloudTrailReader.readAll(lines.joined(separator: "\n"), file: "logs/a.jsonl")
        #expect(records.map(\.eventName) == ["Call1", "Call2", "Call4", "Call5"])
        #expect(reader.issueCount == 1)
        let issue = try #require(reader.issues.first)
        #expect(issue.kind == .invalidJSON)
        #expect(issue.file == "logs/a.jsonl")
        #expect(issue.position.record == 3)
        #expect(issue.position.line == 3)
        #expect(issue.position.byte == Int64(lines[0].utf8.count + lines[1].utf8.count + 2))
        #expect(issue.reason.contains("expected a value"))
        #expect(issue.description.hasPrefix("logs/a.jsonl:3: record 3, byte "))
    }

    @Test func reportsABrokenElementOfALogFileAndKeepsTheOthers() throws {
        let text =
            #"{"Records":[\#(Self.record(1)),{"eventName":"X","readOnly":tru},\#(Self.record(3)),"just a string",42,\#(Self.record(6))]}"#
        let (records, reader) = CloudTrailReader.readAll(text)
        #expect(records.map(\.eventName) == ["Call1", "Call3", "Call6"])
        #expect(reader.shape == .cloudTrailLog)
        #expect(reader.issues.map(\.kind) == [.invalidJSON, .notARecord, .notARecord])
        #expect(reader.issues.map(\.position.record) == [2, 4, 5])
        #expect(reader.issues[1].reason.contains("a JSON string"))
    }

    @Test func reportsAFileCutShortAndKeepsWhatCameBefore() throws {
        let whole = #"{"Records":[\#(Self.record(1)),\#(Self.record(2)),\#(Self.record(3))]}"#
        let cut = String(whole.prefix(whole.count - 40))
        let (records, reader) = CloudTrailReader.readAll(cut)
        #expect(records.map(\.eventName) == ["Call1", "Call2"])
        #expect(reader.issues.map(\.kind) == [.truncated])
        #expect(reader.issues[0].position.record == 3)

        // Cut between two records: nothing is lost, but the file is still incomplete.
        let between = String(whole.prefix(whole.count - Self.record(3).count - 3))
        let (kept, second) = CloudTrailReader.readAll(between)
        #expect(kept.count == 2)
        #expect(second.issues.map(\.kind) == [.truncated])
    }

    @Test func readsRecordsOnBothSidesOfAMissingComma() throws {
        let (records, reader) = CloudTrailReader.readAll("[\(Self.record(1)) \(Self.record(2))]")
        #expect(records.count == 2)
        #expect(reader.issues.map(\.kind) == [.invalidJSON])
        #expect(reader.issues[0].reason.contains("','"))
    }

    @Test(arguments: [
        ("control character", "{\"eventName\":\"a\u{01}b\"}", "control character"),
        ("invalid UTF-8", "{\"eventName\":\"a\u{FFFD}b\"}", "UTF-8"),
        ("bad escape", #"{"eventName":"a\qb"}"#, "not a JSON escape"),
        ("NaN", #"{"eventName":"a","n":NaN}"#, "expected a value"),
        ("leading zero", #"{"eventName":"a","n":012}"#, "expected ','"),
        ("single quotes", "{'eventName':'a'}", "member name in quotes"),
        ("trailing comma", #"{"eventName":"a",}"#, "member name in quotes"),
    ])
    func refusesWhatIsNotJSON(name: String, text: String, reason: String) throws {
        var bytes = Array(text.utf8)
        if name == "invalid UTF-8" { bytes = bytes.map { $0 == 0xEF ? 0xC0 : $0 }.filter { $0 != 0xBF && $0 != 0xBD } }
        let lines = Array(Self.record(1).utf8) + [0x0a] + bytes + [0x0a] + Array(Self.record(3).utf8)
        let (records, reader) = CloudTrailReader.readAll(lines)
        #expect(records.map(\.eventName) == ["Call1", "Call3"])
        #expect(reader.issues.count == 1)
        #expect(reader.issues.first?.reason.contains(reason) == true, "\(reader.issues)")
        #expect(reader.issues.first?.position.line == 2)
    }

    @Test func refusesNestingDeeperThanTheLimitWithoutCrashing() throws {
        let deep = #"{"eventName":"deep","p":"# + String(repeating: "[", count: 100_000)
        let (records, reader) = CloudTrailReader.readAll(Self.record(1) + "\n" + deep + "\n" + Self.record(3))
        #expect(records.count == 2)
        #expect(reader.issues.first?.reason.contains("nested deeper") == true)
    }

    @Test func reportsALookupEventWhoseRecordIsNotJSON() throws {
        let text = #"{"EventId":"x","CloudTrailEvent":"{\"eventName\": nope}"}"# + "\n" + Self.lookupEvent(2)
        let (records, reader) = CloudTrailReader.readAll(text)
        #expect(records.count == 1)
        #expect(reader.issues.map(\.kind) == [.invalidEnvelope])
        #expect(reader.issues[0].reason.contains("CloudTrailEvent"))
    }

    @Test func skipsARecordLargerThanTheLimitWithoutHoldingIt() throws {
        let large = #"{"eventName":"large","pad":""# + String(repeating: "x", count: 20_000) + #""}"#
        let text = "[\(Self.record(1)),\(large),\(Self.record(3))]"
        let (records, reader) = CloudTrailReader.readAll(text, maximumRecordSize: 4096)
        #expect(records.map(\.eventName) == ["Call1", "Call3"])
        #expect(reader.issues.map(\.kind) == [.tooLarge])
    }

    @Test func reportsInputThatCannotBeReadAndKeepsWhatWasRead() throws {
        let text = (1...1000).map { Self.record($0) }.joined(separator: "\n")
        let source = FailingSource(bytes: CloudTrailBytes(Array(text.utf8)), remaining: text.utf8.count / 2)
        let reader = CloudTrailReader(source: source, file: "broken.json.gz")
        let records = Array(reader)
        #expect(records.count > 400 && records.count < 520)
        #expect(reader.issues.map(\.kind).contains(.unreadable))
        #expect(reader.issues.last?.reason.contains("the disk is on fire") == true)
    }

    @Test func stopsKeepingIssuesAtTheLimitButCountsThemAll() throws {
        let text = String(repeating: "garbage\n{}\n", count: 2000)
        let reader = CloudTrailReader(source: CloudTrailBytes(Array(text.utf8)), file: "x", maximumIssues: 10)
        #expect(Array(reader).isEmpty)
        #expect(reader.issues.count == 10)
        #expect(reader.issueCount == 4000)
    }

    @Test func resynchronisesAtTheNextLineAfterGarbage() throws {
        let text = "not json at all\n  {still not\n\(Self.record(2))\n[\(Self.record(3))]\n"
        let (records, reader) = CloudTrailReader.readAll(text)
        #expect(records.map(\.eventName) == ["Call2", "Call3"])
        #expect(reader.issueCount == 1)
    }
}
