/// An error that holds the shape every Custody error has and nothing more: a module names its own
/// with its own codes, `public typealias DiffError = CustodyFailure<DiffErrorCode>`, so the
/// errors of different modules stay different types that `catch` and `#expect(throws:)` tell apart.
public struct CustodyFailure<Code: Hashable & Sendable & CustomStringConvertible>: CustodyError {
    /// What went wrong, as a value to compare.
    public let code: Code
    /// A full sentence saying what went wrong, and where.
    public let message: String
    /// A full sentence saying what to do, when `message` does not already say.
    public let remedy: String?
    /// The error that caused this one, when there is one.
    public let underlying: (any Error)?
    /// The file the error was raised in (`#fileID`).
    public let fileID: String
    /// The line the error was raised on.
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
