import Dispatch
import EvidenceArchive
import Foundation

/// Removes the private folders that verified evidence was extracted into when the process is
/// interrupted, terminated or hung up on, then ends it by the same signal: an interrupted diff,
/// hunt or report leaves no evidence behind in the temporary directory.
///
/// The handlers run on a queue, not in signal context, so removing a folder tree there is safe.
final class EvidenceCleanup: @unchecked Sendable {
    // Immutable after init.
    private let sources: [any DispatchSourceSignal]
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Takes over the signals until `stop()`.
    init() {
        sources = Self.signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                PrivateFolder.removeAll()
                signal(number, SIG_DFL)
                // To the process, not this queue's thread, which blocks signals.
                kill(getpid(), number)
            }
            source.resume()
            return source
        }
    }

    /// Gives the signals back their default action.
    func stop() {
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
