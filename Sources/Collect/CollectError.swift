/// An error that stops a collection or import from going on.
///
/// What AWS refuses or fails is not an error here: it becomes coverage in the manifest. Two
/// errors are equal when their codes are.
public struct CollectError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The options do not describe a collection that can run.
        public static let invalidOptions = Code(name: "invalidOptions")
        /// No credentials or no identity for a target.
        public static let targetUnreachable = Code(name: "targetUnreachable")
        /// The staging folder could not be written.
        public static let stagingFailed = Code(name: "stagingFailed")
        /// Nothing could be collected for any target.
        public static let nothingCollected = Code(name: "nothingCollected")
        /// An input file cannot be read.
        public static let inputUnreadable = Code(name: "inputUnreadable")

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A full sentence saying what went wrong and what to do.
    public let message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// Errors are equal when their codes are.
    public static func == (lhs: CollectError, rhs: CollectError) -> Bool { lhs.code == rhs.code }
}
