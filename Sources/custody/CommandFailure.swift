/// A failure of the command itself, in one sentence, that no library reported: an option that
/// does not fit the case at hand, a lab that did not start. Library errors are not turned into
/// it; they reach `Custody.ending(for:)` as thrown, so their codes stay testable. When the command
/// adds words to a library error (which option it came from), `underlying` keeps that error.
struct CommandFailure: Error, CustomStringConvertible {
    /// The sentence printed on stderr.
    var description: String
    /// The library error this failure puts into words, when there is one.
    var underlying: (any Error)?

    /// A failure saying `description`, about `underlying` when given.
    init(_ description: String, underlying: (any Error)? = nil) {
        self.description = description
        self.underlying = underlying
    }
}
