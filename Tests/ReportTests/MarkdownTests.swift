import CustodyTestSupport
import Foundation
import Testing

@testable import Report

/// report.md checked with GitHub's own parser, cmark-gfm: every table is a table with its header
/// cells, and nothing from the evidence becomes markup.
@Suite
struct MarkdownTests {
    static func markdown(_ report: IncidentReport) throws -> [UInt8] {
        try #require(try report.render([.markdown]).first { $0.name == "report.md" }).bytes
    }

    /// `<table>` elements and their header rows in cmark-gfm's HTML.
    static func tables(_ html: String) -> (tables: Int, headers: [[String]]) {
        let tables = html.components(separatedBy: "<table>").count - 1
        let headers = html.components(separatedBy: "<thead>").dropFirst().map { part in
            let head = part.components(separatedBy: "</thead>")[0]
            return head.components(separatedBy: "<th>").dropFirst().map { $0.components(separatedBy: "</th>")[0] }
        }
        return (tables, headers)
    }

    /// Table blocks in the Markdown source: a header line followed by a delimiter line.
    static func sourceTables(_ markdown: String) -> [String] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines.indices.dropLast().filter { lines[$0].hasPrefix("| ") && lines[$0 + 1].hasPrefix("| --- |") }.map {
            lines[$0]
        }
    }

    @Test func everyTableOfTheScenarioRendersAsATableWithItsHeaders() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let source = try Self.markdown(report)
        let html = try Tools.gfm(source)
        let expected = Self.sourceTables(String(decoding: source, as: UTF8.self))
        let (count, headers) = Self.tables(html)
        #expect(expected.count >= 12)
        #expect(count == expected.count)
        #expect(headers.count == count && headers.allSatisfy { !$0.isEmpty && $0.allSatisfy { !$0.isEmpty } })
        #expect(
            headers.contains([
                "Time (UTC)", "Phase", "Actor", "Account", "Principal", "Access key", "Source IP or VPC endpoint",
                "Region", "Event", "Target", "Finding", "Evidence",
            ]))
        #expect(
            headers.contains([
                "Archive", "Account", "Seq", "Kind", "Manifest SHA-256", "Signer fingerprint", "Verification",
                "Coverage gaps",
            ]))
        // Every body row has as many cells as its header: no pipe from the evidence split a cell.
        for table in html.components(separatedBy: "<table>").dropFirst() {
            let head = table.components(separatedBy: "<th>").count - 1
            for row in table.components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "<tr>")
                .dropFirst() ?? []
            {
                #expect(row.components(separatedBy: "<td>").count - 1 == head)
            }
        }
    }

    @Test func hostileFieldsStayTextInMarkdown() throws {
        let report = SyntheticReport.make()
        let html = try Tools.gfm(try Self.markdown(report))
        #expect(!html.contains("<script"), "a script tag got through")
        #expect(!html.contains("<img"), "an img tag got through")
        #expect(!html.contains("raw HTML omitted"))
        #expect(!html.contains("<a href=\"z\""), "a link got through")
        #expect(!html.contains("<h1>not a heading") && !html.contains("<em>x</em>"))
        #expect(
            html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
                || html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(
            html.contains("\\u001b[31mred\\u001b[0m") && html.contains("\\u000a") && html.contains("\\u202e")
                && html.contains("\\u2028"))
        #expect(!html.contains("\u{1b}") && !html.contains("\u{202e}") && !html.contains("\u{2028}"))
        #expect(html.contains("a|b||c"))
        let (count, _) = MarkdownTests.tables(html)
        #expect(count == MarkdownTests.sourceTables(String(decoding: try Self.markdown(report), as: UTF8.self)).count)
    }
}
