public import Foundation
import CustodyCrypto

/// Signs requests with AWS Signature Version 4, header form, as botocore's `SigV4Auth` and `S3SigV4Auth` do.
///
/// The standard variant removes dot segments and repeated slashes from the path and percent-encodes it a second
/// time; the S3 variant signs the path exactly as sent and adds `x-amz-content-sha256`. A session token is sent
/// as `X-Amz-Security-Token` and, by default, signed. HMAC and SHA-256 come from `CustodyCrypto`.
public struct SigV4Signer: Sendable {
    /// Which rules for the canonical request apply.
    public enum Variant: Sendable, Hashable {
        /// Every service but S3.
        case standard
        /// S3: no path normalisation, a single encoding, and the payload hash sent as `x-amz-content-sha256`.
        case s3
    }

    /// What was signed, for tests and debugging; holds no secret.
    public struct Signature: Sendable, Hashable {
        /// The canonical request.
        public let canonicalRequest: String
        /// The string to sign.
        public let stringToSign: String
        /// The `Authorization` header value.
        public let authorization: String
        /// The signed request.
        public let request: HTTPRequest
    }

    /// Headers never signed, as botocore leaves them out (hop-by-hop headers and ones proxies rewrite).
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    /// The SHA-256 of an empty payload.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The signing name of the service, such as `iam` or `s3`.
    public var service: String
    /// The region in the credential scope.
    public var region: String
    /// The canonicalisation rules.
    public var variant: Variant
    /// Whether `X-Amz-Security-Token` is part of the signature (true for every service Custody calls).
    public var signsSessionToken: Bool

    /// Makes a signer for one service and region.
    public init(service: String, region: String, variant: Variant = .standard, signsSessionToken: Bool = true) {
        self.service = service
        self.region = region
        self.variant = variant
        self.signsSessionToken = signsSessionToken
    }

    /// Signs `request` at `date`: sets `X-Amz-Date` (or rewrites `Date` when the request carries one),
    /// `X-Amz-Security-Token`, `x-amz-content-sha256` for S3, and `Authorization`.
    public func sign(_ request: HTTPRequest, credentials: AWSCredentials, date: Date) -> HTTPRequest {
        signature(for: request, credentials: credentials, date: date).request
    }

    /// Signs `request` and returns the intermediate strings with the signed request.
    public func signature(for request: HTTPRequest, credentials: AWSCredentials, date: Date) -> Signature {
        var request = request
        let timestamp = Self.timestamp(date)
        request.headers.remove("Authorization")
        if request.headers.contains("Date") {
            request.headers.set("Date", Self.httpDate(date))
            request.headers.remove("X-Amz-Date")
        } else {
            request.headers.set("X-Amz-Date", timestamp)
        }
        if let token = credentials.sessionToken, signsSessionToken {
            request.headers.set("X-Amz-Security-Token", token)
        }
        if variant == .s3 {
            request.headers.set("X-Amz-Content-SHA256", Self.payloadHash(request.body))
        }
        let canonical = canonicalRequest(for: request)
        let scope = "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(SHA256.hash(Array(canonical.utf8)).hex)"
        let key = signingKey(secret: credentials.secretAccessKey, day: String(timestamp.prefix(8)))
        let signature = Hex.encode(HMACSHA256.authenticationCode(key: key, message: Array(stringToSign.utf8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(signedHeaderNames(request).joined(separator: ";")), Signature=\(signature)"
        request.headers.set("Authorization", authorization)
        if let token = credentials.sessionToken, !signsSessionToken {
            request.headers.set("X-Amz-Security-Token", token)
        }
        return Signature(
            canonicalRequest: canonical, stringToSign: stringToSign, authorization: authorization, request: request)
    }

    /// The canonical request for `request` as it stands (its date and token headers already set).
    public func canonicalRequest(for request: HTTPRequest) -> String {
        let headers = canonicalHeaders(request)
        let payload = request.headers["X-Amz-Content-SHA256"] ?? Self.payloadHash(request.body)
        return [
            request.method.uppercased(),
            canonicalURI(request.path),
            canonicalQuery(request.query),
            headers.map { "\($0.name):\($0.value)" }.joined(separator: "\n") + "\n",
            headers.map(\.name).joined(separator: ";"),
            payload,
        ].joined(separator: "\n")
    }

    /// The hex SHA-256 of a payload.
    public static func payloadHash(_ body: Data) -> String {
        body.isEmpty ? emptyPayloadHash : SHA256.hash(body).hex
    }

    func canonicalURI(_ path: String) -> String {
        switch variant {
        case .s3: return path.isEmpty ? "/" : path
        case .standard: return URIEncoding.encode(Self.removeDotSegments(path.isEmpty ? "/" : path), keepSlash: true)
        }
    }

    /// RFC 3986 dot-segment removal that also collapses repeated slashes, as AWS requires and botocore does.
    static func removeDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                continue
            }
            output.append(segment)
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = URIEncoding.encode(URIEncoding.decode(String(parts[0])))
            let value = parts.count > 1 ? URIEncoding.encode(URIEncoding.decode(String(parts[1]))) : ""
            return (name, value)
        }
        return pairs.sorted { lhs, rhs in
            lhs.0 != rhs.0
                ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
        }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    private func signedHeaderNames(_ request: HTTPRequest) -> [String] {
        canonicalHeaders(request).map(\.name)
    }

    private func canonicalHeaders(_ request: HTTPRequest) -> [(name: String, value: String)] {
        var grouped: [String: [String]] = [:]
        for field in request.headers {
            let name = field.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            grouped[name, default: []].append(Self.trimAll(field.value))
        }
        if grouped["host"] == nil { grouped["host"] = [request.hostHeader] }
        return grouped.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
            (name, grouped[name]!.joined(separator: ","))
        }
    }

    /// Trims a header value and folds each run of whitespace into one space (SigV4's Trimall).
    static func trimAll(_ value: String) -> String {
        value.unicodeScalars.split(whereSeparator: isSpace).map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }

    // Python's str.split() whitespace, which botocore uses: Unicode White_Space plus the ASCII separators 0x1C-0x1F.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    private func signingKey(secret: String, day: String) -> [UInt8] {
        let dateKey = HMACSHA256.authenticationCode(key: Array("AWS4\(secret)".utf8), message: Array(day.utf8))
        let regionKey = HMACSHA256.authenticationCode(key: dateKey, message: Array(region.utf8))
        let serviceKey = HMACSHA256.authenticationCode(key: regionKey, message: Array(service.utf8))
        return HMACSHA256.authenticationCode(key: serviceKey, message: Array("aws4_request".utf8))
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        let parts = utcParts(date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    /// An RFC 2822 date with a `-0000` zone, exactly as botocore (`email.utils.formatdate`) writes a `Date` header.
    static func httpDate(_ date: Date) -> String {
        let parts = utcParts(date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = String(format: "%02d", parts.day)
        let time = String(format: "%04d %02d:%02d:%02d", parts.year, parts.hour, parts.minute, parts.second)
        return "\(days[parts.weekday - 1]), \(day) \(months[parts.month - 1]) \(time) -0000"
    }

    private static func utcParts(_ date: Date) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int
    ) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        return (c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, c.weekday!)
    }
}
