public import CustodyErrors

/// An error raised by Custody's AWS client itself: an operation refused, credentials not found, a connection
/// lost, retries exhausted.
///
/// Errors that AWS returned are ``AWSServiceError``; when retries run out on one, it is the `underlying` error
/// here. Two errors are equal when their codes are, so tests can compare against an error they build.
/// No secret key or session token ever reaches `message` or `description`.
public struct AWSClientError: CustodyError {
    /// What went wrong, as a value to compare.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The operation is not on the read-only allow-list; nothing was sent.
        public static let operationNotAllowed = Code(name: "operationNotAllowed")
        /// No credential provider in the chain found credentials.
        public static let credentialsNotFound = Code(name: "credentialsNotFound")
        /// A credential provider was configured but could not produce credentials.
        public static let credentialProviderFailed = Code(name: "credentialProviderFailed")
        /// The named profile is in neither the config nor the credentials file.
        public static let profileNotFound = Code(name: "profileNotFound")
        /// The role needs an MFA token code and there is no way to ask for one.
        public static let mfaTokenRequired = Code(name: "mfaTokenRequired")
        /// A configuration file, environment variable or option holds a value that cannot be used.
        public static let invalidConfiguration = Code(name: "invalidConfiguration")
        /// No endpoint is known for the service in the region.
        public static let endpointNotFound = Code(name: "endpointNotFound")
        /// The connection could not be made.
        public static let connectionFailed = Code(name: "connectionFailed")
        /// The connection dropped before the answer was complete.
        public static let connectionLost = Code(name: "connectionLost")
        /// No answer came within the time allowed for one attempt.
        public static let timedOut = Code(name: "timedOut")
        /// Every attempt failed with a retryable error, or the time limit ran out.
        public static let retriesExhausted = Code(name: "retriesExhausted")
        /// The answer could not be parsed.
        public static let invalidResponse = Code(name: "invalidResponse")
        /// A file could not be read or written.
        public static let fileError = Code(name: "fileError")

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A full sentence saying what went wrong.
    public let message: String
    /// A full sentence saying what to do, when `message` does not already say.
    public let remedy: String?
    /// The error that caused this one, when there is one (for `retriesExhausted`, the last attempt's error).
    public let underlying: (any Error)?
    /// How many attempts were made, for errors raised by the retry loop; 0 otherwise.
    public let attempts: Int
    /// Where the error was raised.
    public let fileID: String
    /// Where the error was raised.
    public let line: Int

    /// Makes an error.
    public init(
        _ code: Code, _ message: String, remedy: String? = nil, underlying: (any Error)? = nil, attempts: Int = 0,
        fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.underlying = underlying
        self.attempts = attempts
        self.fileID = fileID
        self.line = line
    }

    /// The explanation, followed by the underlying error's description when there is one.
    public var description: String {
        guard let underlying else { return explanation }
        return "\(explanation) Last error: \(FailureText.describe(underlying))"
    }
}
