public import Evidence

/// What the snapshots an analysis read say that the CloudTrail rules need to judge an event: the
/// accounts trusted to assume roles, the buckets trails deliver to, each instance's addresses, and
/// the roles that administer an account. Empty when no snapshot was read (a hunt over imported
/// CloudTrail alone); the rules then judge from the slice.
public struct SnapshotFacts: Sendable {
    /// Accounts whose principals may assume roles without a finding: the snapshots' own accounts,
    /// their management accounts, and every account their roles' trust policies name.
    public var knownAccounts: Set<String> = []
    /// The S3 bucket of every trail.
    public var trailBuckets: Set<String> = []
    /// Each instance's private and public addresses, by instance id.
    public var instanceAddresses: [String: Set<String>] = [:]
    /// The names and ARNs of roles whose attached or inline policies administer their account
    /// (`PolicyJudgement.isPrivileged`).
    public var privilegedRoles: Set<String> = []

    /// No facts.
    public init() {}

    /// The facts of `snapshots`, merged.
    public init(_ snapshots: [Snapshot]) {
        for snapshot in snapshots { add(snapshot) }
    }

    /// Adds what `snapshot` says.
    public mutating func add(_ snapshot: Snapshot) {
        knownAccounts.insert(snapshot.account.accountId)
        if let management = snapshot.account.organization?.managementAccountId { knownAccounts.insert(management) }
        for role in snapshot.roles {
            knownAccounts.formUnion(PolicyJudgement.principals(role.trustPolicy).accounts)
            let administers =
                role.attachedPolicies.contains { PolicyJudgement.isPrivileged(policyArn: $0.policyArn) }
                || role.inlinePolicies.contains { PolicyJudgement.isPrivileged(document: $0.document) }
            if administers { privilegedRoles.formUnion([role.roleName, role.arn]) }
        }
        for trail in snapshot.trails {
            if let bucket = trail.s3BucketName { trailBuckets.insert(bucket) }
        }
        for instance in snapshot.instances {
            let addresses = [instance.privateIpAddress, instance.publicIpAddress].compactMap { $0 }
            instanceAddresses[instance.instanceId, default: []].formUnion(addresses)
        }
    }
}
