import Foundation

/// One section of an AWS shared config or credentials file: `key = value` pairs (keys lowercased, as botocore's
/// parser does) and nested blocks such as `s3 =` followed by indented `endpoint_url = …` lines.
public struct ConfigSection: Hashable, Sendable {
    /// The plain settings.
    public var values: [String: String] = [:]
    /// The nested blocks by key, such as `["s3": ["endpoint_url": "…"]]`.
    public var nested: [String: [String: String]] = [:]

    /// Makes a section.
    public init(values: [String: String] = [:], nested: [String: [String: String]] = [:]) {
        self.values = values
        self.nested = nested
    }

    /// The setting `key`, trimmed, or nil when absent or empty.
    public subscript(key: String) -> String? {
        guard let value = values[key.lowercased()]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        return value
    }
}

/// Parses the INI dialect of `~/.aws/config` and `~/.aws/credentials`.
enum ConfigFileParser {
    /// Sections by their full header text (`default`, `profile prod`, `services local`).
    static func parse(_ text: String) -> [String: ConfigSection] {
        var sections: [String: ConfigSection] = [:]
        var current: String?
        var lastKey: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                let normalized = name.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                current = normalized
                if sections[normalized] == nil { sections[normalized] = ConfigSection() }
                lastKey = nil
                continue
            }
            guard let section = current else { continue }
            let indented = line.first == " " || line.first == "\t"
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if indented, let parent = lastKey, sections[section]?.values[parent]?.isEmpty == true {
                sections[section]?.nested[parent, default: [:]][key] = value
            } else {
                sections[section]?.values[key] = value
                lastKey = key
            }
        }
        return sections
    }
}
