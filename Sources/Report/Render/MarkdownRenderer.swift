/// Renders a `ReportDocument` as GitHub-flavoured Markdown. Values from the evidence become code
/// spans, prose is backslash-escaped, and nothing from the evidence can open a block, a link or
/// an HTML tag.
enum MarkdownRenderer {
    static func render(_ doc: ReportDocument) -> String {
        var out = "# " + TextEscaping.markdown(doc.title) + "\n"
        let anchors = anchors(doc)
        for block in doc.blocks {
            out += "\n"
            switch block {
            case .contents(let entries):
                out +=
                    "**Contents:** "
                    + entries.map { "[" + TextEscaping.markdown($0.text) + "](#" + (anchors[$0.id] ?? $0.id) + ")" }
                    .joined(separator: " · ") + "\n"
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

    /// The anchor GitHub gives each heading (by id): its text as shown, lower-cased, without
    /// punctuation, spaces as hyphens, and `-1`, `-2` … after a repeat, counting the title too.
    static func anchors(_ doc: ReportDocument) -> [String: String] {
        var slugger = HeadingSlugger()
        _ = slugger.slug(doc.title)
        var anchors: [String: String] = [:]
        for case .heading(_, let text, let id) in doc.blocks { anchors[id] = slugger.slug(text) }
        return anchors
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

/// GitHub's heading anchors (github-slugger): a heading's text, as shown, lower-cased, with
/// everything but letters, digits, marks, `-` and `_` dropped and each space made a hyphen; a
/// repeated anchor gets `-1`, `-2` ….
struct HeadingSlugger {
    private var occurrences: [String: Int] = [:]

    mutating func slug(_ text: String) -> String {
        var base = ""
        for character in TextEscaping.visible(text).lowercased() {
            if character == " " {
                base.append("-")
            } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
                base.append(character)
            }
        }
        var result = base
        while occurrences[result] != nil {
            occurrences[base, default: 0] += 1
            result = base + "-\(occurrences[base] ?? 0)"
        }
        occurrences[result] = 0
        return result
    }
}
