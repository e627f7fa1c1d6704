import CustodyCrypto
import CustodyJSON
import EvidenceArchive
import Foundation
import Report
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The course's exercise, step by step, against a running lab: each step is a program a user
/// could run by hand (the scenario, then custody's own subcommands), and the demo says which.
struct DemoRun {
    var tree: String
    var folder: String
    var lab: LabProcess
    /// Whether the lab runs on its logical clock: then every custody step is pinned to it.
    var reproducible: Bool
    var signKey: String?
    /// Where the demo says what it does: stdout, or stderr when stdout carries `--json`.
    var log = DemoLog()

    /// The case and report folders, relative to `folder`, where custody runs: what the report
    /// shows of them is then the same wherever the demo runs.
    let caseFolder = "case"
    let reportFolder = "report"

    /// Plays every step and returns what to tell the user.
    func play() async throws -> DemoSummary {
        let started = ContinuousClock.now
        if reproducible {
            // A fixed case id, as everything else of the reproducible run is fixed.
            _ = try CaseFolder(root: folder + "/" + caseFolder).prepare(
                newCaseId: "00000000-0000-4000-8000-00000000c0de")
        }
        log.step("the defender's ordinary work: a trail, users, a web server, key rotation (hands-on 1 to 5)")
        try await scenario("baseline")
        let ids = try DemoIds(path: folder + "/ids.json")

        log.step(
            "collecting accounts \(ids.defender) (defender) and \(ids.attacker) (attacker) before the exercise: the baseline"
        )
        try await collect(ids, extra: ["--since", "2h"])

        log.step(
            "the attack: the leaked key \(ids.leakedKey) of user 'test' used from another account and address (hands-on 6.1 to 6.6)"
        )
        try await scenario("attack")

        log.step("collecting both accounts again, before containment")
        try await collect(ids, extra: [])

        let archives = try Self.archives(folder + "/" + caseFolder + "/" + ids.defender).map {
            String($0.dropFirst(folder.count + 1))
        }
        log.step("what changed in account \(ids.defender), and the persistence left behind (custody diff)")
        let trust = try trustArguments()
        let diffStatus = try await custody(
            ["diff", archives[0], archives[archives.count - 1], "--suspect-key", ids.leakedKey] + trust,
            output: folder + "/diff.txt")
        guard [0, 1, 3].contains(diffStatus) else { throw failure("custody diff", log: folder + "/diff.txt") }
        log.line("    \(folder)/diff.txt")

        log.step(
            "writing the sealed incident report (custody report); its CloudTrail queries (Athena) are those of hands-on 4.10 and 6.7"
        )
        var reportArguments = ["report", "--case", caseFolder, "--out", reportFolder, "--suspect-key", ids.leakedKey]
        if let signKey { reportArguments += ["--sign-key", signKey] + trust }
        guard try await custody(reportArguments) == 0 else { throw CommandFailure("custody report failed; see above.") }

        log.step("verifying the report together with the evidence it names (custody verify)")
        let verifyStatus = try await custody(
            ["verify", reportFolder + "/report.tar", caseFolder] + trust, output: folder + "/verify.txt")
        let verifyText = (try? String(contentsOfFile: folder + "/verify.txt", encoding: .utf8)) ?? ""
        log.line("    " + (verifyText.split(separator: "\n").last.map(String.init) ?? "no verification output"))

        return DemoSummary(
            folder: folder, reportFolder: folder + "/" + reportFolder,
            findings: (try? DemoSummary.findings(folder + "/" + reportFolder + "/findings.json")) ?? [],
            verified: verifyStatus == 0, seconds: Double((ContinuousClock.now - started).components.seconds))
    }

    /// With `--sign-key` the case key signs nothing, so later steps are told to trust that key.
    private func trustArguments() throws -> [String] {
        guard let signKey else { return [] }
        do {
            return ["--trust-fingerprint", try KeyFiles.readPrivateKey(at: signKey).publicKey.fingerprint]
        } catch {
            throw CommandFailure("--sign-key \(signKey): \(error)", underlying: error)
        }
    }

    /// Plays a phase of the course's scenario.
    private func scenario(_ phase: String) async throws {
        let logFile = folder + "/scenario-\(phase).log"
        let status = try await ChildProcess(
            executable: tree + "/Scripts/scenario",
            arguments: ["--lab", lab.state, "--phase", phase, "--ids-out", folder + "/ids.json"],
            environment: lab.environment
        ).run(output: logFile)
        let lines = ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n")
        log.line("    \(lines.count) step(s) played; the last:")
        for line in lines.suffix(4) { log.line("    " + line) }
        guard status == 0 else { throw failure("the scenario's \(phase) phase", log: logFile) }
    }

    /// Collects both accounts; gaps (exit 3) are recorded in the archives and the demo goes on.
    ///
    /// CloudTrail is late, and so is the lab on the real clock: first the lab's delay is waited out, so
    /// every event of the steps before is visible, as a responder gives CloudTrail time to deliver.
    private func collect(_ ids: DemoIds, extra: [String]) async throws {
        if !reproducible, let delay = try await labAPI("clock", body: nil)["eventDelay"]?.numberValue, delay > 0 {
            log.line(
                "    waiting \(Int(delay.rounded(.up)) + 1) s for CloudTrail's late events (the lab delivers them up to \(Int(delay.rounded(.up))) s late)"
            )
            try await Task.sleep(for: .seconds(delay + 1))
        }
        var arguments =
            [
                "collect", "--case", caseFolder, "--profile", "lab-\(ids.defender)", "--profile", "lab-\(ids.attacker)",
                "--regions", "all",
            ] + extra
        if let signKey { arguments += ["--sign-key", signKey] }
        // One call at a time: parallel calls would reach the lab, and be recorded, in any order.
        if reproducible { arguments += ["--concurrency", "1"] }
        let status = try await custody(arguments)
        guard status == 0 || status == 3 else {
            throw CommandFailure("custody collect failed (exit \(status)); see above.")
        }
        if reproducible { try await advanceLabClock(seconds: 60) }
    }

    /// Runs custody itself with the lab's files, pinned to the lab's clock when it has one.
    private func custody(_ arguments: [String], output: String? = nil) async throws -> Int32 {
        var environment = lab.environment
        if reproducible { environment["SOURCE_DATE_EPOCH"] = String(try await labClock()) }
        return try await ChildProcess(
            executable: ChildProcess.custody, arguments: arguments, environment: environment, directory: folder,
            printsToStandardError: log.toStandardError
        )
        .run(output: output)
    }

    /// The lab's logical time, in seconds since 1970.
    private func labClock() async throws -> Int {
        let value = try await labAPI("clock", body: nil)
        guard let now = value["now"]?.stringValue, let date = Timestamp.parse(now) else {
            throw CommandFailure("The lab's clock answered without a time; is it running with --clock?")
        }
        return Int(date.timeIntervalSince1970)
    }

    /// Moves the lab's logical clock on, so the next step's events come after this one's.
    private func advanceLabClock(seconds: Int) async throws {
        _ = try await labAPI("clock", body: #"{"advance": \#(seconds)}"#)
    }

    private func labAPI(_ path: String, body: String?) async throws -> [String: JSONValue] {
        guard let url = URL(string: lab.endpoint + "/lab-api/" + path) else {
            throw CommandFailure("The lab's endpoint \(lab.endpoint) is not a URL.")
        }
        var request = URLRequest(url: url)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200, case .object(let object) = try JSONValue.parse(data)
        else {
            throw CommandFailure(
                "The lab's /lab-api/\(path) failed: \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return object
    }

    private func failure(_ what: String, log: String) -> CommandFailure {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return CommandFailure("\(what) failed; the end of \(log):\n\(text.suffix(3000))")
    }

    /// An account folder's archives, in chain order.
    static func archives(_ folder: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let archives = names.filter { ArchiveLayout.sequence(inArchiveName: $0) != nil }.sorted().map {
            folder + "/" + $0
        }
        guard archives.count >= 2 else {
            throw CommandFailure(
                "\(folder) holds \(archives.count) archive(s); the demo needs the baseline and the collection after the attack."
            )
        }
        return archives
    }
}

/// What the scenario wrote to its ids file that the demo needs.
struct DemoIds {
    var defender: String
    var attacker: String
    var leakedKey: String

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), case .object(let ids) = try JSONValue.parse(data),
            let defender = ids["defender"]?["accountId"]?.stringValue,
            let attacker = ids["attacker"]?["accountId"]?.stringValue,
            let leaked = ids["attacker"]?["leakedAccessKeyId"]?.stringValue
        else {
            throw CommandFailure(
                "\(path) lacks the defender's and attacker's accounts or the leaked key; the scenario did not finish its baseline."
            )
        }
        self.defender = defender
        self.attacker = attacker
        self.leakedKey = leaked
    }
}

/// The demo's closing words.
struct DemoSummary {
    var folder: String
    var reportFolder: String
    var findings: [(severity: String, title: String)]
    var verified: Bool
    var seconds: Double

    static func findings(_ path: String) throws -> [(severity: String, title: String)] {
        guard let data = FileManager.default.contents(atPath: path),
            case .object(let object) = try JSONValue.parse(data),
            case .array(let findings)? = object["findings"]
        else { return [] }
        return findings.map { ($0["severity"]?.stringValue ?? "?", $0["title"]?.stringValue ?? "?") }
    }

    /// What `--json` prints.
    var result: CommandResults.Demo {
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        return CommandResults.Demo(
            folder: folder, report: reportFolder, caseFolder: folder + "/case",
            findings: SeverityCounts(high: counts["high"] ?? 0, medium: counts["medium"] ?? 0, low: counts["low"] ?? 0),
            verified: verified)
    }

    func print() {
        DemoLog().step("done in \(Int(seconds)) s")
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        Console.print(
            "    findings: \(counts["high"] ?? 0) high, \(counts["medium"] ?? 0) medium, \(counts["low"] ?? 0) low")
        for finding in findings.filter({ $0.severity == "high" }).prefix(12) {
            Console.print("      high  \(finding.title)")
        }
        Console.print(
            "    report:   \(reportFolder)/report.html (and report.md, findings.json, timeline.jsonl, iocs.csv, iocs.stix.json, findings.asff.json, findings.ocsf.json)"
        )
        Console.print(
            "    sealed:   \(reportFolder)/report.tar, \(verified ? "verified with the evidence it names" : "VERIFICATION FAILED, see \(folder)/verify.txt")"
        )
        Console.print("    evidence: \(folder)/case (custody verify \(folder)/case)")
    }
}
