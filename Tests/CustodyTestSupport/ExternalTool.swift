public import Foundation

/// Runs a command-line tool the project is checked against (`openssl`, `bsdtar`, `python3`, `sha256sum`).
public struct ExternalTool: Sendable {
    /// What a run produced.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to stdout.
        public var output: Data
        /// Everything written to stderr.
        public var error: String
        /// stdout as text.
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// The tool's absolute path.
    public let path: String

    /// A tool found on `PATH`, or `nil`.
    public init?(_ name: String) {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard
            let found = directories.map({ "\($0)/\(name)" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { return nil }
        path = found
    }

    /// A tool at an absolute path.
    public init(path: String) {
        self.path = path
    }

    /// `openssl`, when installed.
    public static let openssl = ExternalTool("openssl")
    /// `bsdtar`, when installed.
    public static let bsdtar = ExternalTool("bsdtar")
    /// `python3`, when installed.
    public static let python3 = ExternalTool("python3")

    /// Runs the tool with `arguments`, feeding `input`, in `directory`, with extra `environment`.
    /// With `withoutAWSVariables`, no `AWS_*` variable of this process reaches the tool: only those
    /// in `environment` do, as on a responder's clean shell.
    @discardableResult
    public func run(
        _ arguments: [String], input: Data? = nil, directory: String? = nil, environment: [String: String] = [:],
        withoutAWSVariables: Bool = false
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty || withoutAWSVariables {
            var inherited = ProcessInfo.processInfo.environment
            if withoutAWSVariables { inherited = inherited.filter { !$0.key.hasPrefix("AWS_") } }
            process.environment = inherited.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try inPipe.fileHandleForWriting.close()
        // Read stderr concurrently so a chatty tool cannot block on a full pipe.
        let errorData = LockedData()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: output, error: String(decoding: errorData.get(), as: UTF8.self))
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}

/// A fresh temporary folder, removed when the value is released.
public final class TemporaryFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// Makes the folder.
    public init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("custody-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    /// A path inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `contents` to `name` inside the folder, making folders on the way, and returns the path.
    @discardableResult
    public func write(_ name: String, _ contents: some DataProtocol) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents).write(to: URL(fileURLWithPath: target))
        return target
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
