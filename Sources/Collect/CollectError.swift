public import CustodyErrors

/// An error that stops a collection or import from going on.
///
/// What AWS refuses or fails is not an error here: it becomes coverage in the manifest. Two
/// errors are equal when their codes are.
public struct CollectError: CustodyError {
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
    /// A full sentence saying what went wrong.
    public let message: String
    /// A full sentence saying what to do, when `message` does not already say.
    public let remedy: String?
    /// The error that caused this one, when there is one.
    public let underlying: (any Error)?
    /// Where the error was raised.
    public let fileID: String
    /// Where the error was raised.
    public let line: Int

    /// Makes an error.
    public init(
        _ code: Code, _ message: String, remedy: String? = nil, underlying: (any Error)? = nil,
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
