public import CustodyErrors

/// An error that AWS answered with: its code (`AccessDenied`, `Throttling`, `SignatureDoesNotMatch` …), message
/// and request id, with the HTTP status and the call it answered.
///
/// Its `code` is AWS's own, a string, as AWS adds codes of its own accord. Two errors are equal when their AWS codes
/// are, so tests can write `#expect(throws: AWSServiceError(code: "AccessDenied"))`.
public struct AWSServiceError: CustodyError {
    /// The AWS error code, such as `AccessDenied`.
    public let code: String
    /// The message AWS gave, with any credential of the call removed; it may be empty.
    public let message: String
    /// The request id AWS gave, for support cases and for matching CloudTrail.
    public let requestId: String?
    /// The HTTP status of the answer.
    public let statusCode: Int
    /// The service called, such as `iam`.
    public let service: String
    /// The operation called, such as `ListUsers`.
    public let operation: String
    /// The raw body AWS sent with the error.
    public let body: [UInt8]
    /// Where the answer was turned into this error.
    public let fileID: String
    /// Where the answer was turned into this error.
    public let line: Int

    /// Makes an error; tests build one with only a code to compare against.
    public init(
        code: String, message: String = "", requestId: String? = nil, statusCode: Int = 400, service: String = "",
        operation: String = "", body: [UInt8] = [], fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.requestId = requestId
        self.statusCode = statusCode
        self.service = service
        self.operation = operation
        self.body = body
        self.fileID = fileID
        self.line = line
    }

    /// None: what to do about an answer of AWS depends on the call it answered, so whoever made the call says it
    /// (`PreflightAdvice`, a coverage entry's error).
    public var remedy: String? { nil }

    /// None: AWS's answer is the cause itself.
    public var underlying: (any Error)? { nil }

    /// A sentence naming the call, the code, AWS's message and the request id.
    public var description: String {
        var text = "\(service.isEmpty ? "" : service + " ")\(operation.isEmpty ? "AWS" : operation) failed with \(code)"
        text += " (HTTP \(statusCode))"
        if !message.isEmpty { text += ": \(message)" }
        if !text.hasSuffix(".") { text += "." }
        if let requestId { text += " Request id \(requestId)." }
        return text
    }

    /// Codes AWS uses when the caller lacks a permission.
    public static let accessDeniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError",
        "Forbidden", "NotAuthorized", "UnauthorizedException",
    ]

    /// Codes AWS uses for throttling.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// Codes AWS uses for a failure on its side that a later attempt may not meet.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalServerError",
        "ServiceUnavailable", "ServiceUnavailableException", "IDPCommunicationError",
    ]

    /// Whether the caller lacked a permission. A refusal of the credentials themselves
    /// (`isCredentialProblem`, such as EC2's `AuthFailure`) is not a denial: the caller was never known.
    public var isAccessDenied: Bool { Self.accessDeniedCodes.contains(code) }

    /// Whether AWS throttled the call.
    public var isThrottling: Bool { Self.throttlingCodes.contains(code) || statusCode == 429 }

    /// Whether a later attempt may succeed: throttling, a 5xx answer, a transient code.
    public var isRetryable: Bool { isThrottling || statusCode >= 500 || Self.transientCodes.contains(code) }

    /// Whether the credentials themselves were refused (unknown key, wrong secret, expired token).
    public var isCredentialProblem: Bool {
        [
            "SignatureDoesNotMatch", "InvalidClientTokenId", "InvalidAccessKeyId", "ExpiredToken",
            "ExpiredTokenException", "UnrecognizedClientException", "InvalidSignatureException", "AuthFailure",
            "RequestExpired", "TokenRefreshRequired",
        ].contains(code)
    }
}
