import CustodyJSON
import CustodyTestSupport
import Foundation
import Testing

@testable import Report

/// The report of the lab's training scenario, as committed in `Reports/report` (CustodyCLITests'
/// DemoCommandTests fails when it is not what the code now writes): its HTML in Chromium and its
/// Markdown in cmark-gfm, checked like the reports built in these tests.
@Suite struct CommittedReportTests {
    static let folder =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Reports/report"

    static func findings() throws -> [JSONValue] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/findings.json"))
        return try JSONValue.parse(data)["findings"]?.arrayValue ?? []
    }

    @Test
    func labScenarioReportLoadsCleanlyWithEveryFinding() throws {
        let path = Self.folder + "/report.html"
        let visit = try BrowserVisit.open(path)
        #expect(visit.requests == ["file://" + path], "requests besides the file: \(visit.requests)")
        #expect(visit.errors.isEmpty, "\(visit.errors)")
        #expect(visit.colours > 8, "the screenshot looks blank")
        #expect(visit.tables > 10 && visit.tablesWithHeaders == visit.tables)
        #expect(visit.activeElements == 0 && visit.eventAttributes == 0)
        let findings = try Self.findings()
        #expect(findings.count >= 10)
        let text = HTMLBrowserTests.squeezed(visit.text)
        for finding in findings {
            let title = try #require(finding["title"]?.stringValue)
            #expect(
                text.contains(HTMLBrowserTests.squeezed(TextEscaping.visible(title))), "\(title) is not on the page")
        }
    }

    @Test
    func labScenarioMarkdownRendersEveryTable() throws {
        let source = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/report.md")))
        let html = try Tools.gfm(source)
        let expected = MarkdownTests.sourceTables(String(decoding: source, as: UTF8.self))
        let (count, headers) = MarkdownTests.tables(html)
        #expect(expected.count >= 12 && count == expected.count)
        #expect(headers.allSatisfy { !$0.isEmpty })
        for finding in try Self.findings() {
            let rule = try #require(finding["rule"]?.stringValue)
            #expect(html.contains(rule), "\(rule) is not in report.md")
        }
    }
}
