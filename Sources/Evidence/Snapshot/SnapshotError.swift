public import CustodyErrors

/// A snapshot that cannot be read back from an archive. Two errors are equal when their codes are.
public struct SnapshotError: CustodyError {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// A snapshot member is missing.
        public static let memberMissing = Code(name: "memberMissing")
        /// A snapshot member is not valid JSON of its kind.
        public static let memberInvalid = Code(name: "memberInvalid")

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A full sentence saying what went wrong, and where.
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
