import CustodyTestSupport
import Foundation

/// The built `custody` executable, next to the test bundle.
enum CustodyBinary {
    static let tool: ExternalTool = {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return ExternalTool(path: bundle.appendingPathComponent("custody").path)
    }()

    /// Runs `custody` with a fixed clock unless `environment` says otherwise.
    static func run(_ arguments: [String], environment: [String: String] = ["SOURCE_DATE_EPOCH": "1790000000"]) throws
        -> ExternalTool.Result
    {
        try tool.run(arguments, environment: environment)
    }

    /// Runs `custody` and sends SIGINT once its stderr shows `marker`, then `delay` seconds more, as
    /// a responder pressing Ctrl-C would; returns its exit status, stdout and stderr.
    static func interrupted(
        _ arguments: [String], environment: [String: String], when marker: String, delay: TimeInterval
    ) throws -> (status: Int32, text: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var error = ""
        let deadline = Date().addingTimeInterval(60)
        while !error.contains(marker) && Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            error += String(decoding: chunk, as: UTF8.self)
        }
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, SIGINT)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        error += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text, error)
    }
}
