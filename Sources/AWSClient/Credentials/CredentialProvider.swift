/// Credentials together with the provider that gave them, for reports such as `custody preflight`.
public struct ResolvedCredentials: Sendable, CustomStringConvertible {
    /// The credentials.
    public let credentials: AWSCredentials
    /// Which provider answered, such as `environment` or `assume-role (profile prod)`.
    public let source: String

    /// Pairs credentials with their source.
    public init(credentials: AWSCredentials, source: String) {
        self.credentials = credentials
        self.source = source
    }

    /// The access key id and source; never a secret.
    public var description: String { "\(credentials.accessKeyId) from \(source)" }
}

/// What a provider found: credentials, or a note on what it looked at, for the chain's "tried" list.
public enum CredentialLookup: Sendable {
    /// Credentials were found.
    case found(ResolvedCredentials)
    /// This provider is not configured; the note says what it looked for.
    case notFound(String)
}

/// A source of credentials. Returns `.notFound` when not configured, so the chain goes on; throws when
/// configured but failing (a process that exits non-zero, a role that cannot be assumed), which stops the chain
/// as in the AWS CLI.
public protocol CredentialProvider: Sendable {
    /// Looks for credentials, using `client` for its environment, files, transport and clock, and for STS calls.
    func resolve(for client: AWS) async throws -> CredentialLookup
}

/// Fixed credentials.
public struct StaticCredentialProvider: CredentialProvider {
    /// The credentials given.
    public let credentials: AWSCredentials
    /// The name reported as their source.
    public let source: String

    /// Wraps fixed credentials.
    public init(_ credentials: AWSCredentials, source: String = "static") {
        self.credentials = credentials
        self.source = source
    }

    /// The credentials given.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        .found(ResolvedCredentials(credentials: credentials, source: source))
    }
}

/// Providers tried in order; the first that finds credentials answers. When none does, the error lists what
/// each looked for.
public struct CredentialChain: CredentialProvider {
    /// The providers, in order.
    public let providers: [any CredentialProvider]

    /// A chain of `providers`.
    public init(_ providers: [any CredentialProvider]) {
        self.providers = providers
    }

    /// The AWS CLI's chain for `profile`: environment (skipped when the profile was named explicitly), role
    /// assumption from the profile, web identity, IAM Identity Center (SSO), the credentials file,
    /// `credential_process`, the config file, container credentials, instance metadata (IMDSv2).
    public static func standard(profile: String, explicitProfile: Bool) -> CredentialChain {
        var providers: [any CredentialProvider] = []
        if !explicitProfile { providers.append(EnvironmentCredentialProvider()) }
        providers += [
            ProfileRoleCredentialProvider(profile: profile),
            WebIdentityCredentialProvider(profile: profile),
            SSOCredentialProvider(profile: profile),
            ProfileCredentialProvider(profile: profile, file: .credentials),
            ProcessCredentialProvider(profile: profile),
            ProfileCredentialProvider(profile: profile, file: .config),
            ContainerCredentialProvider(),
            InstanceMetadataCredentialProvider(),
        ]
        return CredentialChain(providers)
    }

    /// The first provider's credentials, or `.notFound` with every provider's note.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        var tried: [String] = []
        for provider in providers {
            switch try await provider.resolve(for: client) {
            case .found(let resolved): return .found(resolved)
            case .notFound(let note): tried.append(note)
            }
        }
        return .notFound(tried.joined(separator: "; "))
    }
}
