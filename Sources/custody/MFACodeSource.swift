import AWSClient
import Foundation

/// Where the MFA code comes from when a profile's role has `mfa_serial`: `--mfa-code` for the first code asked,
/// the terminal for any later one (a second MFA profile, or a role session that ended and needs a new code),
/// and an error saying to pass `--mfa-code` when there is no terminal to ask on.
///
/// The client's credential cache keeps the profile's role session for every account and region of a run, so
/// one run asks once per profile. Prompts go to stderr and answers are read from `/dev/tty`, only when stdin or
/// stderr is a terminal; one prompt at a time.
actor MFACodeSource {
    private var given: String?
    private var asked = 0
    private var last: Task<String, any Error>?

    /// A source that answers `code` first.
    init(code: String?) {
        given = code
    }

    /// The callback for `AWSConfiguration.mfaTokenCode`.
    nonisolated var callback: @Sendable (String) async throws -> String {
        { serial in try await self.code(for: serial) }
    }

    /// Whether `text` is what STS takes as a token code: six digits.
    static func isCode(_ text: String) -> Bool {
        text.count == 6 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The code for the device `serial`.
    /// - Throws: `AWSClientError.Code.mfaTokenRequired` when none can be had.
    func code(for serial: String) async throws -> String {
        asked += 1
        if let code = given {
            given = nil
            return code
        }
        let again = asked > 1
        guard Self.hasTerminal else {
            throw AWSClientError(
                .mfaTokenRequired,
                again
                    ? "Another MFA code from \(serial) is needed (a second profile asks for one, or the role session "
                        + "made with the first code has ended), and there is no terminal to ask on: run again with "
                        + "a fresh --mfa-code, or a duration_seconds in the profile long enough for the run."
                    : "The profile's role needs an MFA code from \(serial), and there is no terminal to ask on: pass "
                        + "--mfa-code CODE with the 6 digits the device shows.")
        }
        let previous = last
        let prompt = Task {
            _ = await previous?.result
            return try await Self.ask(serial)
        }
        last = prompt
        return try await prompt.value
    }

    /// Whether a person can be asked: stdin or stderr is a terminal.
    private static var hasTerminal: Bool {
        isatty(STDIN_FILENO) == 1 || isatty(STDERR_FILENO) == 1
    }

    /// Prints the prompt on stderr and reads one line from `/dev/tty`, on a thread of its own since it blocks.
    private static func ask(_ serial: String) async throws -> String {
        FileHandle.standardError.write(Data(TerminalText.safe("MFA code for \(serial): ").utf8))
        let line: String? = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: readTerminalLine()) }
        }
        guard let line else {
            throw AWSClientError(
                .mfaTokenRequired,
                "Could not read an MFA code for \(serial) from the terminal: pass --mfa-code CODE instead.")
        }
        let code = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isCode(code) else {
            throw AWSClientError(
                .mfaTokenRequired,
                "What was typed for \(serial) is not an MFA code: give the 6 digits the device shows.")
        }
        return code
    }

    /// One line from `/dev/tty`, or nil when it cannot be opened or ends first.
    private static func readTerminalLine() -> String? {
        let descriptor = open("/dev/tty", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 256 {
            let count = read(descriptor, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
