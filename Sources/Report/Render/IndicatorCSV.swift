/// `iocs.csv`: one indicator per row (`type,value,first_seen,last_seen,source`), RFC 4180 with
/// every field quoted. Values come from the evidence, so invisible characters are written as
/// escapes (`\u000a`) and a field that a spreadsheet would take for a formula (a leading `=`, `+`,
/// `-` or `@`) starts with `'`.
enum IndicatorCSV {
    static let header = ["type", "value", "first_seen", "last_seen", "source"]

    static func render(_ indicators: [Indicator]) -> String {
        var out = header.map(field).joined(separator: ",") + "\r\n"
        for indicator in indicators {
            out +=
                [
                    indicator.kind.rawValue, indicator.value, indicator.firstSeen ?? "", indicator.lastSeen ?? "",
                    indicator.sources.joined(separator: " "),
                ].map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// One quoted field, made visible and safe from formula injection.
    static func field(_ text: String) -> String {
        var value = TextEscaping.visible(text)
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    /// Every `target` replaced by `replacement`.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
