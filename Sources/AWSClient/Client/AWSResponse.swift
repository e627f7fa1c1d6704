public import CustodyJSON
public import Foundation

/// An answer exactly as it arrived, with what was asked: what a collector stores for every call.
///
/// `body` holds the bytes AWS sent, except that STS answers carrying credentials have their secret key and
/// session token replaced by `<redacted>` (secrets are never stored), and downloads leave it empty and name
/// the file instead.
public struct RawResponse: Hashable, Sendable {
    /// The service's endpoint prefix, such as `iam`.
    public let service: String
    /// The region the call was made in (for global services, the client's region).
    public let region: String
    /// The operation, such as `ListUsers`.
    public let action: String
    /// The parameters sent, by wire name; secrets (web identity tokens) are redacted.
    public let parameters: JSONValue
    /// The HTTP status.
    public let statusCode: Int
    /// The answer's header fields.
    public let headers: HTTPHeaders
    /// The body bytes as received.
    public let body: Data
    /// The file a streamed body was written to.
    public let bodyFile: URL?
    /// The request id AWS gave.
    public let requestId: String?
    /// When the answer arrived.
    public let receivedAt: Date
    /// How many attempts the call took.
    public let attempts: Int
    /// The endpoint the call went to.
    public let endpoint: String
}

/// A parsed answer and the raw answer it was parsed from.
public struct AWSResponse<Output: Sendable>: Sendable {
    /// The parsed answer.
    public let output: Output
    /// The answer as received.
    public let raw: RawResponse

    /// Pairs a parsed answer with its raw answer.
    public init(output: Output, raw: RawResponse) {
        self.output = output
        self.raw = raw
    }

    /// The request id AWS gave.
    public var requestId: String? { raw.requestId }
}
