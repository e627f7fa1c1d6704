import CustodyJSON
public import Foundation

/// Role credentials from IAM Identity Center (SSO) for a profile set up by `aws configure sso`, as the AWS CLI
/// gets them: the token `aws sso login` cached is exchanged with the portal's `GetRoleCredentials` for the
/// profile's `sso_account_id` and `sso_role_name`.
///
/// For `sso_session` profiles an access token that expires within 15 minutes is first refreshed with OIDC
/// `CreateToken` and written back to the cache as the CLI writes it (botocore `SSOTokenProvider`); the legacy
/// form cannot be refreshed. Custody never signs in itself: when the token has expired and cannot be refreshed,
/// the error says to run `aws sso login --profile P`.
public struct SSOCredentialProvider: CredentialProvider {
    /// How long before its expiry a refreshable token is refreshed (botocore's `_REFRESH_WINDOW`).
    public static let refreshWindow: TimeInterval = 15 * 60

    /// The profile.
    public let profile: String

    /// A provider for `profile`.
    public init(profile: String) {
        self.profile = profile
    }

    /// The role's credentials, or `.notFound` when the profile has no `sso_account_id` or `sso_role_name`.
    /// - Throws: `AWSClientError.Code.invalidConfiguration` for an incomplete profile; `credentialProviderFailed`
    ///   when there is no sign-in, it has expired, or IAM Identity Center refuses the role. Each says what to do.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        guard let sso = try SSOProfile.load(profile: profile, from: client.sharedConfig) else {
            let section = client.sharedConfig.profile(profile)
            if let key = ["sso_session", "sso_start_url"].first(where: { section[$0] != nil }) {
                return .notFound(
                    "sso (profile '\(profile)' has \(key) but neither sso_account_id nor sso_role_name: add both to "
                        + "use a role through IAM Identity Center)")
            }
            return .notFound("sso (no sso_account_id or sso_role_name in profile '\(profile)')")
        }
        let credentials = try await Self.credentials(for: sso, client: client)
        return .found(
            ResolvedCredentials(
                credentials: credentials,
                source: "sso (profile \(profile), role \(sso.roleName) in \(sso.accountId))"))
    }

    /// Reads (and if need be refreshes) the cached token, then exchanges it for the role's credentials.
    static func credentials(for sso: SSOProfile, client: AWS) async throws -> AWSCredentials {
        let home = client.configuration.environment["HOME"] ?? NSHomeDirectory()
        let path = sso.cachePath(home: home)
        var token = try loadToken(sso, path: path)
        let now = client.configuration.clock.now()
        var refreshFailure: String?
        var refreshed = false
        if token.expiresAt.timeIntervalSince(now) < refreshWindow, sso.sessionName != nil {
            switch await refresh(token, sso: sso, path: path, client: client) {
            case .success(let fresh):
                token = fresh
                refreshed = true
            case .failure(let reason):
                refreshFailure = reason.text
            }
        }
        guard token.expiresAt > now else {
            throw expired(sso, at: token.expiresAt, refreshFailure: refreshFailure)
        }
        do {
            return try await SSOCalls.getRoleCredentials(sso, token: token, client: client)
        } catch let error as AWSServiceError where error.code == "UnauthorizedException" || error.statusCode == 401 {
            // A token revoked before its time: one refresh and one more try, where the form allows a refresh.
            if sso.sessionName != nil, !refreshed,
                case .success(let fresh) = await refresh(token, sso: sso, path: path, client: client)
            {
                do {
                    return try await SSOCalls.getRoleCredentials(sso, token: fresh, client: client)
                } catch let again as AWSServiceError {
                    throw refused(sso, again)
                }
            }
            throw refused(sso, error)
        } catch let error as AWSServiceError {
            throw refused(sso, error)
        }
    }

    /// The cached token.
    /// - Throws: `AWSClientError.Code.credentialProviderFailed` saying to sign in when there is none.
    static func loadToken(_ sso: SSOProfile, path: String) throws -> SSOToken {
        let token: SSOToken?
        do {
            token = try SSOTokenCache.read(path)
        } catch {
            throw AWSClientError(
                .credentialProviderFailed,
                "The IAM Identity Center sign-in of profile '\(sso.profile)' is not usable (\(path): \(error.reason)): "
                    + "run `\(sso.loginCommand)`, then run Custody again.")
        }
        guard let token else {
            throw AWSClientError(
                .credentialProviderFailed,
                "Profile '\(sso.profile)' signs in with IAM Identity Center, and no sign-in was found (\(path) does "
                    + "not exist): run `\(sso.loginCommand)`, then run Custody again.")
        }
        return token
    }

    /// Why a refresh did not happen, without any secret.
    struct RefreshFailure: Error {
        var text: String
    }

    /// A refreshed token, saved to the cache; or why there is none.
    static func refresh(_ token: SSOToken, sso: SSOProfile, path: String, client: AWS) async
        -> Result<SSOToken, RefreshFailure>
    {
        let now = client.configuration.clock.now()
        guard token.refreshToken != nil, token.clientId != nil, token.clientSecret != nil,
            let registrationExpiry = token.registrationExpiresAt
        else {
            return .failure(RefreshFailure(text: "the cached sign-in holds no refresh token"))
        }
        guard registrationExpiry > now else {
            return .failure(
                RefreshFailure(
                    text: "its client registration expired at \(UTCTimestamp(registrationExpiry).iso8601)"))
        }
        let answer: (accessToken: String, expiresAt: Date, refreshToken: String?)
        do {
            answer = try await SSOCalls.createToken(sso, token: token, client: client)
        } catch {
            // Another process (or client) may have refreshed it meanwhile, which spends the old refresh token.
            if let current = try? SSOTokenCache.read(path), current.accessToken != token.accessToken,
                current.expiresAt.timeIntervalSince(now) >= refreshWindow
            {
                return .success(current)
            }
            let reason: String
            if let error = error as? AWSServiceError {
                reason = "OIDC CreateToken answered \(error.code)" + (error.message.isEmpty ? "" : ": \(error.message)")
            } else {
                reason = "\(error)"
            }
            client.log("Could not refresh the IAM Identity Center token of profile \(sso.profile): \(reason)")
            return .failure(RefreshFailure(text: reason))
        }
        let fresh = token.refreshed(
            accessToken: answer.accessToken, expiresAt: answer.expiresAt, refreshToken: answer.refreshToken, sso: sso)
        do {
            try SSOTokenCache.write(fresh, to: path)
            client.log(
                "Refreshed the IAM Identity Center token of sso-session \(sso.sessionName ?? sso.startURL) "
                    + "(expires \(UTCTimestamp(fresh.expiresAt).iso8601)); saved to \(path).")
        } catch {
            client.log(
                "Refreshed the IAM Identity Center token of profile \(sso.profile) but could not save it: \(error) "
                    + "The AWS CLI may ask for `\(sso.loginCommand)` sooner.")
        }
        return .success(fresh)
    }

    /// The token has expired and could not be refreshed.
    static func expired(_ sso: SSOProfile, at expiry: Date, refreshFailure: String?) -> AWSClientError {
        let when = UTCTimestamp(expiry).iso8601
        let refresh = refreshFailure.map { " and could not be refreshed (\($0))" } ?? ""
        return AWSClientError(
            .credentialProviderFailed,
            "The IAM Identity Center sign-in of profile '\(sso.profile)' expired at \(when)\(refresh): run "
                + "`\(sso.loginCommand)` to renew it, then run Custody again.")
    }

    /// What the portal's refusal means, and what to do.
    static func refused(_ sso: SSOProfile, _ error: AWSServiceError) -> AWSClientError {
        let cause = error.code + (error.message.isEmpty ? "" : ": \(error.message)")
        let role = "role \(sso.roleName) in account \(sso.accountId)"
        switch error.code {
        case "UnauthorizedException":
            return AWSClientError(
                .credentialProviderFailed,
                "IAM Identity Center refused the sign-in of profile '\(sso.profile)' (\(cause)): it has expired or "
                    + "was revoked. Run `\(sso.loginCommand)` to renew it, then run Custody again.",
                underlying: error)
        case "ForbiddenException", "AccessDeniedException", "ResourceNotFoundException":
            return AWSClientError(
                .credentialProviderFailed,
                "IAM Identity Center gives the signed-in user no \(role) (\(cause)): check sso_account_id and "
                    + "sso_role_name of profile '\(sso.profile)' (`aws sso list-account-roles` lists the roles of an "
                    + "account), or ask for the assignment.",
                underlying: error)
        default:
            return AWSClientError(
                .credentialProviderFailed,
                "Could not get the credentials of \(role) from IAM Identity Center for profile '\(sso.profile)' "
                    + "(\(cause)).",
                underlying: error)
        }
    }
}
