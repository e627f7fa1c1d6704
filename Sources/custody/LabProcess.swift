import Foundation

/// The local AWS lab of Custody's source tree (`Scripts/lab`), run for `custody demo` on
/// 127.0.0.1 and stopped afterwards.
struct LabProcess {
    /// The running lab.
    let process: Process
    /// Its state folder: `lab.json`, `aws/config`, `aws/credentials`.
    let state: String
    /// Where it listens, such as `http://127.0.0.1:41234`.
    let endpoint: String

    /// The Custody source tree holding the lab: `source` when given, else the first folder above
    /// the working directory or above custody's own executable that has `Scripts/lab`.
    static func sourceTree(_ source: String?) throws -> String {
        if let source {
            guard FileManager.default.isExecutableFile(atPath: source + "/Scripts/lab") else {
                throw CommandFailure("\(source) has no Scripts/lab; give --source the folder of Custody's source tree.")
            }
            return URL(fileURLWithPath: source).standardizedFileURL.path
        }
        let starts = [
            FileManager.default.currentDirectoryPath, (ChildProcess.custody as NSString).deletingLastPathComponent,
        ]
        for start in starts {
            var folder = (start as NSString).standardizingPath
            while true {
                if FileManager.default.isExecutableFile(atPath: folder + "/Scripts/lab") { return folder }
                let parent = (folder as NSString).deletingLastPathComponent
                if parent == folder || parent.isEmpty { break }
                folder = parent
            }
        }
        throw CommandFailure(
            "custody demo runs the local AWS lab of Custody's source tree (Scripts/lab), and none was found above the "
                + "working directory or custody itself; run it from the clone, or pass --source.")
    }

    /// Starts the lab and waits until it says it is ready (at most 60 s).
    static func start(tree: String, state: String, options: [String]) async throws -> LabProcess {
        let log = state + ".out"
        let process = try ChildProcess(
            executable: tree + "/Scripts/lab", arguments: ["--state", state, "--port", "0"] + options
        ).start(output: log)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("lab ready at ") }) {
                return LabProcess(
                    process: process, state: state, endpoint: String(line.dropFirst("lab ready at ".count)))
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        process.terminate()
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw CommandFailure(
            "The lab did not start (\(log)):\n\(text.suffix(2000))\nIs moto installed? Scripts/bootstrap installs it.")
    }

    /// What custody and the scenario need to call the lab: its AWS config and credentials files.
    var environment: [String: String] {
        ["AWS_CONFIG_FILE": state + "/aws/config", "AWS_SHARED_CREDENTIALS_FILE": state + "/aws/credentials"]
    }

    /// Stops the lab: asks first, and kills it when it has not stopped within 15 s.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        await ChildProcess.wait(for: process, timeout: .seconds(15))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await ChildProcess.wait(for: process, timeout: .seconds(5))
    }
}
