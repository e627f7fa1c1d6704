import Foundation

/// The local AWS lab (`Scripts/lab`) on 127.0.0.1 and a free port, for one test suite.
///
/// It is stopped with SIGTERM when the value is released.
public final class LabServer: @unchecked Sendable {
    /// The repository's root, found from this file's path.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    /// The state folder (lab.json, aws/config, aws/credentials, events.jsonl).
    public let state: TemporaryFolder
    private let process: Process

    /// Starts a lab with `accounts` accounts and waits until it is ready.
    public init(accounts: Int = 3, extraArguments: [String] = []) throws {
        state = try TemporaryFolder()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.repositoryRoot + "/Scripts/lab")
        process.arguments = ["--state", state.path, "--port", "0", "--accounts", String(accounts)] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        var ready: String?
        while ready == nil && Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("lab ready at ") }) {
                ready = String(line.dropFirst("lab ready at ".count))
            }
        }
        guard let ready else {
            process.terminate()
            throw LabError(message: "the lab did not start: \(String(decoding: buffer, as: UTF8.self))")
        }
        endpoint = ready
    }

    /// Environment variables pointing the AWS CLI and Custody at the lab's config files.
    public var environment: [String: String] {
        [
            "AWS_CONFIG_FILE": state.file("aws/config"), "AWS_SHARED_CREDENTIALS_FILE": state.file("aws/credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    /// `lab.json`, parsed.
    public func labJSON() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: state.file("lab.json")))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Every CloudTrail record the lab has made so far.
    public func records() throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: state.file("events.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Runs `Scripts/scenario` against the lab with `arguments`.
    public func runScenario(_ arguments: [String]) throws -> ExternalTool.Result {
        try ExternalTool(path: Self.repositoryRoot + "/Scripts/scenario").run(["--lab", state.path] + arguments)
    }

    deinit {
        guard process.isRunning else { return }
        process.terminate()
        // Polled rather than waitUntilExit, which spins a run loop at full speed on Linux.
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    struct LabError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
