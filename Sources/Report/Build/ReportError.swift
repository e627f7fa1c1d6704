public import CustodyErrors

/// Why a report could not be made, and what to do about it.
public struct ReportError: CustodyError {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
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
