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

    /// The sections a responder reads first, in this order, before any detail.
    static let firstMinuteSections = ["Summary", "Do now", "Indicators", "Eradication", "Timeline"]

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
        for section in Self.firstMinuteSections {
            #expect(text.contains(HTMLBrowserTests.squeezed(section)), "no \(section) section on the page")
        }
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
        for section in Self.firstMinuteSections {
            #expect(html.contains(">\(section)</h2>"), "no \(section) heading in report.md")
        }
        for finding in try Self.findings() {
            let rule = try #require(finding["rule"]?.stringValue)
            #expect(html.contains(rule), "\(rule) is not in report.md")
        }
    }

    /// The README shows this report's first screen: a PNG of the width and height the script draws.
    @Test
    func readmeShowsTheFirstScreen() throws {
        let root = URL(fileURLWithPath: Self.folder).deletingLastPathComponent().deletingLastPathComponent().path
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        #expect(readme.contains("](Docs/images/report-first-screen.png)"))
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/Docs/images/report-first-screen.png")))
        #expect(png.count > 24 && png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func number(at offset: Int) -> Int { png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(number(at: 16) == 1200 && number(at: 20) == 1400, "the image is not the first screen drawn")
        let markdown = try String(contentsOfFile: Self.folder + "/report.md", encoding: .utf8)
        let order = Self.firstMinuteSections.compactMap { markdown.range(of: "\n## \($0)\n")?.lowerBound }
        #expect(order.count == Self.firstMinuteSections.count && order == order.sorted())
    }
}
