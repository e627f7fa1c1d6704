public import CustodyErrors

/// An error that stops sealing, reading or extracting an archive.
///
/// Verification problems are not errors: they are collected as `VerificationProblem`s so that
/// one never hides another. An `ArchiveError` means the operation itself could not go on.
/// Two errors are equal when their codes are.
public struct ArchiveError: CustodyError {
    /// What went wrong, as a value to compare.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The case folder cannot be read or created.
        public static let caseFolderUnusable = Code(name: "caseFolderUnusable")
        /// An account id is not 12 digits.
        public static let invalidAccount = Code(name: "invalidAccount")
        /// A member name is unsafe or cannot be written.
        public static let invalidMemberName = Code(name: "invalidMemberName")
        /// Two members would have the same name.
        public static let duplicateMember = Code(name: "duplicateMember")
        /// An input file or folder cannot be read.
        public static let inputUnreadable = Code(name: "inputUnreadable")
        /// An input file changed size while it was being sealed.
        public static let inputChanged = Code(name: "inputChanged")
        /// The previous archive of the chain cannot be read.
        public static let previousUnreadable = Code(name: "previousUnreadable")
        /// Writing the archive failed.
        public static let writeFailed = Code(name: "writeFailed")
        /// Reading the archive failed.
        public static let readFailed = Code(name: "readFailed")
        /// The archive does not verify, so it is not extracted.
        public static let verificationFailed = Code(name: "verificationFailed")
        /// The extraction target cannot be used.
        public static let extractTargetUnusable = Code(name: "extractTargetUnusable")
        /// The case has a public key whose private half is not in the key store.
        public static let caseKeyUnavailable = Code(name: "caseKeyUnavailable")
        /// Another process holds the account's lock.
        public static let locked = Code(name: "locked")
        /// Gzip data expands to more than the `DecompressedSizeLimit` allows.
        public static let decompressedTooLarge = Code(name: "decompressedTooLarge")

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

    /// The explanation, with the underlying error's description when there is one.
    public var description: String {
        guard let underlying else { return explanation }
        return "\(explanation) (\(underlying))"
    }
}
