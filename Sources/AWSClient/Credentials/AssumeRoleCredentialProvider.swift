import Foundation

/// Credentials of a role, assumed with STS `AssumeRole` using another client's credentials; refreshed by the
/// client's cache before they expire. This is how `--account … --role-name …` reaches each account.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    /// The role and how to assume it.
    public struct Role: Hashable, Sendable {
        /// The role's ARN.
        public var arn: String
        /// The session name, which CloudTrail records; `custody-<epoch seconds>` when nil.
        public var sessionName: String?
        /// The external id the role's trust policy requires, if any.
        public var externalId: String?
        /// The session length in seconds; STS's default (one hour) when nil.
        public var durationSeconds: Int?
        /// The MFA device the role requires, if any.
        public var mfaSerial: String?

        /// Describes a role to assume.
        public init(
            arn: String, sessionName: String? = nil, externalId: String? = nil, durationSeconds: Int? = nil,
            mfaSerial: String? = nil
        ) {
            self.arn = arn
            self.sessionName = sessionName
            self.externalId = externalId
            self.durationSeconds = durationSeconds
            self.mfaSerial = mfaSerial
        }
    }

    /// The role.
    public let role: Role
    /// The client whose credentials assume it.
    public let source: AWS

    /// A provider assuming `role` with `source`'s credentials.
    public init(role: Role, source: AWS) {
        self.role = role
        self.source = source
    }

    /// Assumes the role.
    /// - Throws: `AWSClientError.Code.credentialProviderFailed` with the STS error when the role cannot be assumed.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        let credentials = try await Self.assume(role, with: source, clock: client.configuration.clock, context: "")
        let sourceName = (try? await source.credentials().source) ?? "source credentials"
        return .found(
            ResolvedCredentials(credentials: credentials, source: "assume-role (\(role.arn) from \(sourceName))"))
    }

    static func assume(_ role: Role, with source: AWS, clock: any AWSClock, context: String) async throws
        -> AWSCredentials
    {
        var tokenCode: String?
        if let serial = role.mfaSerial {
            guard let ask = source.configuration.mfaTokenCode else {
                throw AWSClientError(
                    .mfaTokenRequired,
                    "\(context)Role \(role.arn) requires an MFA code from \(serial), and Custody cannot ask for one "
                        + "here: export temporary credentials made with that code (for example from `aws sts "
                        + "get-session-token --serial-number \(serial) --token-code …`) or use a profile without "
                        + "mfa_serial.")
            }
            tokenCode = try await ask(serial)
        }
        let sessionName = role.sessionName ?? "custody-\(Int(clock.now().timeIntervalSince1970))"
        do {
            let response = try await source.sts.assumeRole(
                roleArn: role.arn, roleSessionName: sessionName, externalId: role.externalId,
                durationSeconds: role.durationSeconds, serialNumber: role.mfaSerial, tokenCode: tokenCode)
            guard let credentials = response.output.credentials else {
                throw AWSClientError(.invalidResponse, "STS AssumeRole for \(role.arn) returned no credentials.")
            }
            let account = response.output.assumedRoleUser?.arn.flatMap(Self.accountId(fromARN:))
            return AWSCredentials(
                accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
                sessionToken: credentials.sessionToken, expiration: credentials.expiration,
                accountId: account ?? Self.accountId(fromARN: role.arn))
        } catch let error as AWSServiceError {
            throw AWSClientError(
                .credentialProviderFailed, "\(context)Could not assume role \(role.arn): \(error)", underlying: error)
        }
    }

    /// The account id field of an ARN.
    static func accountId(fromARN arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 4, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}

/// Role assumption configured in a profile: `role_arn` with `source_profile` (which may itself assume a role)
/// or `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), and `external_id`,
/// `role_session_name`, `duration_seconds`, `mfa_serial`.
public struct ProfileRoleCredentialProvider: CredentialProvider {
    /// The profile.
    public let profile: String

    /// A provider for `profile`.
    public init(profile: String) {
        self.profile = profile
    }

    /// Assumes the profile's role, or `.notFound` when it has no `role_arn`.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        let section = client.sharedConfig.profile(profile)
        guard let roleArn = section["role_arn"], section["web_identity_token_file"] == nil else {
            return .notFound("assume-role (profile '\(profile)' has no role_arn)")
        }
        let credentials = try await Self.assume(profile: profile, client: client, visited: [])
        return .found(
            ResolvedCredentials(credentials: credentials, source: "assume-role (profile \(profile), \(roleArn))"))
    }

    static func assume(profile: String, client: AWS, visited: [String]) async throws -> AWSCredentials {
        let shared = client.sharedConfig
        let section = shared.profile(profile)
        guard let roleArn = section["role_arn"] else {
            throw AWSClientError(.invalidConfiguration, "Profile '\(profile)' has no role_arn.")
        }
        guard !visited.contains(profile) else {
            throw AWSClientError(
                .invalidConfiguration,
                "The source_profile chain \((visited + [profile]).joined(separator: " → ")) loops: break the cycle in "
                    + "\(shared.configPath).")
        }
        let context = "Profile '\(profile)': "
        let source = try await sourceCredentials(
            of: profile, section: section, client: client, visited: visited + [profile])
        var duration: Int?
        if let text = section["duration_seconds"] {
            guard let value = Int(text) else {
                throw AWSClientError(
                    .invalidConfiguration, "\(context)duration_seconds must be a whole number of seconds.")
            }
            duration = value
        }
        let role = AssumeRoleCredentialProvider.Role(
            arn: roleArn, sessionName: section["role_session_name"], externalId: section["external_id"],
            durationSeconds: duration, mfaSerial: section["mfa_serial"])
        let stsClient = client.inRegion(section["region"] ?? client.region)
            .withCredentials(StaticCredentialProvider(source.credentials, source: source.source))
        return try await AssumeRoleCredentialProvider.assume(
            role, with: stsClient, clock: client.configuration.clock, context: context)
    }

    private static func sourceCredentials(
        of profile: String, section: ConfigSection, client: AWS, visited: [String]
    ) async throws -> ResolvedCredentials {
        let shared = client.sharedConfig
        switch (section["source_profile"], section["credential_source"]) {
        case (_?, _?):
            throw AWSClientError(
                .invalidConfiguration,
                "Profile '\(profile)' sets both source_profile and credential_source: keep one.")
        case (nil, nil):
            throw AWSClientError(
                .invalidConfiguration,
                "Profile '\(profile)' has role_arn but neither source_profile nor credential_source: add one.")
        case (let sourceProfile?, nil):
            guard shared.hasProfile(sourceProfile) else {
                throw AWSClientError(
                    .profileNotFound,
                    "Profile '\(profile)' names source_profile '\(sourceProfile)', which is in neither "
                        + "\(shared.configPath) nor \(shared.credentialsPath).")
            }
            let source = shared.profile(sourceProfile)
            if sourceProfile == profile {
                guard let keys = ProfileCredentialProvider.staticKeys(source) else {
                    throw AWSClientError(
                        .invalidConfiguration,
                        "Profile '\(profile)' is its own source_profile but has no aws_access_key_id and "
                            + "aws_secret_access_key.")
                }
                return ResolvedCredentials(credentials: keys, source: "profile \(profile)")
            }
            if source["role_arn"] != nil, source["web_identity_token_file"] == nil {
                let credentials = try await assume(profile: sourceProfile, client: client, visited: visited)
                return ResolvedCredentials(credentials: credentials, source: "assume-role (profile \(sourceProfile))")
            }
            if let keys = ProfileCredentialProvider.staticKeys(source) {
                return ResolvedCredentials(credentials: keys, source: "profile \(sourceProfile)")
            }
            for provider in [
                SSOCredentialProvider(profile: sourceProfile) as any CredentialProvider,
                ProcessCredentialProvider(profile: sourceProfile),
                WebIdentityCredentialProvider(profile: sourceProfile, readsEnvironment: false),
            ] {
                if case .found(let resolved) = try await provider.resolve(for: client) { return resolved }
            }
            throw AWSClientError(
                .credentialProviderFailed,
                "Profile '\(profile)' takes its credentials from source_profile '\(sourceProfile)', which has none: "
                    + "give it keys, a role_arn, an IAM Identity Center role (sso_session or sso_start_url, with "
                    + "sso_account_id and sso_role_name), a credential_process or a web_identity_token_file.")
        case (nil, let credentialSource?):
            let provider: any CredentialProvider
            switch credentialSource {
            case "Environment": provider = EnvironmentCredentialProvider()
            case "Ec2InstanceMetadata": provider = InstanceMetadataCredentialProvider()
            case "EcsContainer": provider = ContainerCredentialProvider()
            default:
                throw AWSClientError(
                    .invalidConfiguration,
                    "Profile '\(profile)' has credential_source '\(credentialSource)': use Environment, "
                        + "Ec2InstanceMetadata or EcsContainer.")
            }
            switch try await provider.resolve(for: client) {
            case .found(let resolved): return resolved
            case .notFound(let note):
                throw AWSClientError(
                    .credentialProviderFailed,
                    "Profile '\(profile)' takes its credentials from \(credentialSource), which has none: \(note).")
            }
        }
    }
}
