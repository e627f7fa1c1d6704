import CustodyTestSupport
import Evidence
import Foundation
import Testing

/// Which records lack an essential member (`CloudTrailRecord.missingEssentials`): a valid
/// `eventTime`, an `eventName`, an `eventSource`.
@Suite struct IncompleteRecordTests {
    static let name = #""eventName":"ListUsers""#
    static let source = #""eventSource":"iam.amazonaws.com""#
    static let time = #""eventTime":"2024-08-18T10:42:11Z""#

    /// A record of `members` and what it lacks.
    static let cases: [(members: [String], missing: [CloudTrailRecord.EssentialMember])] = [
        ([time, name, source], []),
        ([#""eventTime":"0001-01-01T00:00:00Z""#, name, source], []),
        ([#""eventTime":"9999-12-31T23:59:59Z""#, name, source], []),
        ([#""eventTime":"2024-08-18T10:42:11.123+02:00""#, name, source], []),
        ([time, #""eventName":"\u004cistUsers""#, source], []),
        // A Logstash or Elastic export: the time is under another name.
        ([#""@timestamp":"2024-08-18T10:42:11.000Z""#, name, source], [.eventTime]),
        ([#""eventTime":"2024-02-30T00:00:00Z""#, name, source], [.eventTime]),
        ([#""eventTime":"10000-01-01T00:00:00Z""#, name, source], [.eventTime]),
        ([#""eventTime":1723977731"#, name, source], [.eventTime]),
        ([#""eventTime":"""#, name, source], [.eventTime]),
        ([time, #""eventName":"""#, source], [.eventName]),
        ([time, #""eventName":42"#, source], [.eventName]),
        ([time, #""eventName":null"#, source], [.eventName]),
        ([time, name], [.eventSource]),
        ([time, name, #""eventSource":["iam.amazonaws.com"]"#], [.eventSource]),
        ([#""eventID":"x""#, #""eventVersion":"1.09""#], [.eventTime, .eventName, .eventSource]),
    ]

    @Test(arguments: cases.indices)
    func namesWhatARecordLacks(_ index: Int) throws {
        let (members, missing) = Self.cases[index]
        let (records, reader) = CloudTrailReader.readAll("{" + members.joined(separator: ",") + "}")
        #expect(reader.issues.isEmpty)
        let record = try #require(records.first)
        #expect(record.missingEssentials == missing, "\(members)")
    }

    @Test func readsWhatALookupEventsRecordLacksFromTheRecordInside() throws {
        let text =
            #"{"Events":[{"EventId":"x","EventName":"ListUsers","CloudTrailEvent":"{\"eventVersion\":\"1.09\",\"eventName\":\"ListUsers\"}"}]}"#
        let record = try #require(CloudTrailReader.readAll(text).records.first)
        #expect(record.missingEssentials == [.eventTime, .eventSource])
    }

    @Test func namesAnIncompleteRecordTheWayAnIssueNamesItsPlace() {
        let position = CloudTrailPosition(record: 3, line: 12, byte: 2048)
        let one = CloudTrailIncompleteRecord(file: "logs/a.jsonl", position: position, missing: [.eventTime])
        #expect("\(one)" == "logs/a.jsonl:12: record 3, byte 2048: incomplete, no eventTime")
        let all = CloudTrailIncompleteRecord(
            file: "logs/a.jsonl", position: position, missing: CloudTrailRecord.EssentialMember.allCases)
        #expect("\(all)".hasSuffix(": incomplete, no eventTime, eventName or eventSource"))
    }

    /// Python's count of the incomplete records of each fixture file: records taken out of their
    /// containers as `CloudTrailFixtures.python` takes them, a time valid when RFC 3339 and of the calendar.
    static let script = """
        import datetime, json, re, sys
        rfc3339 = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
        def valid(time):
            if not isinstance(time, str) or not rfc3339.match(time): return False
            try: datetime.datetime.fromisoformat(time.replace("Z", "+00:00")); return True
            except ValueError: return False
        def text(value): return isinstance(value, str) and value != ""
        out = {}
        for path in sys.argv[2:]:
            data = open(sys.argv[1] + "/" + path, encoding="utf-8").read()
            try:
                value = json.loads(data)
                if isinstance(value, dict) and "Records" in value: records = value["Records"]
                elif isinstance(value, dict) and "Events" in value:
                    records = [json.loads(e["CloudTrailEvent"]) for e in value["Events"]]
                elif isinstance(value, list): records = value
                elif "digestStartTime" in value: records = []
                else: records = [value]
            except ValueError:
                records = [json.loads(line) for line in data.splitlines() if line.strip()]
            records = [r["log"] if "log" in r and "eventName" not in r else r for r in records]
            out[path] = sum(1 for r in records
                if not valid(r.get("eventTime")) or not text(r.get("eventName")) or not text(r.get("eventSource")))
        print(json.dumps(out))
        """

    /// CloudTrail as AWS writes it lacks nothing. Panther's hand-written test records often write
    /// times the way its data lake shows them (`2022-12-11 19:42:55`: no `T`, no zone) or leave them
    /// out: those are incomplete, exactly as many as Python finds in each file.
    @Test func incompleteRecordsOfTheRealFixturesAreTheOnesPythonFinds() throws {
        let python = try #require(ExternalTool.python3)
        let run = try python.run(["-c", Self.script, CloudTrailFixtures.folder] + CloudTrailFixtures.files)
        #expect(run.status == 0, "\(run.error)")
        let expected = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Int])
        var counted: [String: Int] = [:]
        for file in CloudTrailFixtures.files {
            let records = CloudTrailReader.readAll(try CloudTrailFixtures.bytes(file), file: file).records
            counted[file] = records.count { !$0.missingEssentials.isEmpty }
        }
        #expect(counted == expected)
        #expect(
            counted.filter { $0.value > 0 }.keys.sorted() == ["panther-analysis/panther_cloudtrail_test_events.jsonl"])
        #expect(counted["panther-analysis/panther_cloudtrail_test_events.jsonl"] == 144)
    }
}
