/// The report as blocks both renderers share, so Markdown and HTML always hold the same content.
struct ReportDocument {
    /// A run of text inside a paragraph, list item or table cell.
    enum Inline: Hashable {
        /// Prose: the report's words, possibly with names from the evidence inside.
        case text(String)
        /// A value from the evidence shown verbatim (a code span in Markdown).
        case value(String)
        /// Emphasised prose.
        case strong(String)
        /// A highlighted marker, such as `new region` or a severity.
        case flag(String, style: String)
        /// A link to a relative path (never a network address).
        case link(String, target: String)
    }

    /// A table cell.
    typealias Cell = [Inline]

    /// A chart: inline SVG for HTML, text bars for Markdown.
    struct Chart {
        var title: String
        var svg: String
        var text: [String]
    }

    /// A link in the table of contents: a section heading's text and id.
    struct Entry: Hashable {
        var text: String
        var id: String
    }

    /// One block.
    enum Block {
        /// Links to the sections (level-2 headings).
        case contents([Entry])
        case heading(level: Int, text: String, id: String)
        case paragraph([Inline])
        case table(headers: [String], rows: [[Cell]])
        case list([[Inline]])
        case checklist([[Inline]])
        case code([String])
        case chart(Chart)
    }

    var title: String
    var blocks: [Block] = []

    mutating func heading(_ level: Int, _ text: String, id: String) {
        blocks.append(.heading(level: level, text: text, id: id))
    }
    mutating func paragraph(_ inlines: Inline...) { blocks.append(.paragraph(inlines)) }
    mutating func paragraph(_ inlines: [Inline]) { blocks.append(.paragraph(inlines)) }
    mutating func table(_ headers: [String], _ rows: [[Cell]]) { blocks.append(.table(headers: headers, rows: rows)) }
    mutating func list(_ items: [[Inline]]) { if !items.isEmpty { blocks.append(.list(items)) } }
    mutating func code(_ lines: [String]) { blocks.append(.code(lines)) }
}

extension ReportDocument.Inline {
    /// A value cell: the value verbatim, or a dash when there is none.
    static func optional(_ value: String?) -> Self {
        guard let value, !value.isEmpty else { return .text("—") }
        return .value(value)
    }
}
