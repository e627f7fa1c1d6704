import CustodyJSON
import EvidenceReading

/// The report's charts as inline SVG (text labels, a title, integer coordinates: the same data
/// always gives the same bytes) with a text rendering for Markdown.
enum SVGCharts {
    static let actorColours = ["#b03a2e", "#d35400", "#7d3c98", "#a04000", "#922b21", "#6c3483"]

    static func colour(_ label: String, index: Int) -> String {
        switch label {
        case "responder": "#1e8449"
        case "other principals": "#2471a3"
        default: actorColours[index % actorColours.count]
        }
    }

    static func bar(_ value: Int, of maximum: Int, width: Int = 40) -> String {
        guard maximum > 0 else { return "" }
        return String(repeating: "█", count: max(value > 0 ? 1 : 0, value * width / maximum))
    }

    /// The start of bucket `index`, held within `Int64`.
    static func bucketTime(_ start: Int64, _ index: Int, _ width: Int64) -> Int64 {
        EvidenceSeconds.adding(start, EvidenceSeconds.multiplying(Int64(index), width))
    }

    static func time(_ seconds: Int64) -> String {
        UTCTimestamp(seconds: seconds).iso8601.replacingOccurrences(of: "T", with: " ").replacingOccurrences(
            of: ":00Z", with: "Z")
    }

    /// Events over time, one stacked colour per actor (and the responder and other principals).
    static func activity(_ data: ActivitySeries) -> ReportDocument.Chart {
        let title = "Events over time per actor"
        guard let startText = data.start, let start = UTCTimestamp(parsing: startText)?.seconds,
            let buckets = data.series.first?.counts.count, buckets > 0
        else {
            return ReportDocument.Chart(title: title, svg: "", text: ["No events."])
        }
        let width = 820, height = 300, left = 48, right = 230, top = 34, bottom = 56
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let totals = (0..<buckets).map { i in data.series.reduce(0) { $0 + $1.counts[i] } }
        let maximum = max(1, totals.max() ?? 1)
        let step = max(1, plotWidth / buckets)
        let bucket = Int64(data.bucketSeconds)
        var svg = svgOpen(width: width, height: height, title: title, id: "chart-activity")
        svg +=
            "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + step * buckets)\" y2=\"\(top + plotHeight)\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#555\"/>"
        for tick in [0, maximum / 2, maximum] {
            let y = top + plotHeight - tick * plotHeight / maximum
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" font-size=\"11\">\(tick)</text>"
        }
        for i in 0..<buckets {
            var y = top + plotHeight
            for (s, series) in data.series.enumerated() where series.counts[i] > 0 {
                let h = max(1, series.counts[i] * plotHeight / maximum)
                y -= h
                let label = TextEscaping.html(
                    "\(series.label): \(series.counts[i]) events from \(time(bucketTime(start, i, bucket)))")
                svg +=
                    "<rect x=\"\(left + i * step)\" y=\"\(y)\" width=\"\(max(1, step - 1))\" height=\"\(h)\" fill=\"\(colour(series.label, index: s))\"><title>\(label)</title></rect>"
            }
        }
        for (i, anchor) in [(0, "start"), (buckets / 2, "middle"), (buckets - 1, "end")] where buckets > 1 || i == 0 {
            let x = left + i * step + (anchor == "end" ? step : 0)
            svg +=
                "<text x=\"\(x)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"\(anchor)\" font-size=\"11\">\(TextEscaping.html(time(bucketTime(start, i, bucket))))</text>"
        }
        svg +=
            "<text x=\"\(left)\" y=\"\(height - 10)\" font-size=\"11\">\(TextEscaping.html("UTC; one bar per \(duration(data.bucketSeconds)); height = events"))</text>"
        for (s, series) in data.series.enumerated() {
            let y = top + s * 20
            let total = series.counts.reduce(0, +)
            svg +=
                "<rect x=\"\(width - right + 12)\" y=\"\(y)\" width=\"12\" height=\"12\" fill=\"\(colour(series.label, index: s))\"/>"
            svg +=
                "<text x=\"\(width - right + 30)\" y=\"\(y + 10)\" font-size=\"12\">\(TextEscaping.html("\(series.label) (\(total))"))</text>"
        }
        svg += "</svg>"
        var text = ["one line per \(duration(data.bucketSeconds)) with events (UTC): total, bar, by whom"]
        for i in 0..<buckets where totals[i] > 0 {
            let who = data.series.filter { $0.counts[i] > 0 }.map { "\($0.label) \($0.counts[i])" }.joined(
                separator: ", ")
            text.append(
                "\(time(bucketTime(start, i, bucket)))  \(pad(totals[i]))  \(bar(totals[i], of: maximum))  \(who)")
        }
        return ReportDocument.Chart(title: title, svg: svg, text: text)
    }

    /// Events by region as horizontal bars; regions never used before in red and marked `new`.
    static func regions(_ regions: [RegionActivity]) -> ReportDocument.Chart {
        let title = "Events by region"
        let shown = Array(regions.prefix(30))
        guard !shown.isEmpty else { return ReportDocument.Chart(title: title, svg: "", text: ["No events."]) }
        let width = 760, row = 22, top = 30, labelWidth = 170, right = 110
        let height = top + row * shown.count + 16
        let maximum = max(1, shown.map(\.eventCount).max() ?? 1)
        var svg = svgOpen(width: width, height: height, title: title, id: "chart-regions")
        for (i, region) in shown.enumerated() {
            let y = top + i * row
            let length = max(1, region.eventCount * (width - labelWidth - right) / maximum)
            let name = region.region + (region.neverUsedBefore ? " (new)" : "")
            svg +=
                "<text x=\"\(labelWidth - 8)\" y=\"\(y + 14)\" text-anchor=\"end\" font-size=\"12\">\(TextEscaping.html(name))</text>"
            svg +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"14\" fill=\"\(region.neverUsedBefore ? "#c0392b" : "#2471a3")\">"
            svg +=
                "<title>\(TextEscaping.html("\(name): \(region.eventCount) events, \(region.actorEventCount) by suspects"))</title></rect>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 14)\" font-size=\"12\">\(region.eventCount)</text>"
        }
        svg += "</svg>"
        let text = shown.map { r in
            "\(r.region + String(repeating: " ", count: max(0, 16 - r.region.count)))  \(pad(r.eventCount))  \(bar(r.eventCount, of: maximum))\(r.neverUsedBefore ? "  (new)" : "")"
        }
        return ReportDocument.Chart(title: title, svg: svg, text: text)
    }

    static func svgOpen(width: Int, height: Int, title: String, id: String) -> String {
        "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-labelledby=\"\(id)-title\" font-family=\"sans-serif\">"
            + "<title id=\"\(id)-title\">\(TextEscaping.html(title))</title>"
            + "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(TextEscaping.html(title))</text>"
    }

    static func pad(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }

    static func duration(_ seconds: Int) -> String {
        switch seconds {
        case ..<3600: "\(seconds / 60) minute\(seconds == 60 ? "" : "s")"
        case ..<86400: "\(seconds / 3600) hour\(seconds == 3600 ? "" : "s")"
        default: "\(seconds / 86400) day\(seconds == 86400 ? "" : "s")"
        }
    }
}
