import CustodyCrypto
import Foundation

/// A profile that signs in with IAM Identity Center (SSO), read as botocore's `SSOProvider` reads it.
///
/// Two forms: the legacy one, with `sso_start_url`, `sso_region`, `sso_account_id` and `sso_role_name` in the
/// profile; and the `sso_session` one, where the profile names an `[sso-session NAME]` section that holds
/// `sso_start_url`, `sso_region` and `sso_registration_scopes`, and keeps `sso_account_id` and `sso_role_name`.
/// The sign-in itself is `aws sso login`'s: Custody reads the token the AWS CLI caches, it never signs in.
public struct SSOProfile: Hashable, Sendable {
    /// The profile's name.
    public var profile: String
    /// The AWS access portal's URL, such as `https://d-1234567890.awsapps.com/start`.
    public var startURL: String
    /// The region of IAM Identity Center, where the portal and OIDC are called.
    public var region: String
    /// The account whose role is wanted.
    public var accountId: String
    /// The role (permission set) wanted in that account.
    public var roleName: String
    /// The `[sso-session]` section's name; nil for the legacy form.
    public var sessionName: String?
    /// The `sso_registration_scopes` of the session, as written.
    public var registrationScopes: String?

    /// Describes an IAM Identity Center profile.
    public init(
        profile: String, startURL: String, region: String, accountId: String, roleName: String,
        sessionName: String? = nil, registrationScopes: String? = nil
    ) {
        self.profile = profile
        self.startURL = startURL
        self.region = region
        self.accountId = accountId
        self.roleName = roleName
        self.sessionName = sessionName
        self.registrationScopes = registrationScopes
    }

    /// The settings a profile needs, and that an `[sso-session]` section may hold.
    static let profileKeys = ["sso_account_id", "sso_role_name"]
    static let sessionKeys = ["sso_start_url", "sso_region"]

    /// The IAM Identity Center settings of `profile`, or nil when it has neither `sso_account_id` nor
    /// `sso_role_name` (botocore's test for an SSO profile).
    /// - Throws: `AWSClientError.Code.invalidConfiguration` when the profile names a missing `[sso-session]`,
    ///   disagrees with it, or lacks a setting; the message says what to add.
    public static func load(profile: String, from shared: SharedConfig) throws -> SSOProfile? {
        let section = shared.profile(profile)
        guard profileKeys.contains(where: { section[$0] != nil }) else { return nil }
        var settings = section.values.compactMapValues { value -> String? in
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        let sessionName = section["sso_session"]
        if let sessionName {
            guard let session = shared.ssoSessions[sessionName] else {
                throw AWSClientError(
                    .invalidConfiguration,
                    "Profile '\(profile)' names sso_session '\(sessionName)', but \(shared.configPath) has no "
                        + "[sso-session \(sessionName)] section: add it (with sso_start_url and sso_region), or run "
                        + "`aws configure sso --profile \(profile)`.")
            }
            for (key, value) in session.values.sorted(by: { $0.key < $1.key }) {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { continue }
                if let own = settings[key], own != trimmed {
                    throw AWSClientError(
                        .invalidConfiguration,
                        "Profile '\(profile)' sets \(key) to \(own) and its [sso-session \(sessionName)] to "
                            + "\(trimmed): keep it in the sso-session section only.")
                }
                settings[key] = trimmed
            }
        }
        let missing = (profileKeys + sessionKeys).filter { settings[$0] == nil }
        guard missing.isEmpty else {
            let place = sessionName.map { "its [sso-session \($0)] section" } ?? "the profile"
            throw AWSClientError(
                .invalidConfiguration,
                "Profile '\(profile)' signs in with IAM Identity Center but lacks "
                    + missing.joined(separator: ", ")
                    + ": add \(missing.count == 1 ? "it" : "them") (sso_start_url and sso_region go in \(place)), or "
                    + "run `aws configure sso --profile \(profile)`.")
        }
        return SSOProfile(
            profile: profile, startURL: settings["sso_start_url"] ?? "", region: settings["sso_region"] ?? "",
            accountId: settings["sso_account_id"] ?? "", roleName: settings["sso_role_name"] ?? "",
            sessionName: sessionName, registrationScopes: settings["sso_registration_scopes"])
    }

    /// The name of the AWS CLI's token cache file: the SHA-1 (hex) of the session name, or of the start URL for
    /// the legacy form (botocore `SSOTokenLoader._generate_cache_key`).
    public var cacheKey: String {
        SHA1.hex(Array((sessionName ?? startURL).utf8))
    }

    /// `<home>/.aws/sso/cache/<cacheKey>.json`, where `aws sso login` leaves the token.
    public func cachePath(home: String) -> String {
        "\(home)/.aws/sso/cache/\(cacheKey).json"
    }

    /// What the AWS CLI calls to renew the sign-in.
    public var loginCommand: String { "aws sso login --profile \(profile)" }
}
