/// Why a diff or hunt could not run.
public struct DiffError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong.
    public struct Code: Hashable, Sendable {
        let name: String
        /// A path does not exist or holds no archive.
        public static let inputUnreadable = Code(name: "inputUnreadable")
        /// An archive does not verify.
        public static let verificationFailed = Code(name: "verificationFailed")
        /// An archive holds no snapshot, or a broken one.
        public static let snapshotMissing = Code(name: "snapshotMissing")
        /// The two archives are of different accounts.
        public static let differentAccounts = Code(name: "differentAccounts")
        /// The two archives are the same.
        public static let sameArchive = Code(name: "sameArchive")
    }

    /// What went wrong.
    public let code: Code
    /// A sentence saying what and where.
    public let message: String
    /// The error underneath, if any.
    public let underlying: (any Error & Sendable)?
    /// Where it was thrown.
    public let file: String
    /// Where it was thrown.
    public let line: Int

    /// Makes an error.
    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// The message.
    public var description: String { message }

    /// Errors are equal when their codes are.
    public static func == (lhs: DiffError, rhs: DiffError) -> Bool { lhs.code == rhs.code }
}
