public import Foundation

/// An access key, its secret and, for temporary credentials, the session token and expiry.
///
/// The secret key and session token are never shown: `description`, `debugDescription` and the mirror that
/// `dump` and `print` use all leave them out; the access key id, which is not secret, is shown.
public struct AWSCredentials: Hashable, Sendable, Codable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id, such as `AKIA…` or `ASIA…`.
    public let accessKeyId: String
    /// The secret access key. Never log or print it.
    public let secretAccessKey: String
    /// The session token of temporary credentials. Never log or print it.
    public let sessionToken: String?
    /// When temporary credentials expire; nil for long-term keys.
    public let expiration: Date?
    /// The account the credentials belong to, when the provider said.
    public let accountId: String?

    /// Makes credentials.
    public init(
        accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
        accountId: String? = nil
    ) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.expiration = expiration
        self.accountId = accountId.flatMap { $0.isEmpty ? nil : $0 }
    }

    enum CodingKeys: String, CodingKey {
        case accessKeyId = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case sessionToken = "SessionToken"
        case expiration = "Expiration"
    }

    /// Decodes STS's `Credentials` shape (`AccessKeyId`, `SecretAccessKey`, `SessionToken`, `Expiration`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            accessKeyId: try container.decode(String.self, forKey: .accessKeyId),
            secretAccessKey: try container.decode(String.self, forKey: .secretAccessKey),
            sessionToken: try container.decodeIfPresent(String.self, forKey: .sessionToken),
            expiration: try container.decodeIfPresent(Date.self, forKey: .expiration))
    }

    /// Encodes the access key id and expiry only: secrets are never written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accessKeyId, forKey: .accessKeyId)
        try container.encodeIfPresent(expiration, forKey: .expiration)
    }

    /// Whether the credentials expire within `margin` of `now`.
    public func expires(within margin: TimeInterval, of now: Date) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }

    /// The access key id and whether a session token is present; never the secrets.
    public var description: String {
        var text = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>"
        if sessionToken != nil { text += ", sessionToken: <redacted>" }
        if let expiration { text += ", expiration: \(expiration)" }
        return text + ")"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// A mirror without the secrets, for `dump` and reflection.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": accessKeyId, "secretAccessKey": "<redacted>",
                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
                "expiration": expiration.map { "\($0)" } ?? "nil", "accountId": accountId ?? "nil",
            ])
    }

    /// `message` with the secret key and session token replaced by `<redacted>`, for text that came from
    /// outside (an AWS error message, a process's output) and might echo them.
    public func redacting(_ message: String) -> String {
        var text = message
        for secret in [secretAccessKey, sessionToken ?? ""] where secret.count >= 8 {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return text
    }
}
