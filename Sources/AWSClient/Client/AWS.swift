import Foundation

/// A client for one set of credentials in one region: the entry point to every service call.
///
/// ```swift
/// let aws = try AWS(AWSConfiguration(profile: "prod", region: "eu-west-1"))
/// let me = try await aws.sts.getCallerIdentity()          // AWSResponse<STS.GetCallerIdentityResponse>
/// for try await page in aws.iam.listUsers() { … page.output.users, page.raw.body … }
/// let other = aws.assumingRole("arn:aws:iam::222233334444:role/Responder")
/// let raw = try await aws.send(.iam, "ListAccountAliases")  // any allow-listed Query/JSON operation
/// ```
///
/// A value type: `inRegion(_:)` and `assumingRole(_:)` return new clients sharing the transport, the rate
/// limiter and (for `inRegion`) the credential cache. Every call is checked against ``ReadOnlyPolicy`` first.
public struct AWS: Sendable {
    /// The region calls go to.
    public let region: String
    /// The profile the client was made for.
    public let profileName: String
    /// The shared config and credentials files as read when the client was made.
    public let sharedConfig: SharedConfig
    /// The settings the client was made from.
    public let configuration: AWSConfiguration
    /// Picks each service's endpoint.
    public let endpoints: EndpointResolver
    let credentialCache: CredentialCache
    let limiter: RateLimiter
    let skew: ClockSkew

    /// Makes a client: reads the shared files, settles profile and region, and sets up the credential chain
    /// (resolved lazily, on the first call).
    /// - Throws: `AWSClientError.Code.profileNotFound` when a profile named by `--profile` or `AWS_PROFILE` is
    ///   in neither file; `invalidConfiguration` when a file cannot be read.
    public init(_ configuration: AWSConfiguration = AWSConfiguration()) throws {
        let environment = configuration.environment
        let shared = try SharedConfig.load(environment: environment)
        let named = configuration.profile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"]
        let profileName = named ?? "default"
        if let named, !shared.hasProfile(named), configuration.credentialProvider == nil {
            throw AWSClientError(
                .profileNotFound,
                "The profile '\(named)' is in neither \(shared.configPath) nor \(shared.credentialsPath): check "
                    + "--profile and AWS_PROFILE, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.")
        }
        let profile = shared.profile(profileName)
        let region =
            [configuration.region, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], profile["region"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
        let provider =
            configuration.credentialProvider
            ?? CredentialChain.standard(profile: profileName, explicitProfile: configuration.profile != nil)
        self.init(
            region: region, profileName: profileName, sharedConfig: shared, configuration: configuration,
            endpoints: EndpointResolver(
                explicitURL: configuration.endpointURL, environment: environment, profile: profile,
                profileName: profileName, services: shared.services),
            credentialCache: CredentialCache(provider: provider), limiter: RateLimiter(), skew: ClockSkew())
    }

    init(
        region: String, profileName: String, sharedConfig: SharedConfig, configuration: AWSConfiguration,
        endpoints: EndpointResolver, credentialCache: CredentialCache, limiter: RateLimiter, skew: ClockSkew
    ) {
        self.region = region
        self.profileName = profileName
        self.sharedConfig = sharedConfig
        self.configuration = configuration
        self.endpoints = endpoints
        self.credentialCache = credentialCache
        self.limiter = limiter
        self.skew = skew
    }

    /// The same credentials in another region.
    public func inRegion(_ region: String) -> AWS {
        AWS(
            region: region, profileName: profileName, sharedConfig: sharedConfig, configuration: configuration,
            endpoints: endpoints, credentialCache: credentialCache, limiter: limiter, skew: skew)
    }

    /// A client with other credentials, sharing everything else.
    public func withCredentials(_ provider: any CredentialProvider) -> AWS {
        AWS(
            region: region, profileName: profileName, sharedConfig: sharedConfig, configuration: configuration,
            endpoints: endpoints, credentialCache: CredentialCache(provider: provider), limiter: limiter,
            skew: skew)
    }

    /// A client acting as `roleArn`, assumed with this client's credentials and refreshed before it expires.
    public func assumingRole(
        _ roleArn: String, sessionName: String? = nil, externalId: String? = nil, duration: Int? = nil
    ) -> AWS {
        withCredentials(
            AssumeRoleCredentialProvider(
                role: AssumeRoleCredentialProvider.Role(
                    arn: roleArn, sessionName: sessionName, externalId: externalId, durationSeconds: duration),
                source: self))
    }

    /// The credentials calls are signed with, and which provider gave them; resolved (or refreshed) as needed.
    /// - Throws: `AWSClientError` with `credentialsNotFound`, `credentialProviderFailed`, `mfaTokenRequired` …
    public func credentials() async throws -> ResolvedCredentials {
        try await credentialCache.get(client: self, forceRefresh: false)
    }

    func log(_ line: @autoclosure () -> String) {
        configuration.log?(line())
    }
}
