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
            throw AWSClientError(
                .credentialsNotFound,
                "No AWS credentials were found. Tried, in order: \(tried). Pass --profile, set AWS_PROFILE, or set "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
        }
    }
}
