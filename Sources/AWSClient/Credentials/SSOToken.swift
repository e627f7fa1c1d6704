import CustodyJSON
import Foundation

/// The IAM Identity Center token that `aws sso login` leaves in `~/.aws/sso/cache/<key>.json`: `accessToken`
/// and `expiresAt`, and for `sso_session` profiles what refreshes it (`refreshToken`, `clientId`,
/// `clientSecret`, `registrationExpiresAt`), with `region` and `startUrl`.
///
/// The file's whole object is kept, so that a refreshed token written back loses nothing Custody does not read.
/// `description` names no token and no client secret.
struct SSOToken: Sendable, CustomStringConvertible {
    /// The cache file's object, as read (or as refreshed).
    var document: [String: JSONValue]
    /// The bearer token the portal takes.
    var accessToken: String
    /// When the access token expires.
    var expiresAt: Date

    /// The OIDC refresh token, when the sign-in left one.
    var refreshToken: String? { document["refreshToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    /// The registered OIDC client, when the sign-in left one.
    var clientId: String? { document["clientId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    /// The registered OIDC client's secret.
    var clientSecret: String? { document["clientSecret"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    /// When the OIDC client registration expires; past it, the token cannot be refreshed.
    var registrationExpiresAt: Date? { document["registrationExpiresAt"]?.stringValue.flatMap(Self.parseTime) }

    /// The secrets it holds, for redacting text that came from outside.
    var secrets: [String] { [accessToken, refreshToken ?? "", clientSecret ?? ""] }

    /// Reads a token object.
    /// - Throws: a sentence saying what is wrong with it (never its content).
    init(document: [String: JSONValue]) throws(SSOTokenProblem) {
        guard let token = document["accessToken"]?.stringValue, !token.isEmpty else {
            throw SSOTokenProblem("it has no accessToken")
        }
        guard let text = document["expiresAt"]?.stringValue else { throw SSOTokenProblem("it has no expiresAt") }
        guard let expiry = Self.parseTime(text) else {
            throw SSOTokenProblem("its expiresAt '\(text.prefix(40))' is not a time")
        }
        self.document = document
        self.accessToken = token
        self.expiresAt = expiry
    }

    /// The token after an OIDC `CreateToken` answered `accessToken`, `expiresIn` and maybe a new `refreshToken`,
    /// with the fields botocore's `SSOTokenProvider` writes.
    func refreshed(accessToken: String, expiresAt: Date, refreshToken: String?, sso: SSOProfile) -> SSOToken {
        var document = self.document
        document["startUrl"] = .string(sso.startURL)
        document["region"] = .string(sso.region)
        document["accessToken"] = .string(accessToken)
        document["expiresAt"] = .string(UTCTimestamp(expiresAt).iso8601)
        if let refreshToken, !refreshToken.isEmpty { document["refreshToken"] = .string(refreshToken) }
        var copy = self
        copy.document = document
        copy.accessToken = accessToken
        copy.expiresAt = expiresAt
        return copy
    }

    /// `text` with every secret of the token replaced by `<redacted>`.
    func redacting(_ text: String) -> String {
        var result = text
        for secret in secrets where secret.count >= 8 {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return result
    }

    /// The expiry only.
    var description: String { "SSOToken(expiresAt: \(UTCTimestamp(expiresAt).iso8601), secrets: <redacted>)" }

    /// The time forms the AWS CLI has written: RFC 3339 (`2024-01-02T03:04:05Z`, with a fraction or an offset),
    /// and older CLIs' `2024-01-02T03:04:05UTC`.
    static func parseTime(_ text: String) -> Date? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("UTC") { trimmed = String(trimmed.dropLast(3)) + "Z" }
        return UTCTimestamp(parsing: trimmed, allowing: [.zoneless, .spaceSeparator])?.date
    }
}

/// Why a token cache file cannot be used, without its content.
struct SSOTokenProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Reads and writes the AWS CLI's token cache files.
enum SSOTokenCache {
    /// The token at `path`, or nil when there is no file.
    /// - Throws: `SSOTokenProblem` when the file cannot be read or is not a token.
    static func read(_ path: String) throws(SSOTokenProblem) -> SSOToken? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSOTokenProblem("it cannot be read")
        }
        guard data.count <= 1 << 20, case .object(let document)? = try? JSONValue.parse(data) else {
            throw SSOTokenProblem("it is not a JSON object")
        }
        return try SSOToken(document: document)
    }

    /// Replaces the file at `path` with `token` as the AWS CLI does (botocore `JSONFileCache`): written to a
    /// new file in the same folder, readable by its owner only (0600), flushed, then renamed over the old one,
    /// so a reader sees the old token or the new one, never half of one.
    /// - Throws: `AWSClientError.Code.fileError`.
    static func write(_ token: SSOToken, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(JSONValue.object(token.document))
        } catch {
            throw AWSClientError(.fileError, "Could not encode the refreshed IAM Identity Center token.")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = "\(folder)/.\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw AWSClientError(
                .fileError, "Could not write the refreshed IAM Identity Center token in \(folder): \(errnoText()).")
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errnoText()
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errnoText() }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = errnoText() }
        if let failure {
            unlink(temporary)
            throw AWSClientError(
                .fileError, "Could not write the refreshed IAM Identity Center token to \(path): \(failure).")
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
