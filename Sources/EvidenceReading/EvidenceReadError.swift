public import CustodyErrors

/// Why verified evidence could not be read: a path that holds no archive, an archive that does
/// not verify, or one without the snapshot asked for.
public struct EvidenceReadError: CustodyError {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// A path does not exist or holds no archive.
        public static let inputUnreadable = Code(name: "inputUnreadable")
        /// An archive does not verify.
        public static let verificationFailed = Code(name: "verificationFailed")
        /// An archive holds no snapshot, or a broken one.
        public static let snapshotMissing = Code(name: "snapshotMissing")

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
