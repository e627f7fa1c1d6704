import Foundation

/// Credentials for a role assumed with a web identity token (EKS, GitHub Actions …) through STS
/// `AssumeRoleWithWebIdentity`, which is not signed: `web_identity_token_file`, `role_arn` and
/// `role_session_name` in the profile, else `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME`. The token file is read again on every refresh, as it rotates.
public struct WebIdentityCredentialProvider: CredentialProvider {
    /// The profile.
    public let profile: String
    /// Whether the environment variables are read when the profile has no token file.
    public let readsEnvironment: Bool

    /// A provider for `profile`.
    public init(profile: String, readsEnvironment: Bool = true) {
        self.profile = profile
        self.readsEnvironment = readsEnvironment
    }

    /// Assumes the role, or `.notFound` when no token file is configured.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        let section = client.sharedConfig.profile(profile)
        let environment = readsEnvironment ? client.configuration.environment : [:]
        let fromProfile = section["web_identity_token_file"] != nil
        guard let tokenFile = section["web_identity_token_file"] ?? environment["AWS_WEB_IDENTITY_TOKEN_FILE"],
            !tokenFile.isEmpty
        else {
            return .notFound("web identity (no web_identity_token_file or AWS_WEB_IDENTITY_TOKEN_FILE)")
        }
        guard let roleArn = fromProfile ? section["role_arn"] : environment["AWS_ROLE_ARN"], !roleArn.isEmpty else {
            throw AWSClientError(
                .invalidConfiguration,
                "A web identity token file is set (\(tokenFile)) without a role ARN: set role_arn or AWS_ROLE_ARN.")
        }
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
        } catch {
            throw AWSClientError(
                .credentialProviderFailed, "Could not read the web identity token file \(tokenFile): check the path.")
        }
        let sessionName =
            (fromProfile ? section["role_session_name"] : environment["AWS_ROLE_SESSION_NAME"])
            ?? "custody-\(Int(client.configuration.clock.now().timeIntervalSince1970))"
        do {
            let response = try await client.sts.assumeRoleWithWebIdentity(
                roleArn: roleArn, roleSessionName: sessionName, webIdentityToken: token)
            guard let credentials = response.output.credentials else {
                throw AWSClientError(.invalidResponse, "STS AssumeRoleWithWebIdentity returned no credentials.")
            }
            let account = response.output.assumedRoleUser?.arn.flatMap(AssumeRoleCredentialProvider.accountId(fromARN:))
            return .found(
                ResolvedCredentials(
                    credentials: AWSCredentials(
                        accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
                        sessionToken: credentials.sessionToken, expiration: credentials.expiration,
                        accountId: account),
                    source: "web-identity (\(roleArn))"))
        } catch let error as AWSServiceError {
            throw AWSClientError(
                .credentialProviderFailed, "Could not assume \(roleArn) with the web identity token: \(error)",
                underlying: error)
        }
    }
}
