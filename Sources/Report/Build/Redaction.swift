import CustodyJSON

/// Request and response JSON as a report may show it: every member that could hold a secret
/// (secret keys, session tokens, passwords, private keys) replaced, whatever the nesting.
enum Redaction {
    static let placeholder = "(redacted by custody)"

    /// Whether a member name may hold a secret.
    static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("secret") || lower.contains("sessiontoken") || lower.contains("password")
            || lower.contains("privatekey") || lower.contains("keymaterial") || lower == "token"
            || lower.hasSuffix("token") && !lower.hasSuffix("idtoken") && lower != "tokencode"
    }

    static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var copy: [String: JSONValue] = [:]
            for (key, member) in members { copy[key] = isSecret(key) ? .string(placeholder) : redact(member) }
            return .object(copy)
        case .array(let items): return .array(items.map(redact))
        default: return value
        }
    }

    /// Compact JSON with sorted keys, cut to `limit` characters.
    static func text(_ value: JSONValue?, limit: Int = 400) -> String {
        guard let value, value != .null else { return "" }
        let text = redact(value).description
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
