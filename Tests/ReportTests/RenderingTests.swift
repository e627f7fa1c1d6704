import CustodyJSON
import CustodyTestSupport
import Foundation
import Testing

@testable import Report

/// What every format holds, deterministically.
@Suite struct RenderingTests {
    @Test func renderingTwiceGivesTheSameBytes() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let first = try report.render(ReportFormat.allCases)
        #expect(
            first.map(\.name) == [
                "report.md", "report.html", "findings.json", "timeline.jsonl", "iocs.csv", "iocs.stix.json",
                "findings.asff.json", "findings.ocsf.json",
            ])
        let twice = try first == report.render(ReportFormat.allCases)
        #expect(twice)
        // A second build of another copy of the same evidence gives the same report.
        var again = try await BuilderTests.scenarioReport(try Scenario())
        #expect(
            again.findings == report.findings && again.timeline == report.timeline && again.queries == report.queries)
        // The copy has its own case id and case key, so only its manifests, signer and path differ.
        again.caseFolder = report.caseFolder
        again.evidence = report.evidence
        let same = try again.render(ReportFormat.allCases) == first
        #expect(same, "the same evidence gave different bytes")
        let synthetic =
            try SyntheticReport.make().render(ReportFormat.allCases)
            == SyntheticReport.make().render(ReportFormat.allCases)
        #expect(synthetic)
    }

    @Test func rendersOnlyTheFormatsAskedOnceEach() throws {
        let files = try SyntheticReport.make().render([.json, .markdown, .json])
        #expect(files.map(\.name) == ["findings.json", "report.md"])
    }

    @Test func theHTMLIsOneSelfContainedFile() throws {
        let html = String(decoding: try #require(try SyntheticReport.make().render([.html]).first).bytes, as: UTF8.self)
        #expect(
            html.hasPrefix("<!DOCTYPE html>") && html.contains("<meta name=\"viewport\"")
                && html.contains("@media print"))
        #expect(html.contains("<svg") && html.contains("<title"))
        for forbidden in ["<script", "<link", "<img", "<iframe", "url(", "@import", "http://", "https://"] {
            #expect(!html.lowercased().contains(forbidden), "\(forbidden)")
        }
    }

    @Test func timelineLinesAreTimesketchEventsOfEveryEventRead() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let bytes = try #require(try report.render([.timesketch]).first).bytes
        let lines = try String(decoding: bytes, as: UTF8.self).split(separator: "\n").map {
            try JSONValue.parse(Data($0.utf8))
        }
        #expect(lines.count == report.eventCount && lines.count == report.events.count && !lines.isEmpty)
        for value in lines {
            #expect(
                value["message"]?.stringValue?.isEmpty == false && value["timestamp_desc"]?.stringValue == "Event Time")
            #expect(value["datetime"]?.stringValue?.hasSuffix("+00:00") == true)
        }
        let datetimes = lines.compactMap { $0["datetime"]?.stringValue }
        #expect(datetimes == datetimes.sorted(), "the lines are not oldest first")
        #expect(
            lines.contains {
                $0["phase"]?.stringValue == "containment" && $0["event_name"]?.stringValue == "UpdateAccessKey"
                    && $0["actor"]?.stringValue == "responder"
            })
        let collector = lines.filter { $0["access_key_id"]?.stringValue == Scenario.collectorKey }
        #expect(collector.count == report.collectorEventCount && collector.count == 3)
        #expect(collector.allSatisfy { $0["actor"]?.stringValue == "collector" && $0["phase"] == nil })
        // Every row of the table is a line, with the same actor and phase.
        let byID = Dictionary(
            lines.compactMap { line in line["event_id"]?.stringValue.map { ($0, line) } },
            uniquingKeysWith: { first, _ in first })
        for row in report.timeline {
            let line = try #require(byID[row.eventID ?? ""])
            #expect(line["actor"]?.stringValue == row.actor && line["phase"]?.stringValue == row.phase?.rawValue)
        }
    }

    @Test func hostileFieldsStayEscapedInTheTimesketchLines() throws {
        let report = SyntheticReport.make()
        let bytes = try #require(try report.render([.timesketch]).first).bytes
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\u{1b}") && !text.contains("\u{2028}") && !text.contains("\u{2029}"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == report.events.count && lines.count == 9, "a value from the evidence split a line")
        let other = try JSONValue.parse(Data(try #require(lines.first { $0.contains("e-other") }).utf8))
        #expect(other["user_agent"]?.stringValue == SyntheticReport.all)
        #expect(other["event_name"]?.stringValue == SyntheticReport.ticks)
        #expect(other["target"]?.stringValue == SyntheticReport.newline)
        #expect(other["actor"]?.stringValue == "other principals" && other["phase"] == nil)
    }

    @Test func chartsAreSVGWithTitlesAndLabels() {
        let report = SyntheticReport.make()
        let activity = SVGCharts.activity(report.activity)
        #expect(
            activity.svg.hasPrefix("<svg") && activity.svg.contains("<title")
                && activity.svg.contains(">actor-1 (5)</text>"))
        let regions = SVGCharts.regions(report.regions)
        #expect(
            regions.svg.contains("sa-&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; (new)")
                && regions.svg.contains("#c0392b"))
        #expect(!regions.svg.contains("<script"))
        #expect(regions.text.contains { $0.contains("(new)") })
    }

    @Test(arguments: [
        ("2026-11-29T03:04:05Z", Int64(1_795_921_445)), ("2026-11-29T03:04:05.123Z", 1_795_921_445),
        ("2026-11-29T05:04:05+02:00", 1_795_921_445),
        ("1970-01-01T00:00:00Z", 0),
    ])
    func parsesAndPrintsUTCTimes(text: String, seconds: Int64) {
        #expect(UTCTimestamp(parsing: text)?.seconds == seconds)
        #expect(UTCTimestamp(parsing: UTCTimestamp(seconds: seconds).iso8601)?.seconds == seconds)
    }

    @Test func tablesShowTimesInUTCWithASpace() {
        #expect(UTCTimestamp.display("2026-11-29T05:04:05.123+02:00") == "2026-11-29 03:04:05Z")
        #expect(UTCTimestamp.display(nil) == nil)
        #expect(TimesketchRenderer.datetime("2026-11-29T05:04:05.123+02:00") == "2026-11-29T03:04:05+00:00")
    }

    /// A date the calendar does not have is no time: shown as written, never as the day it would roll over to.
    @Test(arguments: [
        "2026-02-31T03:04:05Z", "2026-11-29T24:00:00Z", "2026-11-29T03:04:05.Z", "2026-11-29T03:04:05+01x00",
    ])
    func showsWhatIsNoTimeAsWritten(text: String) {
        #expect(UTCTimestamp(parsing: text) == nil)
        #expect(UTCTimestamp.display(text) == text)
        #expect(TimesketchRenderer.datetime(text) == nil)
    }
}
