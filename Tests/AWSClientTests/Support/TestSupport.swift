import Foundation
import Testing

@testable import AWSClient

/// Where the test target's resources are.
enum Resources {
    static var root: URL { Bundle.module.bundleURL.appendingPathComponent("Resources") }
    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }
    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }
    static func text(_ path: String) throws -> String { String(decoding: try data(path), as: UTF8.self) }
}

/// A transport that answers from a closure and records every request. It never touches the network: requests
/// to AWS host names are only recorded and answered here.
final class MockTransport: HTTPTransport, @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest, Int) async throws -> HTTPResponse
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private let handler: Handler

    init(_ handler: @escaping Handler) {
        self.handler = handler
    }

    var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        let index = lock.withLock {
            recorded.append(request)
            return recorded.count
        }
        return try await handler(request, index)
    }

    /// Answers every request with XML `body` and status 200.
    static func xml(_ body: String) -> MockTransport {
        MockTransport { _, _ in
            HTTPResponse(statusCode: 200, headers: ["x-amzn-RequestId": "req-1"], body: Data(body.utf8))
        }
    }
}

/// A clock whose sleeps return at once and move its time forward; it records each sleep.
final class TestClock: AWSClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var slept: [Duration] = []

    init(_ start: Date = Date(timeIntervalSince1970: 1_764_374_400)) {
        current = start
    }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func sleep(for duration: Duration) async throws {
        lock.withLock {
            slept.append(duration)
            current = current.addingTimeInterval(duration.seconds)
        }
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }

    var sleeps: [Duration] {
        lock.lock()
        defer { lock.unlock() }
        return slept
    }
}

/// A folder under the temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("custody-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Test credentials whose secrets are easy to find in any output.
enum TestKeys {
    static let accessKeyId = "AKIDTESTEXAMPLE00001"
    static let secret = "SECRETleakCANARYwJalrXUtnFEMIK7MDENGbPxRf"
    static let token = "TOKENleakCANARYIQoJb3JpZ2luX2VjEHMaCXVzLWVhc3QtMSJHMEUCIQ"
    static var credentials: AWSCredentials {
        AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token)
    }
}

/// The environment of a test client: nothing from the real one, config files in `folder`, no instance metadata.
func testEnvironment(_ folder: TemporaryFolder, _ extra: [String: String] = [:]) -> [String: String] {
    [
        "HOME": folder.url.path,
        "AWS_CONFIG_FILE": folder.path("config"),
        "AWS_SHARED_CREDENTIALS_FILE": folder.path("credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    ].merging(extra) { $1 }
}

/// A client on `transport` with fixed test credentials, a test clock and quick retries.
func testClient(
    transport: MockTransport, clock: TestClock = TestClock(), retry: RetryPolicy = RetryPolicy(maxAttempts: 4),
    region: String = "us-east-1", credentials: AWSCredentials = TestKeys.credentials,
    log: (@Sendable (String) -> Void)? = nil
) throws -> AWS {
    try AWS(
        AWSConfiguration(
            region: region, environment: ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent"],
            retry: retry, transport: transport, clock: clock, random: { 0.5 }, log: log,
            credentialProvider: StaticCredentialProvider(credentials, source: "test")))
}

/// The `python3` on PATH, when there is one.
enum Python {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, Data, String) {
        guard let path else { return (127, Data(), "python3 not found") }
        return try Subprocess.run(path, arguments, environment: environment)
    }

    /// Whether `import <module>` works.

}

enum Subprocess {
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (Int32, Data, String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, output, String(decoding: errors.data, as: UTF8.self))
    }
}
