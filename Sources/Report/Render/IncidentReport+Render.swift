import CustodyJSON

extension IncidentReport {
    /// Renders the report in each format asked for, in the order given (duplicates once). Pure:
    /// the same report gives the same bytes.
    public func render(_ formats: [ReportFormat]) -> [ReportFile] {
        var seen = Set<ReportFormat>()
        let document = formats.contains(.markdown) || formats.contains(.html) ? document() : nil
        return formats.compactMap { format in
            guard seen.insert(format).inserted else { return nil }
            switch format {
            case .markdown: return ReportFile(name: format.fileName, bytes: Array(MarkdownRenderer.render(document!).utf8))
            case .html: return ReportFile(name: format.fileName, bytes: Array(HTMLRenderer.render(document!).utf8))
            case .json:
                return ReportFile(name: format.fileName, bytes: Self.escapingSeparators((try? CanonicalJSON.encode(FindingsDocument(self))) ?? []))
            case .timesketch: return ReportFile(name: format.fileName, bytes: Self.escapingSeparators(TimesketchRenderer.render(self)))
            }
        }
    }

    /// JSON with U+2028 and U+2029 written as `\u2028` and `\u2029`: valid either way, but line-based
    /// readers (Python's `splitlines`, JavaScript before ES2019) take the raw characters for line ends.
    /// They can only stand inside strings, so the swap keeps the value.
    static func escapingSeparators(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                out += Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
