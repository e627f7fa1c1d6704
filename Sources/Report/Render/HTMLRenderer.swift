/// Renders a `ReportDocument` as one self-contained HTML file: inline CSS and SVG, no script, no
/// request for anything (no fonts, images or style sheets), tables that scroll sideways on a
/// phone, and a print style. Every value is escaped text.
enum HTMLRenderer {
    static func render(_ doc: ReportDocument) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light">
            <title>\(TextEscaping.html(doc.title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>
            <h1>\(TextEscaping.html(doc.title))</h1>

            """
        for block in doc.blocks {
            switch block {
            case .contents(let entries):
                out +=
                    "<nav class=\"contents\" aria-label=\"Contents\"><strong>Contents:</strong> "
                    + entries.map { "<a href=\"#\(TextEscaping.html($0.id))\">\(TextEscaping.html($0.text))</a>" }
                    .joined(separator: " · ") + "</nav>\n"
            case .heading(let level, let text, let id):
                let l = min(6, max(2, level))
                out += "<h\(l) id=\"\(TextEscaping.html(id))\">\(TextEscaping.html(text))</h\(l)>\n"
            case .paragraph(let inlines):
                out += "<p>\(inline(inlines))</p>\n"
            case .table(let headers, let rows):
                out += "<div class=\"scroll\"><table>\n<thead><tr>"
                out += headers.map { "<th scope=\"col\">\(TextEscaping.html($0))</th>" }.joined()
                out += "</tr></thead>\n<tbody>\n"
                for row in rows {
                    var cells = row.map { "<td>\(inline($0))</td>" }
                    while cells.count < headers.count { cells.append("<td></td>") }
                    out += "<tr>" + cells.prefix(headers.count).joined() + "</tr>\n"
                }
                out += "</tbody></table></div>\n"
            case .list(let items):
                out += "<ul>\n" + items.map { "<li>\(inline($0))</li>\n" }.joined() + "</ul>\n"
            case .checklist(let items):
                out +=
                    "<ul class=\"checklist\">\n"
                    + items.map { "<li><span class=\"box\" aria-hidden=\"true\">☐</span> \(inline($0))</li>\n" }
                    .joined() + "</ul>\n"
            case .code(let lines):
                out += "<pre><code>" + lines.map(TextEscaping.html).joined(separator: "\n") + "</code></pre>\n"
            case .chart(let chart):
                if chart.svg.isEmpty {
                    out +=
                        "<p>\(TextEscaping.html(chart.title)): \(TextEscaping.html(chart.text.joined(separator: " ")))</p>\n"
                } else {
                    out +=
                        "<figure class=\"chart\">\(chart.svg)<figcaption>\(TextEscaping.html(chart.title))</figcaption></figure>\n"
                }
            }
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func inline(_ inlines: [ReportDocument.Inline]) -> String {
        inlines.map { item in
            switch item {
            case .text(let text): TextEscaping.html(text)
            case .value(let value): "<code>\(TextEscaping.html(value))</code>"
            case .strong(let text): "<strong>\(TextEscaping.html(text))</strong>"
            case .flag(let text, let style):
                "<span class=\"flag \(TextEscaping.html(style))\">\(TextEscaping.html(text))</span>"
            case .link(let text, let target):
                // Only relative paths become links: the page never points at the network.
                target.contains(":") || target.hasPrefix("//")
                    ? "<code>\(TextEscaping.html(text))</code>"
                    : "<a href=\"\(TextEscaping.html(target))\">\(TextEscaping.html(text))</a>"
            }
        }.joined()
    }

    static let style = """
        :root { --ink: #1c2833; --muted: #566573; --line: #d5d8dc; --head: #f2f3f4; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px; }
        h1 { font-size: 1.6em; margin: 0.4em 0; }
        h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 2px solid var(--line); padding-bottom: 0.2em; }
        h3 { font-size: 1.1em; margin-top: 1.4em; }
        h4 { font-size: 1em; margin: 1em 0 0.4em; color: var(--muted); }
        p, li { overflow-wrap: anywhere; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.88em; }
        code { background: #f4f6f6; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; white-space: pre-wrap; }
        pre { background: #f4f6f6; padding: 10px; overflow-x: auto; border-radius: 4px; }
        pre code { background: none; padding: 0; white-space: pre; }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.5em 0 1em; border: 1px solid var(--line); }
        table { border-collapse: collapse; width: 100%; font-size: 0.86em; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: var(--head); position: sticky; top: 0; white-space: nowrap; }
        td code { white-space: pre-wrap; overflow-wrap: break-word; }
        td { min-width: 3.5em; }
        .flag { display: inline-block; padding: 0 6px; border-radius: 3px; font-weight: 600; font-size: 0.85em; }
        .flag.high, .flag.fail, .flag.new { background: #c0392b; color: #fff; }
        .flag.medium { background: #e67e22; color: #fff; }
        .flag.low, .flag.collector { background: #95a5a6; color: #fff; }
        .flag.ok { background: #1e8449; color: #fff; }
        .flag.effect { background: #2471a3; color: #fff; }
        nav.contents { margin: 0.8em 0; line-height: 1.8; }
        .checklist { list-style: none; padding-left: 0.5em; margin-bottom: 0.3em; }
        .box { font-size: 1.1em; }
        figure.chart { margin: 1em 0; max-width: 900px; }
        figure.chart svg { display: block; width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: 0.85em; }
        @media (max-width: 640px) { body { font-size: 14px; } main { padding: 8px; } th, td { padding: 3px 5px; } }
        @media print {
          body { font-size: 10pt; } main { max-width: none; padding: 0; }
          .scroll { overflow: visible; border: none; }
          table { font-size: 8pt; } th { position: static; }
          tr, figure, pre { break-inside: avoid; } h2, h3, h4 { break-after: avoid; }
          code, td code { white-space: pre-wrap; overflow-wrap: anywhere; }
          .flag { border: 1px solid #000; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
        }
        """
}
