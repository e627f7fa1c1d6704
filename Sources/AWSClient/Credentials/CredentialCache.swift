import Foundation

/// Holds the current credentials of a client and refreshes temporary ones before they expire: from
/// `refreshBefore` (15 minutes) a refresh is attempted and a failure keeps the old credentials; from
/// `mandatoryRefreshBefore` (10 minutes) a failure is an error. Concurrent callers share one refresh.
actor CredentialCache {
    let provider: any CredentialProvider
    private var current: ResolvedCredentials?
    private var refreshing: Task<ResolvedCredentials, any Error>?

    init(provider: any CredentialProvider) {
        self.provider = provider
    }

    func get(client: AWS, forceRefresh: Bool) async throws -> ResolvedCredentials {
        let now = client.configuration.clock.now()
        if !forceRefresh, let current,
            !current.credentials.expires(within: client.configuration.refreshBefore, of: now)
        {
            return current
        }
        let task: Task<ResolvedCredentials, any Error>
        if let refreshing {
            task = refreshing
        } else {
            let provider = self.provider
            task = Task { try await Self.lookup(provider, client: client) }
            refreshing = task
        }
        do {
            let fresh = try await task.value
            refreshing = nil
            if let old = current, old.credentials.accessKeyId != fresh.credentials.accessKeyId || forceRefresh {
                client.log("Refreshed credentials from \(fresh.source).")
            }
            current = fresh
            return fresh
        } catch {
            refreshing = nil
            if !forceRefresh, let current,
                !current.credentials.expires(within: client.configuration.mandatoryRefreshBefore, of: now)
            {
                client.log("Could not refresh credentials from \(current.source); keeping the current ones: \(error)")
                return current
            }
            throw error
        }
    }

    static func lookup(_ provider: any CredentialProvider, client: AWS) async throws -> ResolvedCredentials {
        switch try await provider.resolve(for: client) {
        case .found(let resolved):
            return resolved
        case .notFound(let tried):
            throw notFound(tried: tried, client: client)
        }
    }

    /// What to do when no provider answered: for a profile that was named, what it lacks, not to name one.
    static func notFound(tried: String, client: AWS) -> AWSClientError {
        let environment = client.configuration.environment
        let named = client.configuration.profile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"]
        let wayOut =
            "`credential_process = aws configure export-credentials --profile \(named ?? "P") --format process` in "
            + "another profile hands Custody whatever the AWS CLI (v2) resolves for \(named.map { "'\($0)'" } ?? "P")"
        guard let named else {
            return AWSClientError(
                .credentialsNotFound,
                "No AWS credentials were found. Tried, in order: \(tried). Pass --profile, set AWS_PROFILE, or set "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; for a profile only the AWS CLI can use, "
                    + wayOut + ".")
        }
        return AWSClientError(
            .credentialsNotFound,
            "Profile '\(named)' gives no AWS credentials Custody can use. Tried, in order: \(tried). Give it "
                + "aws_access_key_id and aws_secret_access_key, role_arn with source_profile, an IAM Identity Center "
                + "role (sso_session or sso_start_url, with sso_account_id and sso_role_name) or a credential_process; "
                + "for any other sign-in, " + wayOut + ": pass that profile to --profile.")
    }
}
