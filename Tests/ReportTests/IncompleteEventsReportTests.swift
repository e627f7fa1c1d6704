import CustodyJSON
import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

@testable import Report

/// A report of CloudTrail at both ends of time and without `eventTime`, `eventName` or
/// `eventSource`: it counts the incomplete events once, says what the rules left out for them, and
/// its chart holds ten thousand years in 48 bars.
@Suite struct IncompleteEventsReportTests {
    static let account = "111122223333"

    /// One record of mallory's key; `nil` leaves a member out.
    static func record(_ id: Int, time: String?, name: String? = "ListUsers", source: String? = "iam.amazonaws.com")
        -> String
    {
        var members = [
            #""eventVersion":"1.09""#, #""awsRegion":"us-east-1""#, #""eventID":"id-\#(id)""#,
            #""recipientAccountId":"\#(account)""#,
            #""userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/mallory","accountId":"\#(account)","accessKeyId":"AKIAREPORT0000000001"}"#,
        ]
        if let time { members.append(#""eventTime":"\#(time)""#) }
        if let name { members.append(#""eventName":"\#(name)""#) }
        if let source { members.append(#""eventSource":"\#(source)""#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static let lines = [
        record(1, time: "0000-01-01T00:00:00Z"), record(2, time: "0001-01-01T00:00:00Z"),
        record(3, time: "9999-12-31T23:59:59Z"), record(4, time: "2024-08-18T10:42:11Z"),
        record(5, time: nil), record(6, time: "2024-13-01T00:00:00Z"),
        record(7, time: "2024-08-18T10:42:12Z", name: nil), record(8, time: "2024-08-18T10:42:13Z", source: ""),
        record(9, time: nil, name: nil, source: nil),
    ]

    /// A report of a case holding `lines` as one imported file.
    static func report(_ lines: [String] = lines) async throws -> IncidentReport {
        let folder = try TemporaryFolder()
        let caseFolder = CaseFolder(root: folder.file("case"))
        _ = try caseFolder.prepare()
        let sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
        let file = try folder.write("export.jsonl", Array(lines.joined(separator: "\n").utf8))
        let time = Date(timeIntervalSince1970: 1_790_000_000)
        _ = try sealer.seal(
            SealRequest(
                account: account, kind: .cloudTrail,
                members: [SealMember(path: "cloudtrail/imported/export.jsonl", source: .file(file))],
                collector: Manifest.Collector(version: "test"), startedAt: time, finishedAt: time))
        let report = try await ReportBuilder.build(
            ReportRequest(caseFolder: caseFolder.root, generatedAt: BuilderTests.generatedAt))
        withExtendedLifetime(folder) {}
        return report
    }

    @Test func countsIncompleteEventsOnceAndSaysWhatWasLeftOut() async throws {
        let report = try await Self.report()
        #expect(report.eventCount == 9)
        #expect(report.incompleteEvents.count == 5)
        #expect(report.incompleteEvents.eventsRead == 9)
        #expect(report.incompleteEvents.withoutEventTime == 3)
        #expect(report.incompleteEvents.withoutEventName == 2)
        #expect(report.incompleteEvents.withoutEventSource == 2)
        #expect(report.analyses.map(\.incompleteEventCount) == [5])
        let notes = report.notes.filter { $0.contains("are incomplete") }
        #expect(notes == [try #require(report.incompleteEvents.note)])
        #expect(
            notes.first?.hasPrefix("5 of the 9 CloudTrail events read are incomplete: 3 without a valid eventTime")
                == true)
        let markdown = String(decoding: try MarkdownTests.markdown(report), as: UTF8.self)
        #expect(markdown.contains("(of which 0 the collector's own calls; 5 incomplete, see the notes)"))
        #expect(report.window.firstEvent == "0000-01-01T00:00:00Z" && report.window.lastEvent == "9999-12-31T23:59:59Z")
    }

    @Test func chartsTenThousandYearsInAtMost48Bars() async throws {
        let report = try await Self.report()
        let activity = report.activity
        let counts = try #require(activity.series.first?.counts)
        #expect(counts.count <= 48)
        #expect(activity.series.allSatisfy { $0.counts.count == counts.count })
        #expect(activity.series.reduce(0) { $0 + $1.counts.reduce(0, +) } == 6, "every event with a time")
        #expect(activity.start == "0000-01-01T00:00:00Z")
        let last = Int64(counts.count - 1) * Int64(activity.bucketSeconds) - 62_167_219_200
        #expect(last <= 253_402_300_799 && last + Int64(activity.bucketSeconds) > 253_402_300_799)
        let chart = SVGCharts.activity(activity)
        #expect(chart.text.count == 4, "\(chart.text)")
    }

    @Test func startsTheFirstBarBeforeTheFirstEventBefore1970() async throws {
        let report = try await Self.report([
            Self.record(1, time: "1969-12-31T23:59:30Z"), Self.record(2, time: "1970-01-01T00:00:30Z"),
        ])
        #expect(report.activity.start == "1969-12-31T23:59:00Z")
        #expect(report.activity.bucketSeconds == 60)
        #expect(report.activity.series.first?.counts == [1, 1])
        #expect(report.incompleteEvents.count == 0 && !report.notes.contains { $0.contains("incomplete") })
    }
}
