import CustodyJSON
import Evidence

/// One entity of a snapshot: its reference, where it lies, and its value.
struct EntityRecord {
    var reference: EntityReference
    /// The member under `snapshot/`.
    var member: String
    /// The JSON pointer inside the member.
    var pointer: String
    var value: EntityValue

    /// The key entities are matched by: kind and stable id.
    var key: EntityKey { EntityKey(kind: reference.kind, id: reference.id) }
}

/// What matches an entity across snapshots.
struct EntityKey: Hashable, Sendable {
    var kind: EntityKind
    var id: String
}

/// An entity's value, compared for equality and turned into a tree only when it changed.
/// Users are held without their credentials, which are entities of their own. Indirect, so a
/// record is copied (into tables, into changes) with one reference count, not one per field.
indirect enum EntityValue: Equatable {
    case account(AccountInfo)
    case user(IAMUser)
    case accessKey(AccessKey)
    case loginProfile(LoginProfile)
    case mfaDevice(MFADevice)
    case sshPublicKey(SSHPublicKey)
    case serviceSpecificCredential(ServiceSpecificCredential)
    case signingCertificate(SigningCertificate)
    case role(IAMRole)
    case group(IAMGroup)
    case policy(ManagedPolicy)
    case instanceProfile(InstanceProfile)
    case samlProvider(SAMLProvider)
    case oidcProvider(OIDCProvider)
    case instance(EC2Instance)
    case vpcEndpoint(VPCEndpoint)
    case securityGroup(SecurityGroup)
    case keyPair(KeyPair)
    case trail(Trail)
    case detector(GuardDutyDetector)

    var tree: JSONValue {
        switch self {
        case .account(let v): JSONValueEncoder.encode(v)
        case .user(let v): JSONValueEncoder.encode(v)
        case .accessKey(let v): JSONValueEncoder.encode(v)
        case .loginProfile(let v): JSONValueEncoder.encode(v)
        case .mfaDevice(let v): JSONValueEncoder.encode(v)
        case .sshPublicKey(let v): JSONValueEncoder.encode(v)
        case .serviceSpecificCredential(let v): JSONValueEncoder.encode(v)
        case .signingCertificate(let v): JSONValueEncoder.encode(v)
        case .role(let v): JSONValueEncoder.encode(v)
        case .group(let v): JSONValueEncoder.encode(v)
        case .policy(let v): JSONValueEncoder.encode(v)
        case .instanceProfile(let v): JSONValueEncoder.encode(v)
        case .samlProvider(let v): JSONValueEncoder.encode(v)
        case .oidcProvider(let v): JSONValueEncoder.encode(v)
        case .instance(let v): JSONValueEncoder.encode(v)
        case .vpcEndpoint(let v): JSONValueEncoder.encode(v)
        case .securityGroup(let v): JSONValueEncoder.encode(v)
        case .keyPair(let v): JSONValueEncoder.encode(v)
        case .trail(let v): JSONValueEncoder.encode(v)
        case .detector(let v): JSONValueEncoder.encode(v)
        }
    }
}

/// Every entity of a snapshot, flattened, in member order, regional ones only for `regions`.
enum EntityIndex {
    static func records(of snapshot: Snapshot, regions: Set<String>) -> [EntityRecord] {
        var out: [EntityRecord] = []
        out.reserveCapacity(snapshot.users.count * 2 + snapshot.roles.count + snapshot.instances.count + 16)
        var account = snapshot.account
        account.callerIdentity = CallerIdentity(arn: "", userId: "", account: account.accountId)
        account.collectedRegions = []
        out.append(
            EntityRecord(
                reference: EntityReference(kind: .account, id: account.accountId, name: account.alias),
                member: SnapshotLayout.account.path(), pointer: "", value: .account(account)))
        let member = SnapshotLayout.users.path()
        let rolesMember = SnapshotLayout.roles.path(), groupsMember = SnapshotLayout.groups.path()
        let policiesMember = SnapshotLayout.policies.path(),
            instanceProfilesMember = SnapshotLayout.instanceProfiles.path()
        let providersMember = SnapshotLayout.identityProviders.path(), trailsMember = SnapshotLayout.trails.path()
        for (i, user) in snapshot.users.enumerated() {
            let base = "/\(i)"
            var bare = user
            bare.accessKeys = []
            bare.loginProfile = nil
            bare.mfaDevices = []
            bare.sshPublicKeys = []
            bare.serviceSpecificCredentials = []
            bare.signingCertificates = []
            out.append(
                EntityRecord(
                    reference: EntityReference(kind: .user, id: user.userId, name: user.userName, arn: user.arn),
                    member: member, pointer: base, value: .user(bare)))
            for (j, key) in user.accessKeys.enumerated() {
                out.append(
                    EntityRecord(
                        reference: EntityReference(
                            kind: .accessKey, id: key.accessKeyId, name: user.userName, parent: user.userId),
                        member: member, pointer: base + "/accessKeys/\(j)", value: .accessKey(key)))
            }
            if let profile = user.loginProfile {
                out.append(
                    EntityRecord(
                        reference: EntityReference(
                            kind: .loginProfile, id: user.userId, name: user.userName, arn: user.arn,
                            parent: user.userId),
                        member: member, pointer: base + "/loginProfile", value: .loginProfile(profile)))
            }
            for (j, device) in user.mfaDevices.enumerated() {
                out.append(
                    EntityRecord(
                        reference: EntityReference(
                            kind: .mfaDevice, id: device.serialNumber, name: user.userName, parent: user.userId),
                        member: member, pointer: base + "/mfaDevices/\(j)", value: .mfaDevice(device)))
            }
            for (j, key) in user.sshPublicKeys.enumerated() {
                out.append(
                    EntityRecord(
                        reference: EntityReference(
                            kind: .sshPublicKey, id: key.sshPublicKeyId, name: user.userName, parent: user.userId),
                        member: member, pointer: base + "/sshPublicKeys/\(j)", value: .sshPublicKey(key)))
            }
            for (j, credential) in user.serviceSpecificCredentials.enumerated() {
                out.append(
                    EntityRecord(
                        reference: EntityReference(
                            kind: .serviceSpecificCredential, id: credential.serviceSpecificCredentialId,
                            name: user.userName,
                            parent: user.userId),
                        member: member, pointer: base + "/serviceSpecificCredentials/\(j)",
                        value: .serviceSpecificCredential(credential)))
            }
            for (j, certificate) in user.signingCertificates.enumerated() {
                out.append(
                    EntityRecord(
                        reference: EntityReference(
                            kind: .signingCertificate, id: certificate.certificateId, name: user.userName,
                            parent: user.userId),
                        member: member, pointer: base + "/signingCertificates/\(j)",
                        value: .signingCertificate(certificate)))
            }
        }
        for (i, role) in snapshot.roles.enumerated() {
            out.append(
                EntityRecord(
                    reference: EntityReference(kind: .role, id: role.roleId, name: role.roleName, arn: role.arn),
                    member: rolesMember, pointer: "/\(i)", value: .role(role)))
        }
        for (i, group) in snapshot.groups.enumerated() {
            out.append(
                EntityRecord(
                    reference: EntityReference(kind: .group, id: group.groupId, name: group.groupName, arn: group.arn),
                    member: groupsMember, pointer: "/\(i)", value: .group(group)))
        }
        for (i, policy) in snapshot.policies.enumerated() {
            out.append(
                EntityRecord(
                    reference: EntityReference(
                        kind: .policy, id: policy.policyId, name: policy.policyName, arn: policy.arn),
                    member: policiesMember, pointer: "/\(i)", value: .policy(policy)))
        }
        for (i, profile) in snapshot.instanceProfiles.enumerated() {
            out.append(
                EntityRecord(
                    reference: EntityReference(
                        kind: .instanceProfile, id: profile.instanceProfileId, name: profile.instanceProfileName,
                        arn: profile.arn),
                    member: instanceProfilesMember, pointer: "/\(i)", value: .instanceProfile(profile)))
        }
        for (i, provider) in snapshot.identityProviders.saml.enumerated() {
            out.append(
                EntityRecord(
                    reference: EntityReference(kind: .samlProvider, id: provider.arn, arn: provider.arn),
                    member: providersMember, pointer: "/saml/\(i)", value: .samlProvider(provider)))
        }
        for (i, provider) in snapshot.identityProviders.oidc.enumerated() {
            out.append(
                EntityRecord(
                    reference: EntityReference(kind: .oidcProvider, id: provider.arn, arn: provider.arn),
                    member: providersMember, pointer: "/oidc/\(i)", value: .oidcProvider(provider)))
        }
        var counters: [String: Int] = [:]
        func next(_ member: String) -> Int {
            let index = counters[member, default: 0]
            counters[member] = index + 1
            return index
        }
        for instance in snapshot.instances {
            let member = SnapshotLayout.instances.path(in: instance.region)
            let index = next(member)
            guard regions.contains(instance.region) else { continue }
            let name = instance.tags.first { $0.key == "Name" }?.value
            out.append(
                EntityRecord(
                    reference: EntityReference(
                        kind: .instance, id: instance.instanceId, name: name, region: instance.region),
                    member: member, pointer: "/\(index)", value: .instance(instance)))
        }
        for endpoint in snapshot.vpcEndpoints {
            let member = SnapshotLayout.vpcEndpoints.path(in: endpoint.region)
            let index = next(member)
            guard regions.contains(endpoint.region) else { continue }
            out.append(
                EntityRecord(
                    reference: EntityReference(
                        kind: .vpcEndpoint, id: endpoint.vpcEndpointId, name: endpoint.serviceName,
                        region: endpoint.region),
                    member: member, pointer: "/\(index)", value: .vpcEndpoint(endpoint)))
        }
        for group in snapshot.securityGroups {
            let member = SnapshotLayout.securityGroups.path(in: group.region)
            let index = next(member)
            guard regions.contains(group.region) else { continue }
            out.append(
                EntityRecord(
                    reference: EntityReference(
                        kind: .securityGroup, id: group.groupId, name: group.groupName, region: group.region),
                    member: member, pointer: "/\(index)", value: .securityGroup(group)))
        }
        for pair in snapshot.keyPairs {
            let member = SnapshotLayout.keyPairs.path(in: pair.region)
            let index = next(member)
            guard regions.contains(pair.region) else { continue }
            out.append(
                EntityRecord(
                    reference: EntityReference(
                        kind: .keyPair, id: pair.keyPairId ?? "\(pair.region)/\(pair.keyName)", name: pair.keyName,
                        region: pair.region),
                    member: member, pointer: "/\(index)", value: .keyPair(pair)))
        }
        for detector in snapshot.detectors {
            let member = SnapshotLayout.detectors.path(in: detector.region)
            let index = next(member)
            guard regions.contains(detector.region) else { continue }
            out.append(
                EntityRecord(
                    reference: EntityReference(kind: .detector, id: detector.detectorId, region: detector.region),
                    member: member, pointer: "/\(index)", value: .detector(detector)))
        }
        for (i, trail) in snapshot.trails.enumerated() {
            out.append(
                EntityRecord(
                    reference: EntityReference(
                        kind: .trail, id: trail.trailArn, name: trail.name, arn: trail.trailArn,
                        region: trail.homeRegion),
                    member: trailsMember, pointer: "/\(i)", value: .trail(trail)))
        }
        return out
    }
}
