import CustodyJSON
import CustodyTestSupport
import Foundation
import Testing

@testable import Report

/// report.html opened in a real headless Chromium: no console error, no request but the file
/// itself, a screenshot that is not blank, a header row on every table, every finding on the
/// page, no page-wide sideways scrolling on a phone, and nothing from the evidence as markup.
@Suite(.serialized)
struct HTMLBrowserTests {
    static func visit(_ report: IncidentReport) throws -> (visit: BrowserVisit, path: String, folder: TemporaryFolder) {
        let folder = try TemporaryFolder()
        let html = try #require(try report.render([.html]).first).bytes
        let path = try folder.write("report.html", html)
        return (try BrowserVisit.open(path), path, folder)
    }

    /// Whitespace runs as one space, as `innerText` shows them.
    static func squeezed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    @Test func theScenarioReportLoadsCleanlyWithEveryFindingAndTableHeader() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let (visit, path, _) = try Self.visit(report)
        #expect(visit.requests == ["file://" + path], "requests besides the file: \(visit.requests)")
        #expect(visit.errors.isEmpty, "\(visit.errors)")
        #expect(
            visit.colours > 8 && visit.width > 0 && visit.height > 0,
            "the screenshot looks blank: \(visit.colours) colours")
        #expect(visit.tables > 10 && visit.tablesWithHeaders == visit.tables)
        #expect(visit.activeElements == 0 && visit.eventAttributes == 0)
        #expect(visit.printRules > 0)
        #expect(visit.phoneScrollWidth <= 400, "the page is \(visit.phoneScrollWidth) px wide on a 390 px phone")
        // Every finding of findings.json is on the page.
        let json = try #require(try report.render([.json]).first).bytes
        let findings = try JSONValue.parse(Data(json))["findings"]?.arrayValue ?? []
        #expect(findings.count == report.findings.count && !findings.isEmpty)
        let text = Self.squeezed(visit.text)
        for finding in findings {
            let title = try #require(finding["title"]?.stringValue)
            #expect(text.contains(Self.squeezed(TextEscaping.visible(title))), "\(title) is not on the page")
            #expect(text.contains(try #require(finding["rule"]?.stringValue)))
        }
    }

    @Test func hostileFieldsAreTextInTheDOM() throws {
        let report = SyntheticReport.make()
        let (visit, path, _) = try Self.visit(report)
        #expect(visit.activeElements == 0 && visit.eventAttributes == 0, "markup from the evidence became elements")
        #expect(visit.errors.isEmpty && visit.requests == ["file://" + path], "\(visit.errors) \(visit.requests)")
        #expect(visit.tablesWithHeaders == visit.tables)
        let cells = visit.cells.joined(separator: "\n")
        for value in [SyntheticReport.script, SyntheticReport.image, SyntheticReport.pipes, SyntheticReport.ticks] {
            #expect(cells.contains(value), "\(value) is not shown as text")
        }
        #expect(cells.contains("line one\\u000aline two\\u000d\\u000a# not a heading"))
        #expect(
            cells.contains("\\u001b[31mred\\u001b[0m") && cells.contains("user\\u202egpj.exe")
                && cells.contains("para\\u2028graph"))
        #expect(!visit.text.contains("\u{1b}") && !visit.text.contains("\u{202e}"))
        #expect(visit.text.contains("IAM user <script>alert('x')</script> created"))
    }
}
