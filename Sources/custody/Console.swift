import Foundation

/// Where the CLI writes: results to stdout, diagnostics to stderr, always through `TerminalText`,
/// so nothing read from evidence can drive the terminal.
enum Console {
    /// Writes a line to stdout.
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((TerminalText.safe(text) + "\n").utf8))
    }

    /// Writes a line to stderr.
    static func error(_ text: String) {
        let safe = TerminalText.safe(text)
        FileHandle.standardError.write(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
    }
}

/// Collects text for stdout.
struct StandardOutput: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardOutput.write(Data(TerminalText.safe(string).utf8))
    }
}
