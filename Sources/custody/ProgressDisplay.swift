import Collect
import Foundation

/// Shows a collection's progress on stderr: a live line per account on a terminal, plain log
/// lines otherwise (or when `TERM=dumb`), nothing but problems with `--quiet`.
final class ProgressDisplay: @unchecked Sendable {
    enum Mode {
        case live, lines, quiet
    }

    private struct AccountState {
        var phase = "starting"
        var calls = 0
        var events = 0
        var problems = 0
    }

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
                if mode == .lines { write(TerminalText.safe("\(account): \(phase)") + "\n") }
            case .call(let account):
                state(account) { $0.calls += 1 }
            case .problem(let account, let text):
                state(account) { $0.problems += 1 }
                if mode != .live { write(TerminalText.safe("\(account): \(text)") + "\n") }
            case .events(let account, let region, let count):
                state(account) { $0.events += count }
                if mode == .lines {
                    write(TerminalText.safe("\(account): \(count) CloudTrail event(s) in \(region)") + "\n")
                }
            }
            if mode == .live && Date().timeIntervalSince(lastDraw) > 0.2 { redraw() }
        }
    }

    /// Draws the final state and leaves the cursor below it.
    func finish() {
        lock.withLock { if mode == .live { redraw() } }
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
