import Foundation

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (or the older
/// `AWS_SECURITY_TOKEN`), `AWS_CREDENTIAL_EXPIRATION` and `AWS_ACCOUNT_ID`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    /// The provider.
    public init() {}

    /// The environment's credentials, or `.notFound` when `AWS_ACCESS_KEY_ID` is not set.
    /// - Throws: `AWSClientError.Code.credentialProviderFailed` when only one of the key pair is set.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        let environment = client.configuration.environment
        let keyId = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (keyId, secret) {
        case (nil, nil):
            return .notFound("environment variables (AWS_ACCESS_KEY_ID is not set)")
        case (let keyId?, nil):
            throw AWSClientError(
                .credentialProviderFailed,
                "AWS_ACCESS_KEY_ID is set (\(keyId)) but AWS_SECRET_ACCESS_KEY is not: set both or neither.")
        case (nil, _?):
            throw AWSClientError(
                .credentialProviderFailed,
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both or neither.")
        case (let keyId?, let secret?):
            let token = environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
            let expiration = environment["AWS_CREDENTIAL_EXPIRATION"].flatMap(Timestamps.parse)
            return .found(
                ResolvedCredentials(
                    credentials: AWSCredentials(
                        accessKeyId: keyId, secretAccessKey: secret, sessionToken: token, expiration: expiration,
                        accountId: environment["AWS_ACCOUNT_ID"]),
                    source: "environment"))
        }
    }
}
