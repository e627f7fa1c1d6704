/// Text made safe to print, whatever evidence it carries.
///
/// Member names, CloudTrail fields and AWS error messages come from evidence that an intruder may
/// have shaped: a name holding `ESC [2J` would clear the screen and could print a fake `OK` line.
/// Every control character but newline and tab (C0, DEL, C1: a carriage return too), and every
/// character that reorders or hides text (bidirectional controls), is written as a `\u` escape.
/// JSON stays JSON and means the same: `\u001b` is how JSON writes that character too.
enum TerminalText {
    /// `text` with every unsafe character written as `\uXXXX`.
    static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else {
                result.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            result.append(
                contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
        }
        return String(result)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidirectional marks, embeddings, overrides and isolates.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
