/// Picks the endpoint of a service in a region, honouring the SDKs' endpoint overrides in their documented
/// order ([Service-specific endpoints](https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html)):
///
/// 1. the endpoint given explicitly (`--endpoint-url`);
/// 2. `AWS_ENDPOINT_URL_<SERVICE>`;
/// 3. `AWS_ENDPOINT_URL`;
/// 4. `endpoint_url` in the profile's `services` section for the service;
/// 5. `endpoint_url` in the profile;
/// 6. the standard endpoint of the partition.
///
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` or `ignore_configured_endpoint_urls = true` in the profile skips
/// 2–5; the explicit endpoint always applies.
public struct EndpointResolver: Hashable, Sendable {
    /// The endpoint given explicitly, for every service.
    public var explicitURL: String?
    /// The environment to read `AWS_ENDPOINT_URL*` from.
    public var environment: [String: String]
    /// The active profile's settings.
    public var profile: ConfigSection
    /// The active profile's name, for messages.
    public var profileName: String
    /// The config file's `[services …]` sections.
    public var services: [String: ConfigSection]

    /// Makes a resolver.
    public init(
        explicitURL: String? = nil, environment: [String: String] = [:], profile: ConfigSection = ConfigSection(),
        profileName: String = "default", services: [String: ConfigSection] = [:]
    ) {
        self.explicitURL = explicitURL
        self.environment = environment
        self.profile = profile
        self.profileName = profileName
        self.services = services
    }

    /// The endpoint of `service` in `region`.
    /// - Throws: `AWSClientError.Code.invalidConfiguration` for a malformed override,
    ///   `endpointNotFound` for a region in no known partition.
    public func resolve(_ service: AWSService, region: String) throws -> Endpoint {
        if let explicitURL, !explicitURL.isEmpty {
            return try Endpoint.parse(explicitURL, signingRegion: region, source: "--endpoint-url")
        }
        if !ignoresConfiguredEndpoints {
            let serviceVariable = "AWS_ENDPOINT_URL_\(service.environmentSuffix)"
            if let value = environment[serviceVariable], !value.isEmpty {
                return try Endpoint.parse(value, signingRegion: region, source: serviceVariable)
            }
            if let value = environment["AWS_ENDPOINT_URL"], !value.isEmpty {
                return try Endpoint.parse(value, signingRegion: region, source: "AWS_ENDPOINT_URL")
            }
            if let sectionName = profile["services"],
                let value = services[sectionName]?.nested[service.configKey]?["endpoint_url"], !value.isEmpty
            {
                return try Endpoint.parse(
                    value, signingRegion: region, source: "[services \(sectionName)] \(service.configKey)")
            }
            if let value = profile["endpoint_url"] {
                return try Endpoint.parse(value, signingRegion: region, source: "profile \(profileName)")
            }
        }
        return try Self.standard(service, region: region)
    }

    /// Whether configured endpoint overrides are switched off.
    public var ignoresConfiguredEndpoints: Bool {
        let value = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] ?? profile["ignore_configured_endpoint_urls"]
        return value?.lowercased() == "true"
    }

    /// AWS's own endpoint of `service` in `region`.
    /// - Throws: `AWSClientError.Code.endpointNotFound` for a region in no known partition.
    public static func standard(_ service: AWSService, region: String) throws -> Endpoint {
        guard let partition = Partition.of(region: region) else {
            throw AWSClientError(
                .endpointNotFound,
                "'\(region)' is not a region of the aws, aws-cn or aws-us-gov partitions: check --regions, "
                    + "AWS_REGION or the profile's region.")
        }
        if let global = service.globalEndpoints[partition.id] {
            return Endpoint(scheme: "https", host: global.host, signingRegion: global.region, source: "default")
        }
        return Endpoint(
            scheme: "https", host: "\(service.id).\(region).\(partition.dnsSuffix)", signingRegion: region,
            source: "default")
    }
}
