import CustodyJSON
import Foundation

/// Credentials printed by the program in the profile's `credential_process`, as JSON with `Version` 1,
/// `AccessKeyId`, `SecretAccessKey`, and optionally `SessionToken` and `Expiration`.
///
/// The command is split into words as a POSIX shell would (quotes, backslashes) and run without a shell.
public struct ProcessCredentialProvider: CredentialProvider {
    /// The profile.
    public let profile: String

    /// A provider for `profile`.
    public init(profile: String) {
        self.profile = profile
    }

    /// Runs the process, or `.notFound` when the profile has no `credential_process`.
    /// - Throws: `AWSClientError.Code.credentialProviderFailed` when it fails or prints something unusable.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        guard let command = client.sharedConfig.profile(profile)["credential_process"] else {
            return .notFound("credential_process (none in profile '\(profile)')")
        }
        let words = Self.split(command)
        guard !words.isEmpty else {
            throw AWSClientError(.invalidConfiguration, "The credential_process of profile '\(profile)' is empty.")
        }
        let (status, output, errorText) = try await Self.run(words, environment: client.configuration.environment)
        let program = words[0]
        guard status == 0 else {
            let firstLine = errorText.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw AWSClientError(
                .credentialProviderFailed,
                "The credential_process of profile '\(profile)' (\(program)) exited with status \(status)"
                    + (firstLine.isEmpty ? "." : ": \(firstLine.prefix(200))"))
        }
        guard output.count <= Self.keptOutputBytes else {
            throw AWSClientError(
                .credentialProviderFailed,
                "The credential_process of profile '\(profile)' (\(program)) printed more than "
                    + "\(Self.keptOutputBytes) bytes; credentials are a short JSON object.")
        }
        guard let json = try? JSONValue.parse(output), json["Version"]?.numberValue == 1,
            let keyId = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue
        else {
            throw AWSClientError(
                .credentialProviderFailed,
                "The credential_process of profile '\(profile)' (\(program)) did not print JSON with Version 1, "
                    + "AccessKeyId and SecretAccessKey.")
        }
        let expiration = json["Expiration"]?.stringValue.flatMap(Timestamps.parse)
        return .found(
            ResolvedCredentials(
                credentials: AWSCredentials(
                    accessKeyId: keyId, secretAccessKey: secret, sessionToken: json["SessionToken"]?.stringValue,
                    expiration: expiration, accountId: json["AccountId"]?.stringValue),
                source: "credential_process (profile \(profile))"))
    }

    /// Splits a command line into words like a POSIX shell, without expansions.
    static func split(_ command: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for char in command {
            if escaped {
                current.append(char)
                escaped = false
                inWord = true
                continue
            }
            if char == "\\" && quote != "'" {
                escaped = true
                continue
            }
            if let open = quote {
                if char == open { quote = nil } else { current.append(char) }
                continue
            }
            if char == "'" || char == "\"" {
                quote = char
                inWord = true
            } else if char.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(char)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// The most of stdout kept: credentials JSON is a few kilobytes; more than this is no answer.
    static let keptOutputBytes = 1 << 20
    /// The most of stderr kept: only its first line is ever shown.
    static let keptErrorBytes = 64 << 10

    /// Reads `handle` to its end, keeping the first `limit` bytes (and one more, to tell that there was more).
    private static func drain(_ handle: FileHandle, keeping limit: Int) -> Data {
        var kept = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return kept }
            if kept.count <= limit { kept.append(chunk.prefix(limit + 1 - kept.count)) }
        }
    }

    private static func run(_ words: [String], environment: [String: String]) async throws
        -> (Int32, Data, String)
    {
        let process = Process()
        if words[0].contains("/") {
            process.executableURL = URL(fileURLWithPath: words[0])
            process.arguments = Array(words.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = words
        }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AWSClientError(
                .credentialProviderFailed,
                "Could not start credential_process \(words[0]): \(error.localizedDescription)")
        }
        // Both pipes are read at once: a helper blocked writing a full stderr pipe never closes stdout.
        // Each on a thread of its own: on the shared global queue the second read could wait for a
        // worker the first one holds, and the helper would never finish.
        return await withCheckedContinuation { continuation in
            let errorText = Drained()
            let errorsRead = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                errorText.set(Self.drain(errors.fileHandleForReading, keeping: Self.keptErrorBytes))
                errorsRead.signal()
            }
            Thread.detachNewThread {
                let out = Self.drain(output.fileHandleForReading, keeping: Self.keptOutputBytes)
                errorsRead.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: (process.terminationStatus, out, String(decoding: errorText.get(), as: UTF8.self)))
            }
        }
    }
}

/// Bytes handed from the thread that reads stderr to the one that waits for the process.
private final class Drained: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
