/// Why a report could not be made; the message says what to do.
public struct ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong.
    public struct Code: Hashable, Sendable {
        let name: String
        /// The case folder does not exist or is not a case folder.
        public static let caseFolderUnusable = Code(name: "caseFolderUnusable")
        /// An account asked for has no folder in the case.
        public static let accountUnknown = Code(name: "accountUnknown")
        /// `baseline` and `current` must be given together, and be archives of one account.
        public static let comparisonInvalid = Code(name: "comparisonInvalid")
        /// No archive of the accounts verified, so there is nothing to report on.
        public static let nothingVerified = Code(name: "nothingVerified")
        /// Reading the evidence failed.
        public static let evidenceUnreadable = Code(name: "evidenceUnreadable")
        /// The output folder cannot take the report: it is a file, already holds a report, or cannot be written.
        public static let outputUnusable = Code(name: "outputUnusable")
        /// The report names no account or no time, so there is nothing to seal it as.
        public static let unsealable = Code(name: "unsealable")
        /// A file of the report could not be encoded, so none was written.
        public static let encodingFailed = Code(name: "encodingFailed")
    }

    /// What went wrong.
    public let code: Code
    /// A sentence saying what and what to do.
    public let message: String
    /// The error underneath, if any.
    public let underlying: (any Error & Sendable)?
    /// Where it was thrown.
    public let file: String
    /// Where it was thrown.
    public let line: Int

    /// Makes an error.
    public init(
        _ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// The message.
    public var description: String { message }

    /// Errors are equal when their codes are.
    public static func == (lhs: ReportError, rhs: ReportError) -> Bool { lhs.code == rhs.code }
}
