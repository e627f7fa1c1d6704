import ArgumentParser
import CustodyJSON
import EvidenceArchive
import Foundation

extension Custody {
    struct DemoCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Play the course's exercise against the local AWS lab, end to end, and write its report.",
            discussion: """
                Starts the lab of Custody's source tree on 127.0.0.1 (moto with real authentication and a \
                CloudTrail layer), plays the defender's ordinary work, collects both teams' accounts (the \
                baseline), plays the attack (the leaked key of user 'test' used from another account and address \
                to plant the persistence of hands-on 6.1 to 6.6), collects again, diffs, writes the sealed \
                incident report, verifies it with the case, and stops the lab. On the real clock the lab delivers \
                CloudTrail late, as AWS does (up to 5 s here), and the demo waits that out before each collection.

                Everything goes to --dir: the lab's state, the case folder (case/), the diff (diff.txt) and the \
                report (report/). With --reproducible the lab keeps a logical clock and seeded ids and the training \
                key signs, so the same code writes the same bytes (how Reports/ is made).

                Needs python3 with moto (Scripts/bootstrap installs it).

                --json prints Schemas/demo.schema.json; what the demo says as it goes then goes to stderr.

                Example: custody demo --dir ./demo
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Where to put the lab, the case and the report (replaced if it is an earlier demo's).", valueName: "DIR"
            ))
        var dir = "demo"

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Custody's source tree, which holds Scripts/lab (default: found above the working directory).",
                valueName: "DIR"))
        var source: String?

        @Flag(
            name: .long,
            help:
                "Run the lab on a fixed logical clock with seeded ids, signed by the training key: the same code writes the same bytes (how Reports/ is made)."
        )
        var reproducible = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Sign the evidence and the report with this private key instead of a new case key.", valueName: "FILE"))
        var signKey: String?

        @OptionGroup var output: JSONOutput

        /// Where the reproducible demo's lab clock starts, and its seed.
        static let reproducibleClock = "2026-11-02T09:00:00Z"
        static let reproducibleSeed = 7
        /// On the real clock the lab is late like CloudTrail: each event becomes visible up to this
        /// many seconds after it happened, and the demo waits that out before collecting.
        static let liveEventDelay = 5

        /// The training key that signs the reproducible demo: public on purpose, it proves the
        /// committed report unchanged, never who made it.
        static let trainingKey = "Scripts/training-signing-key.pem"

        func run() async throws {
            let tree = try LabProcess.sourceTree(source)
            let folder = try DemoFolder.prepare(dir)
            let labOptions =
                reproducible
                ? ["--clock", Self.reproducibleClock, "--seed", String(Self.reproducibleSeed)]
                : ["--event-delay", String(Self.liveEventDelay)]
            let key =
                signKey.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                ?? (reproducible ? tree + "/" + Self.trainingKey : nil)
            let log = DemoLog(toStandardError: output.isJSON)
            log.step(
                "starting the local AWS lab on 127.0.0.1 (moto with real authentication and a CloudTrail layer)")
            let lab = try await LabProcess.start(tree: tree, state: folder + "/lab", options: labOptions)
            log.line("    lab ready at \(lab.endpoint)")
            do {
                let summary = try await DemoRun(
                    tree: tree, folder: folder, lab: lab, reproducible: reproducible, signKey: key, log: log
                ).play()
                await lab.stop()
                if output.isJSON { try JSONOutput.print(summary.result) } else { summary.print() }
                if !summary.verified { throw ExitCode(1) }
            } catch {
                await lab.stop()
                throw error
            }
        }
    }
}

/// What the demo says as it goes: on stdout, or on stderr when stdout carries `--json`.
struct DemoLog {
    var toStandardError = false

    /// One line saying what the demo does next.
    func step(_ text: String) {
        line("\n==> \(text)")
    }

    /// A line of detail.
    func line(_ text: String) {
        if toStandardError { Console.error(text) } else { Console.print(text) }
    }
}

/// The demo's folder: made fresh, and only ever replaced when an earlier demo made it.
enum DemoFolder {
    static let marker = ".custody-demo"

    static func prepare(_ path: String) throws -> String {
        let manager = FileManager.default
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if manager.fileExists(atPath: absolute) {
            let entries = (try? manager.contentsOfDirectory(atPath: absolute)) ?? []
            guard entries.isEmpty || entries.contains(marker) else {
                throw CommandFailure(
                    "\(absolute) exists and was not made by custody demo; give another --dir, so nothing in it is lost."
                )
            }
            try? manager.removeItem(atPath: absolute)
        }
        do {
            try manager.createDirectory(atPath: absolute, withIntermediateDirectories: true)
            guard
                manager.createFile(
                    atPath: absolute + "/" + marker,
                    contents: Data("made by custody demo; replaced by the next run\n".utf8))
            else {
                throw CommandFailure("Cannot write \(absolute)/\(marker).")
            }
        } catch {
            throw CommandFailure("Cannot create \(absolute): \(error.localizedDescription)", underlying: error)
        }
        return absolute
    }
}
