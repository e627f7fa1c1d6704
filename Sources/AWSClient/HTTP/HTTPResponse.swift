public import Foundation

/// An HTTP response: status, header fields and body bytes exactly as received.
public struct HTTPResponse: Hashable, Sendable {
    /// The status code.
    public var statusCode: Int
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body bytes, exactly as received; empty when the body was written to a file.
    public var body: Data

    /// Makes a response.
    public init(statusCode: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(statusCode) }
}
