/// Turns strings from the evidence into text that no reader of Markdown or HTML takes as markup.
///
/// Attackers choose user names, role names, user agents and tags, so every event field goes
/// through here: control characters, line and paragraph separators and bidirectional overrides
/// become visible escapes (`\u001b`), HTML's five special characters become entities, and
/// Markdown sees backslash escapes or code spans.
enum TextEscaping {
    /// Whether a scalar must be shown as an escape: C0 and C1 controls, DEL, line and paragraph
    /// separators, bidirectional marks, embeddings, overrides and isolates, zero-width characters
    /// and the byte-order mark.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x180E, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0xFEFF,
            0xFFF9...0xFFFB:
            return true
        default:
            return false
        }
    }

    /// `text` with every invisible scalar written as `\uXXXX`.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisible) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                let hex = String(scalar.value, radix: 16)
                out.append(
                    contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    // MARK: HTML

    /// Text for HTML content and attribute values.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in visible(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    // MARK: Markdown

    /// Characters that are backslash-escaped wherever they appear in Markdown prose.
    static let markdownSpecial: Set<Character> = [
        "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "!", "&", "#", "$",
    ]

    /// Prose (GitHub-flavoured Markdown, inline): punctuation escaped, leading block markers
    /// escaped, autolinks broken (`http\://`, `www\.`; `@` as a code span, since an escape does
    /// not stop e-mail autolinks).
    static func markdown(_ text: String) -> String {
        let characters = Array(visible(text))
        var out = ""
        var leadingDigits = true
        for (i, c) in characters.enumerated() {
            if markdownSpecial.contains(c) {
                out += "\\" + String(c)
            } else if c == "@" {
                out += "`@`"
            } else if i == 0, c == "-" || c == "+" || c == "=" {
                out += "\\" + String(c)
            } else if c == ":", i + 2 < characters.count, characters[i + 1] == "/", characters[i + 2] == "/" {
                out += "\\:"
            } else if c == ".", i >= 3, String(characters[(i - 3)..<i]).lowercased() == "www" {
                out += "\\."
            } else if (c == "." || c == ")"), leadingDigits, i > 0 {
                out += "\\" + String(c)
            } else {
                out.append(c)
            }
            if !(c.isASCII && c.isNumber) { leadingDigits = false }
        }
        return out
    }

    /// A code span holding `text` literally; in a table cell `|` is written `\|` (GFM unescapes
    /// it inside code spans too).
    static func markdownCode(_ text: String, inTable: Bool) -> String {
        var content = visible(text)
        if inTable { content = content.replacingOccurrences(of: "|", with: "\\|") }
        var longest = 0, run = 0
        for c in content {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = content.hasPrefix("`") || content.hasSuffix("`") || (content.hasPrefix(" ") && content.hasSuffix(" "))
        return pad ? "\(fence) \(content) \(fence)" : "\(fence)\(content)\(fence)"
    }

    /// A fenced code block: each line made visible, the fence longer than any backtick run.
    static func markdownBlock(_ lines: [String], info: String = "") -> String {
        let body = lines.map(visible)
        var longest = 0
        for line in body {
            var run = 0
            for c in line {
                run = c == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return ([fence + info] + body + [fence]).joined(separator: "\n")
    }
}
