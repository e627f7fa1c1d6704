public import CustodyErrors

/// Why a report could not be made, and what to do about it.
public typealias ReportError = CustodyFailure<ReportErrorCode>

/// What went wrong, as a value to compare (`ReportError.code`).
public struct ReportErrorCode: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// The case folder does not exist or is not a case folder.
    public static let caseFolderUnusable = Self(name: "caseFolderUnusable")
    /// An account asked for has no folder in the case.
    public static let accountUnknown = Self(name: "accountUnknown")
    /// `baseline` and `current` must be given together, and be archives of one account.
    public static let comparisonInvalid = Self(name: "comparisonInvalid")
    /// No archive of the accounts verified, so there is nothing to report on.
    public static let nothingVerified = Self(name: "nothingVerified")
    /// Reading the evidence failed.
    public static let evidenceUnreadable = Self(name: "evidenceUnreadable")
    /// The output folder cannot take the report: it is a file, already holds a report, or cannot be written.
    public static let outputUnusable = Self(name: "outputUnusable")
    /// The report names no account or no time, so there is nothing to seal it as.
    public static let unsealable = Self(name: "unsealable")
    /// A file of the report could not be encoded, so none was written.
    public static let encodingFailed = Self(name: "encodingFailed")

    /// The code's name.
    public var description: String { name }
}
