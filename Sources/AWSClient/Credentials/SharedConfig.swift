import Foundation

/// The shared `config` and `credentials` files, read once and merged by profile as the AWS CLI does:
/// a profile's settings from the config file, overlaid by its section in the credentials file.
public struct SharedConfig: Hashable, Sendable {
    /// The config file's path (`AWS_CONFIG_FILE`, else `~/.aws/config`).
    public let configPath: String
    /// The credentials file's path (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`).
    public let credentialsPath: String
    /// Profiles from the config file (`[default]`, `[profile name]`).
    public let configProfiles: [String: ConfigSection]
    /// Profiles from the credentials file (`[name]`).
    public let credentialProfiles: [String: ConfigSection]
    /// `[services name]` sections of the config file.
    public let services: [String: ConfigSection]
    /// `[sso-session name]` sections of the config file: an IAM Identity Center sign-in that profiles share.
    public let ssoSessions: [String: ConfigSection]

    /// No files.
    public static let empty = SharedConfig(
        configPath: "", credentialsPath: "", configProfiles: [:], credentialProfiles: [:], services: [:],
        ssoSessions: [:])

    /// Makes a config from parsed sections.
    public init(
        configPath: String, credentialsPath: String, configProfiles: [String: ConfigSection],
        credentialProfiles: [String: ConfigSection], services: [String: ConfigSection],
        ssoSessions: [String: ConfigSection] = [:]
    ) {
        self.configPath = configPath
        self.credentialsPath = credentialsPath
        self.configProfiles = configProfiles
        self.credentialProfiles = credentialProfiles
        self.services = services
        self.ssoSessions = ssoSessions
    }

    /// Reads the files the environment points at; a missing file is an empty one.
    /// - Throws: `AWSClientError.Code.invalidConfiguration` when a file exists but cannot be read.
    public static func load(environment: [String: String]) throws -> SharedConfig {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configPath = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: home)
        let credentialsPath = expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: home)
        let configSections = ConfigFileParser.parse(try read(configPath))
        let credentialSections = ConfigFileParser.parse(try read(credentialsPath))
        var profiles: [String: ConfigSection] = [:]
        var services: [String: ConfigSection] = [:]
        var ssoSessions: [String: ConfigSection] = [:]
        // "[profile default]" wins over "[default]" only when both exist, as in the CLI; keep the first seen
        // otherwise.
        for (header, section) in configSections.sorted(by: { $0.key < $1.key }) {
            if header == "default" {
                if profiles["default"] == nil { profiles["default"] = section }
            } else if header.hasPrefix("profile ") {
                profiles[String(header.dropFirst("profile ".count))] = section
            } else if header.hasPrefix("services ") {
                services[String(header.dropFirst("services ".count))] = section
            } else if header.hasPrefix("sso-session ") {
                ssoSessions[String(header.dropFirst("sso-session ".count))] = section
            }
        }
        return SharedConfig(
            configPath: configPath, credentialsPath: credentialsPath, configProfiles: profiles,
            credentialProfiles: credentialSections, services: services, ssoSessions: ssoSessions)
    }

    /// Whether either file has a section for `profile`.
    public func hasProfile(_ profile: String) -> Bool {
        configProfiles[profile] != nil || credentialProfiles[profile] != nil
    }

    /// The merged settings of `profile`: the config file's, overlaid by the credentials file's.
    public func profile(_ name: String) -> ConfigSection {
        var merged = configProfiles[name] ?? ConfigSection()
        for (key, value) in credentialProfiles[name]?.values ?? [:] { merged.values[key] = value }
        return merged
    }

    /// Every profile name in either file, sorted.
    public var profileNames: [String] {
        Set(configProfiles.keys).union(credentialProfiles.keys).sorted()
    }

    private static func expand(_ path: String, home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }

    private static func read(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { return "" }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AWSClientError(.invalidConfiguration, "Could not read \(path): \(error.localizedDescription)")
        }
    }
}
