import Foundation

/// Where a service's requests go and which region they are signed for.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// `https`, or `http` for a local endpoint.
    public var scheme: String
    /// The host.
    public var host: String
    /// The port when not the scheme's default.
    public var port: Int?
    /// A path prefix every request path goes under; empty for AWS's own endpoints.
    public var basePath: String
    /// The region in the SigV4 credential scope.
    public var signingRegion: String
    /// Where the endpoint came from: `default`, `--endpoint-url`, `AWS_ENDPOINT_URL_S3`, `profile prod` ….
    public var source: String

    /// Makes an endpoint.
    public init(
        scheme: String, host: String, port: Int? = nil, basePath: String = "", signingRegion: String,
        source: String
    ) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
        self.signingRegion = signingRegion
        self.source = source
    }

    /// Whether the endpoint is one the user configured rather than AWS's standard one.
    public var isCustom: Bool { source != "default" }

    /// The endpoint as a URL string.
    public var description: String {
        var text = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host)"
        if let port { text += ":\(port)" }
        return text + basePath
    }

    /// Parses an endpoint URL such as `http://127.0.0.1:5000` or `https://vpce-1.iam.example/base`.
    /// - Throws: `AWSClientError.Code.invalidConfiguration` when the text is not an http(s) URL with a host.
    public static func parse(_ text: String, signingRegion: String, source: String) throws -> Endpoint {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let invalid = AWSClientError(
            .invalidConfiguration,
            "The endpoint URL '\(trimmed)' from \(source) is not valid: give a URL such as https://host or "
                + "http://127.0.0.1:5000.")
        guard let schemeEnd = trimmed.range(of: "://") else { throw invalid }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw invalid }
        let rest = trimmed[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var path = String(rest.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" })
        while path.hasSuffix("/") { path.removeLast() }
        var host = String(authority)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()) else { throw invalid }
                port = value
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { throw invalid }
            port = value
            host = String(host[..<colon])
        }
        guard !host.isEmpty, !host.contains("@") else { throw invalid }
        if port == (scheme == "https" ? 443 : 80) { port = nil }
        return Endpoint(
            scheme: scheme, host: host.lowercased(), port: port, basePath: path, signingRegion: signingRegion,
            source: source)
    }
}
