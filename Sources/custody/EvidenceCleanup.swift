import EvidenceArchive
import Foundation

/// Removes the private folders that verified evidence was extracted into when the process is
/// interrupted, terminated or hung up on, then ends it by the same signal: an interrupted diff,
/// hunt or report leaves no evidence behind in the temporary directory.
///
/// The signal handler only writes the signal's number to a pipe (`write` is safe in signal
/// context); a thread of its own reads it, removes the folders and raises the signal again with
/// its default action. A thread of its own, because any shared worker may be blocked reading an
/// archive from a pipe, and the signal must end the process all the same.
final class EvidenceCleanup: @unchecked Sendable {
    private static let signals = [SIGINT, SIGTERM, SIGHUP]
    /// The pipe's write end, for the handler; set before any handler is installed.
    nonisolated(unsafe) private static var wake: Int32 = -1
    // Immutable after init.
    private let pipeEnds: (read: Int32, write: Int32)

    /// Takes over the signals until `stop()`.
    init() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            // Without a pipe the signals keep their default action: the process still ends.
            pipeEnds = (-1, -1)
            return
        }
        pipeEnds = (ends[0], ends[1])
        Self.wake = ends[1]
        let readEnd = ends[0]
        Thread.detachNewThread {
            var number: Int32 = 0
            while read(readEnd, &number, MemoryLayout<Int32>.size) == MemoryLayout<Int32>.size {
                PrivateFolder.removeAll()
                signal(number, SIG_DFL)
                kill(getpid(), number)
            }
            close(readEnd)
        }
        for number in Self.signals {
            signal(number) { number in
                var number = number
                _ = write(EvidenceCleanup.wake, &number, MemoryLayout<Int32>.size)
            }
        }
    }

    /// Gives the signals back their default action.
    func stop() {
        for number in Self.signals { signal(number, SIG_DFL) }
        // The reading thread ends when the write end closes.
        if pipeEnds.write >= 0 { close(pipeEnds.write) }
    }
}
