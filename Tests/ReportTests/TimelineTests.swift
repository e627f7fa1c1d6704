import CustodyJSON
import CustodyTestSupport
import Diff
import EvidenceArchive
import EvidenceReading
import Foundation
import Testing

@testable import Report

/// The timeline as responders read it: one table, oldest first across phases and actors, and every
/// event of the slices in `timeline.jsonl`, each marked with who made it, its phase and the findings
/// citing it.
@Suite struct TimelineTests {
    static let account = "111122223333"
    static let suspect = "AKIASUSPECT000000001"
    static let backdoor = "AKIABACKDOOR00000001"
    static let collectorKey = "AKIACOLLECTOR0000001"
    static let start = 1_790_000_000
    static let hostileAgent = "curl <script>alert(1)</script> | `x` \u{1b}[31m\u{2028}"

    static func identity(_ name: String, key: String) -> JSONValue {
        [
            "type": "IAMUser", "arn": .string("arn:aws:iam::\(account):user/\(name)"), "accountId": .string(account),
            "accessKeyId": .string(key), "userName": .string(name),
        ]
    }

    /// One CloudTrail record, `offset` seconds after `start`.
    static func record(
        _ id: String, _ offset: Int, _ name: String, _ source: String, _ identity: JSONValue,
        request: JSONValue = .null, response: JSONValue = .null, agent: String = "aws-cli/2.15.0",
        ip: String = "203.0.113.66"
    ) -> String {
        JSONValue.object([
            "eventVersion": "1.09", "eventID": .string(id),
            "eventTime": .string(Scenario.iso(Date(timeIntervalSince1970: TimeInterval(start + offset)))),
            "eventName": .string(name), "eventSource": .string(source + ".amazonaws.com"), "awsRegion": "us-east-1",
            "userIdentity": identity, "sourceIPAddress": .string(ip), "userAgent": .string(agent),
            "requestParameters": request, "responseElements": response, "eventType": "AwsApiCall",
            "recipientAccountId": .string(account),
        ]).description
    }

    /// Two slices in the order an export may give them: the backdoor key's use before its creation,
    /// a second reconnaissance call of the same second before the first, the collector's own call,
    /// someone else's, the responder's containment; the second slice repeats the use.
    static var slices: [[String]] {
        let mallory = identity("mallory", key: suspect)
        let use = record("use", 300, "ListBuckets", "s3", identity("alice", key: backdoor))
        let first = [
            use,
            record(
                "create", 120, "CreateAccessKey", "iam", mallory, request: ["userName": "alice"],
                response: ["accessKey": ["accessKeyId": .string(backdoor), "userName": "alice", "status": "Active"]]),
            record("recon-b", 60, "ListRoles", "iam", mallory),
            record("recon", 60, "ListUsers", "iam", mallory),
            record(
                "other", 200, "DescribeInstances", "ec2", identity("bob", key: "AKIABOB0000000000001"),
                agent: hostileAgent, ip: "198.51.100.7"),
            record(
                "collector", 250, "ListUsers", "iam", identity("lab-admin", key: collectorKey),
                agent: "custody/0.0.0-test collect", ip: "198.51.100.10"),
            record(
                "contain", 400, "UpdateAccessKey", "iam", identity("responder", key: "AKIARESPONDER0000001"),
                request: ["userName": "mallory", "accessKeyId": .string(suspect), "status": "Inactive"],
                ip: "198.51.100.10"),
        ]
        return [first, [use, record("late", 500, "GetCallerIdentity", "sts", mallory)]]
    }

    /// The report of a case holding `slices`, each sealed as imported CloudTrail; the collector
    /// made the first archive.
    static func report() async throws -> IncidentReport {
        let folder = try TemporaryFolder()
        let caseFolder = CaseFolder(root: folder.file("case"))
        _ = try caseFolder.prepare()
        let sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
        for (i, lines) in slices.enumerated() {
            let file = try folder.write("export-\(i).jsonl", Array(lines.joined(separator: "\n").utf8))
            let started = Date(timeIntervalSince1970: TimeInterval(start + 240 + i * 600))
            _ = try sealer.seal(
                SealRequest(
                    account: account, kind: .cloudTrail,
                    members: [SealMember(path: "cloudtrail/imported/export.jsonl", source: .file(file))],
                    collector: Manifest.Collector(
                        version: "test", callerArn: "arn:aws:iam::\(account):user/lab-admin",
                        accessKeyId: collectorKey),
                    startedAt: started, finishedAt: started.addingTimeInterval(20)))
        }
        let report = try await ReportBuilder.build(
            ReportRequest(caseFolder: caseFolder.root, suspectKeys: [suspect], generatedAt: BuilderTests.generatedAt))
        withExtendedLifetime(folder) {}
        return report
    }

    static func text(_ report: IncidentReport, _ format: ReportFormat) throws -> String {
        String(decoding: try #require(try report.render([format]).first).bytes, as: UTF8.self)
    }

    @Test func theTableIsOneChronologicalListAcrossPhasesAndActors() async throws {
        let report = try await Self.report()
        let actor = try #require(report.actors.first?.id)
        #expect(report.timeline.map(\.eventID) == ["recon-b", "recon", "create", "use", "contain", "late"])
        let create = try #require(report.timeline.first { $0.eventID == "create" })
        let use = try #require(report.timeline.first { $0.eventID == "use" })
        #expect(create.phase == .persistence && use.phase == .reconnaissance)
        #expect(create.actor == actor && use.actor == actor && use.accessKeyId == Self.backdoor)
        #expect(report.timeline.first { $0.eventID == "contain" }?.actor == "responder")
        // In both documents the key's creation comes before its use, in one table with the phase and actor.
        for format in [ReportFormat.markdown, .html] {
            let text = try Self.text(report, format)
            let heading = format == .html ? "<h2 id=\"timeline\">" : "\n## Timeline\n"
            let section = try #require(text.range(of: heading)?.upperBound)
            let created = try #require(text.range(of: "CreateAccessKey", range: section..<text.endIndex))
            let used = try #require(text.range(of: "ListBuckets", range: section..<text.endIndex))
            #expect(created.lowerBound < used.lowerBound, "\(format): the key's use shows above its creation")
            for header in ["Phase", "Actor"] {
                #expect(text.contains(format == .html ? "<th scope=\"col\">\(header)</th>" : "| \(header) |"))
            }
        }
        let markdown = try Self.text(report, .markdown)
        let row = try #require(markdown.split(separator: "\n").first { $0.contains("`CreateAccessKey`") })
        #expect(row.contains("| Persistence | `\(actor)` | `\(Self.account)` |"))
        #expect(row.contains("cloudtrail/imported/export.jsonl:2"), "the evidence pointer is missing: \(row)")
        #expect(!markdown.contains("#### Reconnaissance"), "the table is still grouped by phase")
    }

    @Test func theJSONLinesHoldEveryDistinctEventWithItsActorPhaseAndFindings() async throws {
        let report = try await Self.report()
        let actor = try #require(report.actors.first?.id)
        let file = try #require(try report.render([.timesketch]).first)
        let lines = try String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").map {
            try JSONValue.parse(Data($0.utf8))
        }
        // The use is in both slices and counted once; the collector's call and bob's are there too.
        let ids = lines.compactMap { $0["event_id"]?.stringValue }
        #expect(ids == ["recon-b", "recon", "create", "other", "collector", "use", "contain", "late"])
        #expect(lines.count == report.eventCount)
        let byID = Dictionary(zip(ids, lines), uniquingKeysWith: { first, _ in first })
        let collector = try #require(byID["collector"])
        #expect(collector["actor"]?.stringValue == "collector" && collector["phase"] == nil)
        let other = try #require(byID["other"])
        #expect(other["actor"]?.stringValue == "other principals" && other["phase"] == nil)
        #expect(other["finding_ids"] == nil && other["user_agent"]?.stringValue == Self.hostileAgent)
        let contain = try #require(byID["contain"])
        #expect(contain["actor"]?.stringValue == "responder" && contain["phase"]?.stringValue == "containment")
        let create = try #require(byID["create"])
        #expect(create["actor"]?.stringValue == actor && create["phase"]?.stringValue == "persistence")
        // Its finding ids are the ids the finding exports give the findings citing it.
        let asff = try JSONValue.parse(Data(try #require(try report.render([.asff]).first).bytes))
        let created = (asff["Findings"]?.arrayValue ?? []).filter {
            $0["GeneratorId"]?.stringValue == "iam.access-key.created"
        }
        let exported = try #require(created.first?["Id"]?.stringValue)
        let cited = try #require(create["finding_ids"]?.stringValue).split(separator: ",").map(String.init)
        #expect(cited.contains(exported) && cited.allSatisfy { $0.hasPrefix("custody/") })
        #expect(create["finding_rules"]?.stringValue?.contains("iam.access-key.created") == true)
        try SchemaTests().validate(file, against: "timeline.schema.json")
    }

    @Test func aLineWithoutAValidTimeKeepsItsPlaceAtTheEndWithTheEpoch() throws {
        let report = SyntheticReport.make()
        let text = try Self.text(report, .timesketch)
        let last = try JSONValue.parse(Data(try #require(text.split(separator: "\n").last).utf8))
        #expect(last["event_id"]?.stringValue == "e-untimed")
        #expect(last["datetime"]?.stringValue == TimesketchRenderer.epoch)
        #expect(last["event_time_invalid"]?.stringValue == "")
        #expect(last["message"]?.stringValue?.hasSuffix("[no valid eventTime]") == true)
    }

    /// Over the limit, uncited reconnaissance goes first, the latest first, then any uncited row;
    /// every event stays in `timeline.jsonl`.
    @Test(arguments: [(3, ["r1", "create", "r3"], 2), (1, ["r3"], 4)])
    func overTheLimitTheLatestUncitedReconnaissanceGoesFirst(limit: Int, kept: [String], omitted: Int) async throws {
        let folder = try TemporaryFolder()
        let mallory = Self.identity("mallory", key: Self.suspect)
        let lines = [
            Self.record("r1", 10, "ListUsers", "iam", mallory), Self.record("r2", 20, "ListUsers", "iam", mallory),
            Self.record("create", 30, "CreateUser", "iam", mallory, request: ["userName": "x"]),
            Self.record("r3", 40, "ListRoles", "iam", mallory), Self.record("r4", 50, "ListUsers", "iam", mallory),
        ]
        let path = try folder.write("events.jsonl", Array(lines.joined(separator: "\n").utf8))
        var set = EventSet()
        set.add(await EventLog.read(files: [path], account: Self.account), account: Self.account)
        set.finish(accountOrder: [Self.account])
        for i in set.events.indices { set.events[i].actor = "actor-1" }
        let cited = try #require(set.events.first { $0.reference.eventID == "r3" })
        let finding = Finding(
            rule: .enumeration, title: "Discovery", severity: .medium, reason: "Many calls.", basis: .cloudTrailOnly,
            account: Self.account, entity: EntityReference(kind: .accessKey, id: Self.suspect),
            event: cited.reference, containment: Containment(advice: "Check."))
        let timeline = Timeline(
            set: set, cited: [cited.key: [finding]], citedIds: [cited.key: ["custody/discovery.enumeration/x"]],
            attackStart: [:], caseRoot: ""
        ).build(limit: limit)
        #expect(timeline.rows.map(\.eventID) == kept && timeline.omitted == omitted)
        #expect(timeline.events.map(\.eventID) == ["r1", "r2", "create", "r3", "r4"])
        #expect(timeline.events[3].findingIds == ["custody/discovery.enumeration/x"])
    }

    @Test func theTableSaysHowManyRowsItLeftOut() throws {
        var report = SyntheticReport.make()
        #expect(!(try Self.text(report, .markdown)).contains("more rows that no finding cites"))
        report.timelineOmitted = 42
        for format in [ReportFormat.markdown, .html] {
            #expect(try Self.text(report, format).contains("42 more rows that no finding cites"), "\(format)")
        }
    }

    @Test func eventsKeepEveryFieldOfTheirEntries() {
        let report = SyntheticReport.make()
        let entries = Array(report.events)
        #expect(Array(entries.prefix(report.timeline.count)) == report.timeline)
        #expect(TimelineEvents(entries) == report.events)
        #expect(entries.count == 9 && entries[0].findingIds.count == 1 && entries[8].time.isEmpty)
        // A pointer whose line does not read back as written keeps it as text.
        let odd = TimelineEntry(
            time: "t", account: "a", actor: "x", phase: nil, evidence: "archive member:007")
        #expect(TimelineEvents([odd]).first == odd)
    }
}
