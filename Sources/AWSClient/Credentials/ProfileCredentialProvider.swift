/// Long-term or temporary keys written in a profile: `aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`, `aws_account_id`, read from the credentials file or from the config file.
public struct ProfileCredentialProvider: CredentialProvider {
    /// Which shared file to read.
    public enum File: Sendable {
        /// `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`).
        case credentials
        /// `~/.aws/config` (`AWS_CONFIG_FILE`).
        case config
    }

    /// The profile.
    public let profile: String
    /// The file.
    public let file: File

    /// A provider for `profile` in `file`.
    public init(profile: String, file: File) {
        self.profile = profile
        self.file = file
    }

    /// The profile's keys, or `.notFound`.
    /// - Throws: `AWSClientError.Code.credentialProviderFailed` when the profile has a key id without a secret.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        let shared = client.sharedConfig
        let section = file == .credentials ? shared.credentialProfiles[profile] : shared.configProfiles[profile]
        let path = file == .credentials ? shared.credentialsPath : shared.configPath
        let label = file == .credentials ? "shared-credentials-file" : "config-file"
        guard let section, let keyId = section["aws_access_key_id"] else {
            return .notFound("\(label) (no aws_access_key_id for profile '\(profile)' in \(path))")
        }
        guard let secret = section["aws_secret_access_key"] else {
            throw AWSClientError(
                .credentialProviderFailed,
                "Profile '\(profile)' in \(path) has aws_access_key_id \(keyId) but no aws_secret_access_key: add it.")
        }
        return .found(
            ResolvedCredentials(
                credentials: AWSCredentials(
                    accessKeyId: keyId, secretAccessKey: secret,
                    sessionToken: section["aws_session_token"] ?? section["aws_security_token"],
                    accountId: section["aws_account_id"]),
                source: "\(label) (profile \(profile))"))
    }

    /// The keys written in `section`, if any (credentials-file values win, as they are merged over config).
    static func staticKeys(_ section: ConfigSection) -> AWSCredentials? {
        guard let keyId = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
            return nil
        }
        return AWSCredentials(
            accessKeyId: keyId, secretAccessKey: secret,
            sessionToken: section["aws_session_token"] ?? section["aws_security_token"],
            accountId: section["aws_account_id"])
    }
}
