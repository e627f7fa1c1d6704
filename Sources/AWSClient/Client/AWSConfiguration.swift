public import Foundation

/// Everything a client is made from. Defaults read the process environment and the shared files, as the AWS
/// CLI does; tests replace the environment, the transport and the clock.
public struct AWSConfiguration: Sendable {
    /// The profile named explicitly (`--profile`); nil uses `AWS_PROFILE`, else `default`. An explicit profile
    /// skips the environment's access keys, as in the AWS CLI.
    public var profile: String?
    /// The region named explicitly; nil uses `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else
    /// `us-east-1`.
    public var region: String?
    /// The endpoint given explicitly (`--endpoint-url`), for every service.
    public var endpointURL: String?
    /// The environment variables to read.
    public var environment: [String: String]
    /// Retries, attempt and call time limits.
    public var retry: RetryPolicy
    /// The network.
    public var transport: any HTTPTransport
    /// The time source.
    public var clock: any AWSClock
    /// Draws the jitter of backoffs, in `[0, 1)`.
    public var random: @Sendable () -> Double
    /// Receives one line per notable event (a retry, a refresh). Lines never hold a secret.
    public var log: (@Sendable (String) -> Void)?
    /// Asks for an MFA token code for a device serial; nil means none can be asked for, and roles that need MFA
    /// are refused with a message.
    public var mfaTokenCode: (@Sendable (_ serialNumber: String) async throws -> String)?
    /// The most calls per second per (account, region, operation); `LookupEvents` is 2, as AWS enforces.
    public var callsPerSecond: [String: Double]
    /// Credentials to use instead of the chain.
    public var credentialProvider: (any CredentialProvider)?
    /// How long before expiry temporary credentials are refreshed (advisory: a failed refresh keeps the old ones).
    public var refreshBefore: TimeInterval
    /// Below this much remaining validity, a failed refresh is an error.
    public var mandatoryRefreshBefore: TimeInterval
    /// Timeout of each call to the container or instance metadata credential endpoints.
    public var metadataTimeout: Duration
    /// Whether S3 uses path-style URLs; nil means path style on custom endpoints, virtual hosts on AWS.
    public var s3PathStyle: Bool?
    /// The `User-Agent` every request carries, which CloudTrail records as `userAgent`.
    public var userAgent: String = "custody"

    /// A configuration with the defaults.
    public init(
        profile: String? = nil, region: String? = nil, endpointURL: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, retry: RetryPolicy = .standard,
        transport: any HTTPTransport = URLSessionTransport(), clock: any AWSClock = SystemClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        log: (@Sendable (String) -> Void)? = nil,
        mfaTokenCode: (@Sendable (String) async throws -> String)? = nil,
        callsPerSecond: [String: Double] = ["LookupEvents": 2],
        credentialProvider: (any CredentialProvider)? = nil,
        refreshBefore: TimeInterval = 15 * 60, mandatoryRefreshBefore: TimeInterval = 10 * 60,
        metadataTimeout: Duration = .seconds(1), s3PathStyle: Bool? = nil
    ) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.environment = environment
        self.retry = retry
        self.transport = transport
        self.clock = clock
        self.random = random
        self.log = log
        self.mfaTokenCode = mfaTokenCode
        self.callsPerSecond = callsPerSecond
        self.credentialProvider = credentialProvider
        self.refreshBefore = refreshBefore
        self.mandatoryRefreshBefore = mandatoryRefreshBefore
        self.metadataTimeout = metadataTimeout
        self.s3PathStyle = s3PathStyle
    }
}
