import CustodyJSON
import CustodyTestSupport
import Foundation
import Testing

/// CloudTrail at the ends of time (0001-01-01, 9999-12-31T23:59:59Z), at no time (missing or
/// invalid `eventTime`), with durations beyond any time, and without `eventName` or `eventSource`,
/// mixed in one file: `import-cloudtrail` names the incomplete records, and `hunt`, `hunt --json`
/// and `report` run, count them, and leave them out only of the rules that need what they lack.
@Suite struct ExtremeCloudTrailCommandTests {
    static let account = "111122223333"

    /// One record of mallory's key; `nil` leaves a member out, `extra` adds members as written.
    static func record(
        _ name: String?, _ id: Int, time: String?, source: String? = "ec2.amazonaws.com",
        region: String = "ap-south-2", error: String? = nil, readOnly: Bool = false, extra: [String] = []
    ) -> String {
        var members = [
            #""eventVersion":"1.09""#, #""awsRegion":"\#(region)""#, #""sourceIPAddress":"203.0.113.66""#,
            #""eventID":"00000000-0000-0000-0000-\#(String(format: "%012d", id))""#,
            #""recipientAccountId":"\#(account)""#, #""readOnly":\#(readOnly)"#,
            #""userIdentity":{"type":"IAMUser","principalId":"AIDAMALLORY","arn":"arn:aws:iam::\#(account):user/mallory","accountId":"\#(account)","accessKeyId":"AKIAEXTREME000000001","userName":"mallory"}"#,
        ]
        if let name { members.append(#""eventName":"\#(name)""#) }
        if let source { members.append(#""eventSource":"\#(source)""#) }
        if let time { members.append(#""eventTime":"\#(time)""#) }
        if let error { members.append(#""errorCode":"\#(error)""#) }
        return "{" + (members + extra).joined(separator: ",") + "}"
    }

    /// Second `n` (0 to 9) of year 1.
    static func first(_ n: Int) -> String { "0001-01-01T00:00:0\(n)Z" }
    /// Second 50 + `n` (0 to 9) of the last minute of year 9999.
    static func last(_ n: Int) -> String { "9999-12-31T23:59:5\(n)Z" }

    /// The file's lines, and the line numbers of the incomplete ones with what they lack.
    static let lines: [String] = {
        var lines: [String] = []
        var id = 0
        func add(
            _ name: String?, time: String?, source: String? = "ec2.amazonaws.com", region: String = "ap-south-2",
            error: String? = nil, readOnly: Bool = false, extra: [String] = []
        ) {
            id += 1
            lines.append(
                record(
                    name, id, time: time, source: source, region: region, error: error, readOnly: readOnly,
                    extra: extra))
        }
        // Line 1: the first write in a region only mallory uses, at the first second of year 1.
        add("RunInstances", time: first(0))
        // Lines 2-7: six kinds of discovery call within a minute of year 1.
        for (n, call) in [
            "ListUsers", "ListRoles", "DescribeInstances", "GetAccountSummary", "ListBuckets", "ListKeys",
        ]
        .enumerated() {
            add(call, time: first(n + 1), readOnly: true)
        }
        // Lines 8-12: five denied calls in the last seconds of year 9999.
        for n in 0..<5 { add("DescribeVolumes", time: last(n), error: "AccessDenied", readOnly: true) }
        // Lines 13-16: session tokens asked for as long as a number can say, at the last second and at year 1.
        let sts = "sts.amazonaws.com"
        for (duration, time) in [("1e300", last(9)), (#""9223372036854775807""#, last(9)), ("1e999", first(9))] {
            add(
                "GetSessionToken", time: time, source: sts, region: "us-east-1",
                extra: [#""requestParameters":{"durationSeconds":\#(duration)}"#])
        }
        add(
            "GetSessionToken", time: first(9), source: sts, region: "us-east-1",
            extra: [#""requestParameters":{"durationSeconds":"-9223372036854775808"}"#])
        // Lines 17-18: incomplete, no valid eventTime (a Logstash export's @timestamp, a date of no calendar).
        add("ListGroups", time: nil, readOnly: true, extra: [#""@timestamp":"2024-08-18T10:42:00.000Z""#])
        add("ListPolicies", time: "2024-02-30T10:42:00Z", readOnly: true)
        // Line 19: incomplete, no eventSource: a trusted IP set of no known service, and the one control with one.
        let ipSet = #""requestParameters":{"detectorId":"d-nosource","name":"allow","location":"s3://b/ips.txt"}"#
        add("CreateIPSet", time: "2024-08-18T10:43:00Z", source: nil, region: "us-east-1", extra: [ipSet])
        add(
            "CreateIPSet", time: "2024-08-18T10:43:01Z", source: "guardduty.amazonaws.com", region: "us-east-1",
            extra: [ipSet.replacingOccurrences(of: "d-nosource", with: "d-control")])
        // Line 21: incomplete, no eventSource: a write in a region nobody else uses, not counted as regional.
        add("RunInstances", time: "2024-08-18T10:44:00Z", source: nil, region: "eu-south-2")
        // Line 22: incomplete, no eventName.
        add(nil, time: "2024-08-18T10:45:00Z", region: "us-east-1", error: "AccessDenied")
        return lines
    }()

    static let incomplete: [(line: Int, missing: [String])] = [
        (17, ["eventTime"]), (18, ["eventTime"]), (19, ["eventSource"]), (21, ["eventSource"]), (22, ["eventName"]),
    ]

    let folder: TemporaryFolder
    let caseFolder: String
    let imported: ExternalTool.Result
    let path: String

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = folder.file("case")
        path = try folder.write("extreme.jsonl", Array((Self.lines.joined(separator: "\n") + "\n").utf8))
        imported = try CustodyBinary.run(["import-cloudtrail", "--case", caseFolder, "--account", Self.account, path])
    }

    /// The archive the import wrote.
    func archive() throws -> String {
        let folder = caseFolder + "/" + Self.account
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".tar") })
        return folder + "/" + name
    }

    @Test func importNamesEveryIncompleteRecordAndExitsFour() throws {
        #expect(imported.status == 4, "\(imported.error)")
        #expect(
            imported.text.contains(
                "22 record(s) in 1 file(s), 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, every record read, 5 incomplete"
            ), "\(imported.text)")
        for (line, missing) in Self.incomplete {
            #expect(
                imported.error.contains("\(path):\(line): record \(line), byte ")
                    && imported.error.contains(": incomplete, no \(missing[0])"), "line \(line)")
        }
        let summaryText = try #require(ExternalTool.bsdtar).run(["-xOf", try archive(), "cloudtrail/import.json"])
        let summary = try JSONValue.parse(summaryText.output)
        let file = try #require(summary["files"]?[0])
        #expect(file["incompleteRecords"] == 5 && summary["totals"]?["incompleteRecords"] == 5)
        let listed = try #require(file["incomplete"]?.arrayValue)
        #expect(listed.compactMap { $0["line"]?.numberValue.map(Int.init) } == Self.incomplete.map(\.line))
        #expect(
            listed.map { ($0["missing"]?.arrayValue ?? []).compactMap(\.stringValue) } == Self.incomplete.map(\.missing)
        )
        #expect(try CustodyBinary.run(["verify", caseFolder]).status == 0)
    }

    @Test func huntRunsAndSaysWhatTheIncompleteEventsWereLeftOutOf() throws {
        let run = try CustodyBinary.run(["hunt", caseFolder])
        #expect(run.status == 1, "hunt ended with \(run.status): \(run.error)")
        #expect(
            run.text.hasPrefix(
                "22 event(s) in 1 CloudTrail member(s) of 1 archive(s), account(s) \(Self.account); 5 incomplete"))
        #expect(
            run.text.contains("note: 5 of the 22 CloudTrail events read are incomplete: 2 without a valid eventTime"))
        #expect(run.text.contains("1 without an eventName, judged by no rule that goes by name"))
        #expect(run.text.contains("2 without an eventSource, judged by no rule that checks the service"))
    }

    @Test func huntJSONCountsTheIncompleteEventsAndMatchesItsSchema() throws {
        let run = try CustodyBinary.run(["hunt", "--json", caseFolder])
        #expect(run.status == 1, "hunt ended with \(run.status): \(run.error)")
        let report = try JSONValue.parse(run.output)
        #expect(
            report["incompleteEvents"]
                == [
                    "eventsRead": 22, "count": 5, "withoutEventTime": 2, "withoutEventName": 1,
                    "withoutEventSource": 2,
                ])
        #expect(report["cloudTrail"]?[0]?["incompleteRecords"] == 5)
        let findings = report["findings"]?.arrayValue ?? []
        func has(_ rule: String, _ test: (JSONValue) -> Bool = { _ in true }) -> Bool {
            findings.contains { $0["rule"]?.stringValue == rule && test($0) }
        }
        // The time rules work at both ends of time.
        #expect(has("discovery.enumeration") { $0["event"]?["eventTime"] == "0001-01-01T00:00:01Z" })
        #expect(has("auth.denied-burst") { $0["event"]?["eventTime"] == "9999-12-31T23:59:50Z" })
        #expect(has("sts.session-token.issued") { $0["exposure"]?["expiresAt"] == "9999-12-31T23:59:59Z" })
        // A call of no known service is judged by no rule that checks the service ...
        #expect(has("guardduty.impaired") { $0["entity"]?["id"] == "d-control" })
        #expect(!has("guardduty.impaired") { $0["entity"]?["id"] == "d-nosource" })
        // ... and is not taken for a regional one.
        #expect(has("ec2.region.first-use") { $0["entity"]?["id"] == "ap-south-2" })
        #expect(!has("ec2.region.first-use") { $0["entity"]?["id"] == "eu-south-2" })
        #expect(!run.text.contains("\"-") && !run.text.contains("10000-"))

        let schemas = LabServer.repositoryRoot + "/Schemas"
        let script = """
            import json, sys, jsonschema, referencing
            schemas = {n: json.load(open(sys.argv[1] + "/" + n)) for n in ("findings.schema.json", "diff.schema.json")}
            registry = referencing.Registry().with_resources(
                [(s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values()])
            jsonschema.Draft202012Validator(schemas["findings.schema.json"], registry=registry).validate(
                json.load(open(sys.argv[2])))
            """
        let output = try folder.write("hunt.json", run.output)
        let check = try #require(ExternalTool.python3).run(["-c", script, schemas, output])
        #expect(check.status == 0, "\(check.error)")
    }

    @Test func reportCountsTheIncompleteEventsInEveryFormatAndVerifies() throws {
        let out = folder.file("report")
        let run = try CustodyBinary.run(["report", "--case", caseFolder, "--out", out])
        #expect(run.status == 0, "report ended with \(run.status): \(run.error)")
        #expect(run.text.contains("22 CloudTrail event(s) read, 5 incomplete"))
        let findings = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: out + "/findings.json")))
        #expect(findings["incompleteEvents"]?["count"] == 5)
        #expect(findings["analyses"]?[0]?["incompleteEventCount"] == 5)
        #expect(findings["notes"]?.arrayValue?.filter { $0.stringValue?.contains("are incomplete") == true }.count == 1)
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(
            markdown.contains(
                "| CloudTrail events read | 22 (of which 0 the collector's own calls; 5 incomplete, see the notes) |"))
        #expect(markdown.contains("5 of the 22 CloudTrail events read are incomplete"))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("5 of the 22 CloudTrail events read are incomplete"))
        // Ten thousand years of events still fit the chart's 48 bars, the first from year 0.
        let chart = try #require(markdown.range(of: "one line per ")).upperBound
        let width = markdown[chart...].prefix { $0 != " " }
        #expect(Int(width).map { $0 >= 365 * 200 } == true, "one line per \(width)")
        #expect(markdown.contains("\n0000-01-01 00:00Z "))
        #expect(try CustodyBinary.run(["verify", out + "/report.tar", caseFolder]).status == 0)
    }
}
