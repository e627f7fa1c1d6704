import Foundation

/// A program `custody demo` runs: the lab, the scenario, and custody itself for each step.
struct ChildProcess {
    /// The program.
    var executable: String
    /// Its arguments.
    var arguments: [String]
    /// Variables added to custody's own environment.
    var environment: [String: String] = [:]
    /// The working directory, when not custody's own.
    var directory: String? = nil
    /// Whether its standard output goes to custody's standard error (when that carries `--json`).
    var printsToStandardError = false

    /// custody itself, as running now.
    static var custody: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    /// Starts the program, its output going to `output` (a file), or to custody's own output when `nil`.
    func start(output: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw CommandFailure("Cannot create \(output).")
            }
            guard let handle = FileHandle(forWritingAtPath: output) else {
                throw CommandFailure("Cannot write \(output).")
            }
            process.standardOutput = handle
            process.standardError = handle
            process.terminationHandler = { _ in try? handle.close() }
        } else if printsToStandardError {
            process.standardOutput = FileHandle.standardError
        }
        do {
            try process.run()
        } catch {
            throw CommandFailure("Cannot run \(executable): \(error.localizedDescription)", underlying: error)
        }
        return process
    }

    /// Runs the program to its end and returns its exit status.
    func run(output: String? = nil) async throws -> Int32 {
        let process = try start(output: output)
        await Self.wait(for: process)
        return process.terminationStatus
    }

    /// Waits for `process` to end. Polls: Foundation's `waitUntilExit` keeps a core busy on Linux.
    static func wait(for process: Process, timeout: Duration? = nil) async {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        while process.isRunning {
            if let deadline, clock.now >= deadline { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
