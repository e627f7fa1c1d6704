/// Everything collected of one account at one time: the typed, normalised state the diff engine
/// compares. It is stored in an archive as canonical JSON, one member per kind (`SnapshotLayout`).
///
/// Entities are kept sorted by their stable ids, so two snapshots of an unchanged account are
/// byte-identical wherever the API returned them in another order.
public struct Snapshot: Codable, Hashable, Sendable {
    /// The account and the collector.
    public var account: AccountInfo
    /// IAM users.
    public var users: [IAMUser]
    /// IAM roles.
    public var roles: [IAMRole]
    /// IAM groups (membership is on each user's `groups`).
    public var groups: [IAMGroup]
    /// Customer managed policies.
    public var policies: [ManagedPolicy]
    /// Instance profiles.
    public var instanceProfiles: [InstanceProfile]
    /// SAML and OIDC providers.
    public var identityProviders: IdentityProviders
    /// The IAM credential report, as the CSV AWS produced.
    public var credentialReport: [UInt8]?
    /// EC2 instances of every collected region.
    public var instances: [EC2Instance]
    /// VPC endpoints of every collected region.
    public var vpcEndpoints: [VPCEndpoint]
    /// Security groups of every collected region.
    public var securityGroups: [SecurityGroup]
    /// Key pairs of every collected region.
    public var keyPairs: [KeyPair]
    /// CloudTrail trails.
    public var trails: [Trail]
    /// GuardDuty detectors of every collected region.
    public var detectors: [GuardDutyDetector]

    /// Makes a snapshot.
    public init(
        account: AccountInfo, users: [IAMUser] = [], roles: [IAMRole] = [], groups: [IAMGroup] = [],
        policies: [ManagedPolicy] = [], instanceProfiles: [InstanceProfile] = [],
        identityProviders: IdentityProviders = IdentityProviders(), credentialReport: [UInt8]? = nil,
        instances: [EC2Instance] = [], vpcEndpoints: [VPCEndpoint] = [], securityGroups: [SecurityGroup] = [],
        keyPairs: [KeyPair] = [], trails: [Trail] = [], detectors: [GuardDutyDetector] = []
    ) {
        self.account = account
        self.users = users
        self.roles = roles
        self.groups = groups
        self.policies = policies
        self.instanceProfiles = instanceProfiles
        self.identityProviders = identityProviders
        self.credentialReport = credentialReport
        self.instances = instances
        self.vpcEndpoints = vpcEndpoints
        self.securityGroups = securityGroups
        self.keyPairs = keyPairs
        self.trails = trails
        self.detectors = detectors
    }

    /// The snapshot with every list sorted by stable id, nested lists too, and every region that
    /// holds an entity counted among the collected regions (once each).
    public func normalised() -> Snapshot {
        var copy = self
        let entityRegions =
            instances.map(\.region) + vpcEndpoints.map(\.region) + securityGroups.map(\.region) + keyPairs.map(\.region)
            + detectors.map(\.region)
        copy.account.collectedRegions = Array(Set(account.collectedRegions + entityRegions)).sorted()
        copy.account.enabledRegions = Array(Set(account.enabledRegions)).sorted()
        copy.users = users.map { user in
            var user = user
            user.groups.sort()
            user.attachedPolicies.sort { $0.policyArn < $1.policyArn }
            user.inlinePolicies.sort { $0.policyName < $1.policyName }
            user.accessKeys.sort { $0.accessKeyId < $1.accessKeyId }
            user.mfaDevices.sort { $0.serialNumber < $1.serialNumber }
            user.sshPublicKeys.sort { $0.sshPublicKeyId < $1.sshPublicKeyId }
            user.serviceSpecificCredentials.sort { $0.serviceSpecificCredentialId < $1.serviceSpecificCredentialId }
            user.signingCertificates.sort { $0.certificateId < $1.certificateId }
            user.tags.sort { $0.key < $1.key }
            return user
        }.sorted { $0.userId < $1.userId }
        copy.roles = roles.map { role in
            var role = role
            role.attachedPolicies.sort { $0.policyArn < $1.policyArn }
            role.inlinePolicies.sort { $0.policyName < $1.policyName }
            role.instanceProfiles.sort()
            role.tags.sort { $0.key < $1.key }
            return role
        }.sorted { $0.roleId < $1.roleId }
        copy.groups = groups.map { group in
            var group = group
            group.attachedPolicies.sort { $0.policyArn < $1.policyArn }
            group.inlinePolicies.sort { $0.policyName < $1.policyName }
            return group
        }.sorted { $0.groupId < $1.groupId }
        copy.policies = policies.sorted { $0.policyId < $1.policyId }
        copy.instanceProfiles = instanceProfiles.map { profile in
            var profile = profile
            profile.roles.sort()
            return profile
        }.sorted { $0.instanceProfileId < $1.instanceProfileId }
        copy.identityProviders.saml.sort { $0.arn < $1.arn }
        copy.identityProviders.oidc.sort { $0.arn < $1.arn }
        copy.instances = instances.map { instance in
            var instance = instance
            instance.securityGroupIds.sort()
            instance.tags.sort { $0.key < $1.key }
            return instance
        }.sorted { ($0.region, $0.instanceId) < ($1.region, $1.instanceId) }
        copy.vpcEndpoints = vpcEndpoints.map { endpoint in
            var endpoint = endpoint
            endpoint.tags.sort { $0.key < $1.key }
            return endpoint
        }.sorted { ($0.region, $0.vpcEndpointId) < ($1.region, $1.vpcEndpointId) }
        copy.securityGroups = securityGroups.map { group in
            var group = group
            group.ingress = group.ingress.map { $0.normalised() }.sorted { $0.sortKey < $1.sortKey }
            group.egress = group.egress.map { $0.normalised() }.sorted { $0.sortKey < $1.sortKey }
            return group
        }.sorted { ($0.region, $0.groupId) < ($1.region, $1.groupId) }
        copy.keyPairs = keyPairs.sorted { ($0.region, $0.keyName) < ($1.region, $1.keyName) }
        copy.trails = trails.sorted { $0.trailArn < $1.trailArn }
        copy.detectors = detectors.map { detector in
            var detector = detector
            detector.features.sort { $0.name < $1.name }
            return detector
        }.sorted { ($0.region, $0.detectorId) < ($1.region, $1.detectorId) }
        return copy
    }
}

extension SecurityGroupRule {
    /// The rule with its sources sorted.
    func normalised() -> SecurityGroupRule {
        var rule = self
        rule.ipv4Ranges.sort()
        rule.ipv6Ranges.sort()
        rule.groupIds.sort()
        rule.prefixListIds.sort()
        return rule
    }

    /// A total order over rules, for sorting.
    var sortKey: String {
        [
            ipProtocol, fromPort.map(String.init) ?? "", toPort.map(String.init) ?? "",
            ipv4Ranges.joined(separator: ","),
            ipv6Ranges.joined(separator: ","), groupIds.joined(separator: ","), prefixListIds.joined(separator: ","),
        ]
        .joined(separator: "|")
    }
}
