/// Renders a `ReportDocument` as GitHub-flavoured Markdown. Values from the evidence become code
/// spans, prose is backslash-escaped, and nothing from the evidence can open a block, a link or
/// an HTML tag.
enum MarkdownRenderer {
    static func render(_ doc: ReportDocument) -> String {
        var out = "# " + TextEscaping.markdown(doc.title) + "\n"
        for block in doc.blocks {
            out += "\n"
            switch block {
            case .heading(let level, let text, _):
                out += String(repeating: "#", count: min(6, level)) + " " + TextEscaping.markdown(text) + "\n"
            case .paragraph(let inlines):
                out += inline(inlines, inTable: false) + "\n"
            case .table(let headers, let rows):
                out += "| " + headers.map { cellText(TextEscaping.markdown($0)) }.joined(separator: " | ") + " |\n"
                out += "|" + String(repeating: " --- |", count: headers.count) + "\n"
                for row in rows {
                    var cells = row.map { cellText(inline($0, inTable: true)) }
                    while cells.count < headers.count { cells.append("") }
                    out += "| " + cells.prefix(headers.count).joined(separator: " | ") + " |\n"
                }
            case .list(let items):
                for item in items { out += "- " + inline(item, inTable: false) + "\n" }
            case .checklist(let items):
                for item in items { out += "- [ ] " + inline(item, inTable: false) + "\n" }
            case .code(let lines):
                out += TextEscaping.markdownBlock(lines) + "\n"
            case .chart(let chart):
                out += "**" + TextEscaping.markdown(chart.title) + "** (the HTML report draws it as a chart)\n\n"
                out += TextEscaping.markdownBlock(chart.text, info: "text") + "\n"
            }
        }
        return out
    }

    /// An empty cell would still be a cell; a dash reads better.
    static func cellText(_ text: String) -> String { text.isEmpty ? "—" : text }

    static func inline(_ inlines: [ReportDocument.Inline], inTable: Bool) -> String {
        inlines.map { item in
            switch item {
            case .text(let text): TextEscaping.markdown(text)
            case .value(let value): TextEscaping.markdownCode(value, inTable: inTable)
            case .strong(let text):
                "**" + TextEscaping.markdown(text.trimmingSpaces) + "**" + (text.hasSuffix(" ") ? " " : "")
            case .flag(let text, _): "**" + TextEscaping.markdown(text) + "**"
            case .link(let text, let target):
                "[" + TextEscaping.markdown(text) + "](<" + target.filter { $0 != "<" && $0 != ">" && !$0.isNewline }
                    + ">)"
            }
        }.joined()
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
