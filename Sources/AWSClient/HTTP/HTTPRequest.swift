public import Foundation

/// An HTTP request as it goes on the wire: the path and query are already percent-encoded.
///
/// Kept as parts rather than a `URL` so that the signer sees exactly the bytes that are sent, including paths
/// Foundation would refuse or normalise.
public struct HTTPRequest: Hashable, Sendable {
    /// The method, such as `GET` or `POST`.
    public var method: String
    /// `https`, or `http` for a local endpoint.
    public var scheme: String
    /// The host name or address, without brackets for IPv6.
    public var host: String
    /// The port, when it is not the scheme's default.
    public var port: Int?
    /// The path, percent-encoded as it is sent; `/` at least.
    public var path: String
    /// The query string without `?`, percent-encoded as it is sent; empty when there is none.
    public var query: String
    /// The header fields; `Host` is added by the transport.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Data

    /// Makes a request.
    public init(
        method: String, scheme: String = "https", host: String, port: Int? = nil, path: String = "/",
        query: String = "", headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()
    ) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of the `Host` header: the lowercased host, with the port when it is not the scheme's default.
    public var hostHeader: String {
        var value = host.contains(":") ? "[\(host.lowercased())]" : host.lowercased()
        if let port, port != (scheme == "https" ? 443 : 80) { value += ":\(port)" }
        return value
    }

    /// The full URL, or nil when the parts do not make one.
    public var url: URL? {
        URL(string: "\(scheme)://\(hostHeader)\(path)\(query.isEmpty ? "" : "?" + query)")
    }

    /// Whether the host is on the loopback interface (127.0.0.0/8, `::1`, `localhost`).
    public var isLoopback: Bool { Self.isLoopback(host: host) }

    /// Whether `host` is on the loopback interface (127.0.0.0/8, `::1`, `localhost`).
    public static func isLoopback(host: String) -> Bool {
        let lower = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return lower == "localhost" || lower == "::1" || lower.hasPrefix("127.")
    }
}
