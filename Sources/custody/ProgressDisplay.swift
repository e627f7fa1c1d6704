import Collect
import Foundation

/// Shows a collection's progress on stderr: a live line per account on a terminal; otherwise (or
/// when `TERM=dumb`) a few log lines per account: its phases, its first problems, and before it is
/// sealed how many CloudTrail events came from how many regions and how many problems were not
/// shown; nothing but problems with `--quiet`.
final class ProgressDisplay: @unchecked Sendable {
    enum Mode {
        case live, lines, quiet
    }

    private struct AccountState {
        var phase = "starting"
        var calls = 0
        var events = 0
        var problems = 0
        var eventRegions = Set<String>()
    }

    /// Without a terminal, an account's problems are shown up to this many; the rest are counted.
    static let problemsShownPerAccount = 3

    private let mode: Mode
    private let lock = NSLock()
    private var accounts: [String: AccountState] = [:]
    private var order: [String] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast

    init(quiet: Bool) {
        let terminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        mode = quiet ? .quiet : (terminal ? .live : .lines)
    }

    /// Takes one event from the collectors.
    func handle(_ event: ProgressSink.Event) {
        lock.withLock {
            switch event {
            case .phase(let account, let phase):
                state(account) { $0.phase = phase }
                if mode == .lines {
                    if phase == "sealing" { summarise(account) }
                    write(TerminalText.safe("\(account): \(phase)") + "\n")
                }
            case .call(let account):
                state(account) { $0.calls += 1 }
            case .problem(let account, let text):
                state(account) { $0.problems += 1 }
                if mode == .quiet || (mode == .lines && accounts[account]!.problems <= Self.problemsShownPerAccount) {
                    write(TerminalText.safe("\(account): \(text)") + "\n")
                }
            case .events(let account, let region, let count):
                state(account) {
                    $0.events += count
                    $0.eventRegions.insert(region)
                }
            }
            if mode == .live && Date().timeIntervalSince(lastDraw) > 0.2 { redraw() }
        }
    }

    /// Draws the final state and leaves the cursor below it.
    func finish() {
        lock.withLock { if mode == .live { redraw() } }
    }

    /// The lines that stand for many: events per region, and the problems not shown.
    private func summarise(_ account: String) {
        guard let state = accounts[account] else { return }
        var lines = [
            "\(account): \(state.calls) call(s), \(state.events) CloudTrail event(s) from \(state.eventRegions.count) region(s)"
        ]
        if state.problems > Self.problemsShownPerAccount {
            lines.append(
                "\(account): \(state.problems - Self.problemsShownPerAccount) more problem(s), listed in the archive's coverage (custody show ARCHIVE)"
            )
        }
        for line in lines { write(TerminalText.safe(line) + "\n") }
    }

    private func state(_ account: String, _ change: (inout AccountState) -> Void) {
        if accounts[account] == nil {
            accounts[account] = AccountState()
            order.append(account)
        }
        change(&accounts[account]!)
    }

    private func redraw() {
        lastDraw = Date()
        var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)F" : ""
        for account in order {
            let state = accounts[account]!
            let problems = state.problems > 0 ? ", \(state.problems) problem(s)" : ""
            // Only the display's own escapes reach the terminal; the account and phase are made safe.
            text +=
                "\u{1B}[2K"
                + TerminalText.safe(
                    "\(account): \(state.phase) — \(state.calls) call(s), \(state.events) event(s)\(problems)") + "\n"
        }
        drawnLines = order.count
        write(text)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
