import CustodyErrors

/// A failure of the command itself that no library reported, printed before exiting 2: an
/// option that does not fit the case at hand, a lab that did not start. Library errors are not
/// turned into it; they reach `Custody.ending(for:)` as thrown, so their codes stay testable.
/// When the command adds words to a library error (which option it came from), `underlying`
/// keeps that error.
struct CommandFailure: CustodyError {
    /// Why the command stopped.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The command could not run (exit code 2).
        static let cannotRun = Code(name: "cannotRun")

        /// The code's name.
        var description: String { name }
    }

    /// Why the command stopped.
    let code: Code
    /// A full sentence saying what went wrong.
    let message: String
    /// A full sentence saying what to do, when `message` does not already say.
    let remedy: String?
    /// The error that caused this one, when there is one.
    let underlying: (any Error)?
    /// Where the failure was raised.
    let fileID: String
    /// Where the failure was raised.
    let line: Int

    /// Makes a failure that stops the command.
    init(
        _ message: String, remedy: String? = nil, underlying: (any Error)? = nil, code: Code = .cannotRun,
        fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.underlying = underlying
        self.fileID = fileID
        self.line = line
    }
}
