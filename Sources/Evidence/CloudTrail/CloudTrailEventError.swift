import CustodyJSON
public import CustodyErrors

/// Why bytes could not be made into a `CloudTrailEvent`. Two errors are equal when their codes are.
public struct CloudTrailEventError: CustodyError {
    /// What went wrong, as a value to compare.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The text is not JSON.
        public static let invalidJSON = Code(name: "invalidJSON")
        /// The JSON is not an object.
        public static let notAnObject = Code(name: "notAnObject")

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
    /// The offset in the text where the problem was found.
    public let offset: Int
    /// Where the error was raised.
    public let fileID: String
    /// Where the error was raised.
    public let line: Int

    /// Makes an error.
    public init(
        _ code: Code, _ message: String, remedy: String? = nil, underlying: (any Error)? = nil, offset: Int = 0,
        fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.underlying = underlying
        self.offset = offset
        self.fileID = fileID
        self.line = line
    }
}

extension CloudTrailEventError {
    /// The error for a record's text that the scanner stopped in, `length` bytes long.
    init(_ stop: JSONScanStop, length: Int) {
        switch stop {
        case .invalid(let reason, let offset):
            self.init(.invalidJSON, "The record is not JSON: \(reason) at byte \(offset).", offset: offset)
        case .needMore:
            self.init(.invalidJSON, "The record is not JSON: the text ends early.", offset: length)
        }
    }
}
