import CustodyJSON
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@testable import AWSClient

/// A `moto_server` on a free loopback port with IAM authentication on, started and stopped by a test.
///
/// The first `INITIAL_NO_AUTH_ACTION_COUNT` requests skip authentication; `bootstrap()` spends them creating an
/// administrator and its access key. Setup that writes (users, roles, objects) goes through `call`, a raw signed
/// request beside the read-only client, which refuses such operations by construction.
final class MotoServer: @unchecked Sendable {
    static let executable: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/moto_server" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let accountA = "123456789012"
    static let accountB = "222233334444"

    let port: Int
    private let process: Process
    private let transport = URLSessionTransport()
    private(set) var admin = AWSCredentials(accessKeyId: "AKIABOOTSTRAPEXAMPLE", secretAccessKey: "bootstrap")

    var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts a server with authentication after `freeActions` requests and waits until it answers.
    ///
    /// A server that exits at once (another process took the free port first) is started again on another port.
    static func start(freeActions: Int = 4) async throws -> MotoServer {
        var lastError: any Error = AWSClientError(.connectionFailed, "moto_server did not start")
        for _ in 0..<3 {
            do {
                return try await startOnce(freeActions: freeActions)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func startOnce(freeActions: Int) async throws -> MotoServer {
        guard let executable else { throw AWSClientError(.connectionFailed, "moto_server is not installed") }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(freeActions)
        environment["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        environment["MOTO_ACCOUNT_ID"] = nil
        for key in environment.keys where key.hasPrefix("AWS_") { environment[key] = nil }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(port: port, process: process)
        // Ready in under a second on an idle machine; allow a minute on a loaded one.
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline, process.isRunning {
            let probe = HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: port, path: "/moto-api/")
            if let response = try? await server.transport.send(probe, timeout: .seconds(2)), response.statusCode < 500 {
                return server
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw AWSClientError(.connectionFailed, "moto_server did not start on port \(port)")
    }

    /// Creates user `admin` with AdministratorAccess and an access key, and signs further setup with it.
    func bootstrap() async throws {
        _ = try await call(.iam, "CreateUser", ["UserName": "admin"])
        let key = try await call(.iam, "CreateAccessKey", ["UserName": "admin"])
        let root = try XMLNode.parse(key)
        guard let id = root.find("AccessKeyId")?.text, let secret = root.find("SecretAccessKey")?.text else {
            throw AWSClientError(.invalidResponse, "moto returned no access key")
        }
        _ = try await call(
            .iam, "AttachUserPolicy", ["UserName": "admin", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"])
        admin = AWSCredentials(accessKeyId: id, secretAccessKey: secret)
    }

    /// A client of the server with `credentials` (the administrator's by default).
    func client(
        credentials: AWSCredentials? = nil, region: String = "us-east-1",
        retry: RetryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10)),
        log: (@Sendable (String) -> Void)? = nil
    ) throws -> AWS {
        try AWS(
            AWSConfiguration(
                region: region, endpointURL: endpoint, environment: ["AWS_EC2_METADATA_DISABLED": "true"],
                retry: retry, log: log,
                credentialProvider: StaticCredentialProvider(credentials ?? admin, source: "test")))
    }

    /// A raw signed Query or JSON call, for setup the read-only client refuses.
    @discardableResult
    func call(
        _ service: AWSService, _ action: String, _ parameters: [String: String] = [:], account: String? = nil,
        region: String = "us-east-1", json: JSONValue? = nil
    ) async throws -> Data {
        var headers: HTTPHeaders = [:]
        let body: Data
        if case .json(let prefix) = service.wireProtocol {
            headers.add("Content-Type", "application/x-amz-json-1.1")
            headers.add("X-Amz-Target", "\(prefix).\(action)")
            body = Data((json ?? .object(parameters.mapValues { .string($0) })).description.utf8)
        } else {
            headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            body = Data(
                URIEncoding.query(
                    [("Action", action), ("Version", service.apiVersion)] + parameters.sorted { $0.key < $1.key }
                ).utf8)
        }
        if let account { headers.add("x-moto-account-id", account) }
        let request = HTTPRequest(
            method: "POST", scheme: "http", host: "127.0.0.1", port: port, headers: headers, body: body)
        return try await send(request, service: service.signingName, region: region, what: "\(service.id) \(action)")
    }

    /// A raw signed S3 request (bucket creation, uploads).
    @discardableResult
    func s3(_ method: String, _ path: String, body: Data = Data(), headers: HTTPHeaders = [:]) async throws -> Data {
        let request = HTTPRequest(
            method: method, scheme: "http", host: "127.0.0.1", port: port, path: path, headers: headers, body: body)
        return try await send(request, service: "s3", region: "us-east-1", what: "s3 \(method) \(path)", variant: .s3)
    }

    private func send(
        _ request: HTTPRequest, service: String, region: String, what: String, variant: SigV4Signer.Variant = .standard
    ) async throws -> Data {
        // moto answers 500 now and then under concurrent writes: setup retries those a few times.
        var attempt = 0
        while true {
            attempt += 1
            let signed = SigV4Signer(service: service, region: region, variant: variant)
                .sign(request, credentials: admin, date: Date())
            let response = try await transport.send(signed, timeout: .seconds(30))
            if response.isSuccess { return response.body }
            guard response.statusCode >= 500, attempt < 4 else {
                throw AWSClientError(
                    .invalidResponse,
                    "setup \(what) failed: HTTP \(response.statusCode) \(AWSErrorParser.summary(of: response.body))")
            }
            try await Task.sleep(for: .milliseconds(100 * attempt))
        }
    }

    /// Stops the server: SIGTERM, then SIGKILL when it has not exited within a second.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<10 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// A port nothing listens on now: bind port 0 on loopback, read it, close.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw AWSClientError(.connectionFailed, "no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw AWSClientError(.connectionFailed, "bind failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw AWSClientError(.connectionFailed, "getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
