import CustodyJSON
import Evidence
import EvidenceReading

/// The rules that read a snapshot diff, each finding tied to the CloudTrail event that made the
/// change when the slice holds it.
struct StateRules {
    /// A state finding and the events it accounts for.
    struct Outcome {
        var finding: Finding
        /// The event that made the change, if found.
        var event: Int?
        /// Events it accounts for, whose CloudTrail forms are then not reported again.
        var claimed: [Int]
    }

    let result: SnapshotDiffer.Result
    let before: LoadedSnapshot
    let after: LoadedSnapshot
    let log: EventLog
    let correlator: Correlator
    /// Principals active in the baseline's slice: the account's usual operators.
    let knownPrincipals: Set<String>

    var account: String { after.snapshot.account.accountId }

    /// Lookups built once, so each rule is linear in the changes.
    private final class Lookups {
        var activeKeys: [String: Int] = [:]
        var usersById: [String: IAMUser] = [:]
        var privilegedGroups: Set<String> = []
        var regionsInUse: Set<String> = []
        var rolesBefore: Set<String> = []
        var profilesByArn: [String: InstanceProfile] = [:]
        var rolesAfter: [String: IAMRole] = [:]
        var callsThrough: [String: [Int]] = [:]
    }

    private let lookups = Lookups()

    init(
        result: SnapshotDiffer.Result, before: LoadedSnapshot, after: LoadedSnapshot, log: EventLog,
        correlator: Correlator,
        knownPrincipals: Set<String>
    ) {
        self.result = result
        self.before = before
        self.after = after
        self.log = log
        self.correlator = correlator
        self.knownPrincipals = knownPrincipals
        for user in after.snapshot.users {
            lookups.usersById[user.userId] = user
            lookups.activeKeys[user.userId] = user.accessKeys.count { $0.status == "Active" }
        }
        lookups.privilegedGroups = Set(
            after.snapshot.groups.filter { group in
                group.attachedPolicies.contains { PolicyJudgement.isPrivileged(policyArn: $0.policyArn) }
                    || group.inlinePolicies.contains { PolicyJudgement.isPrivileged(document: $0.document) }
            }.map(\.groupName))
        let s = before.snapshot
        lookups.regionsInUse = Set(
            s.instances.map(\.region) + s.vpcEndpoints.map(\.region) + s.keyPairs.map(\.region)
                + s.securityGroups.filter { $0.groupName != "default" }.map(\.region)
        )
        .union(s.trails.compactMap(\.homeRegion))
        lookups.rolesBefore = Set(s.roles.map(\.roleName))
        for profile in after.snapshot.instanceProfiles { lookups.profilesByArn[profile.arn] = profile }
        for role in after.snapshot.roles { lookups.rolesAfter[role.roleName] = role }
        for index in log.rows.indices where log.rows[index].vpcEndpoint != 0 {
            lookups.callsThrough[log.table[log.rows[index].vpcEndpoint], default: []].append(index)
        }
    }

    func evaluate() -> [Outcome] {
        var out: [Outcome] = []
        for change in result.diff.changes {
            let key = EntityKey(kind: change.entity.kind, id: change.entity.id)
            let old = result.before[key], new = result.after[key]
            switch (change.change, new?.value, old?.value) {
            case (.added, .accessKey(let k)?, _): out.append(accessKeyAdded(change, k))
            case (.changed, .accessKey(let k)?, .accessKey(let was)?):
                if was.status != "Active" && k.status == "Active" { out.append(accessKeyReactivated(change, k)) }
            case (.added, .user(let user)?, _): out.append(userAdded(change, user))
            case (.changed, .user(let user)?, .user(let was)?): out += userChanged(change, user, was)
            case (.added, .loginProfile?, _): out.append(loginProfile(change, created: true))
            case (.changed, .loginProfile(let p)?, .loginProfile(let was)?):
                if p.createDate != was.createDate { out.append(loginProfile(change, created: false)) }
            case (.added, .role(let role)?, _): out.append(roleAdded(change, role))
            case (.changed, .role(let role)?, .role(let was)?): out += roleChanged(change, role, was)
            case (.changed, .group(let group)?, .group(let was)?):
                out += attachments(
                    change, kind: .group, name: group.groupName, new: group.attachedPolicies, old: was.attachedPolicies,
                    inline: group.inlinePolicies, oldInline: was.inlinePolicies)
            case (.changed, .policy(let policy)?, .policy(let was)?):
                if policy.defaultVersionId != was.defaultVersionId { out.append(policyVersion(change, policy, was)) }
            case (.added, .mfaDevice?, _), (.added, .sshPublicKey?, _), (.added, .serviceSpecificCredential?, _),
                (.added, .signingCertificate?, _):
                out.append(otherCredential(change))
            case (.added, .samlProvider?, _), (.added, .oidcProvider?, _), (.changed, .samlProvider?, _),
                (.changed, .oidcProvider?, _):
                out.append(identityProvider(change))
            case (.added, .instanceProfile(let p)?, _):
                if !p.roles.isEmpty { out.append(instanceProfile(change, roles: p.roles)) }
            case (.changed, .instanceProfile(let p)?, .instanceProfile(let was)?):
                let added = p.roles.filter { !was.roles.contains($0) }
                if !added.isEmpty { out.append(instanceProfile(change, roles: added)) }
            case (.added, .instance(let i)?, _):
                if i.instanceProfileArn != nil { out.append(instance(change, i)) }
            case (.changed, .instance(let i)?, .instance(let was)?):
                if i.instanceProfileArn != nil && i.instanceProfileArn != was.instanceProfileArn {
                    out.append(instance(change, i))
                }
            case (.added, .vpcEndpoint(let e)?, _): out.append(vpcEndpoint(change, e))
            case (.added, .securityGroup(let g)?, _):
                if !g.ingress.isEmpty { out.append(securityGroup(change, added: g.ingress)) }
            case (.changed, .securityGroup(let g)?, .securityGroup(let was)?):
                let added = g.ingress.filter { !was.ingress.contains($0) }
                if !added.isEmpty { out.append(securityGroup(change, added: added)) }
            case (.added, .keyPair(let pair)?, _): out.append(keyPair(change, pair))
            case (.removed, _, .trail(let t)?): out.append(trail(change, t, "the trail was deleted"))
            case (.changed, .trail(let t)?, .trail(let was)?):
                if let why = trailImpairment(t, was) { out.append(trail(change, t, why)) }
            case (.removed, _, .detector(let d)?): out.append(detector(change, d, "the detector was deleted"))
            case (.changed, .detector(let d)?, .detector(let was)?):
                if was.status == "ENABLED" && d.status != "ENABLED" {
                    out.append(detector(change, d, "the detector was disabled"))
                }
            case (.changed, .account(let a)?, .account(let was)?):
                if was.organization != nil && a.organization == nil { out.append(leftOrganization(change)) }
            default: break
            }
        }
        out += regionFirstUse()
        return out
    }

    // MARK: Building findings

    private func make(
        _ rule: RuleID, _ change: EntityChange, _ title: String, _ severity: Severity, _ reason: String,
        event: Int?, related: [Int] = [], containment: Containment, details: [String: String] = [:]
    ) -> Outcome {
        var evidence = [change.after, change.before].compactMap { $0 }
        let reference = event.map { log.reference(at: $0) }
        if let pointer = reference?.evidence { evidence.append(pointer) }
        var finding = Finding(
            rule: rule, title: title, severity: severity,
            reason: reason + (event == nil ? " No CloudTrail event in the slice says who did it." : ""),
            basis: .snapshotDiff, account: account, region: change.entity.region ?? reference?.region,
            entity: change.entity,
            evidence: evidence, event: reference,
            relatedEvents: related.filter { $0 != event }.map { log.reference(at: $0) }, containment: containment,
            details: details)
        if let principal = reference?.principal { finding.details["madeBy"] = principal }
        return Outcome(
            finding: finding, event: event, claimed: Array(Set(related + [event].compactMap { $0 })).sorted())
    }

    private func callerUser(_ event: Int?) -> String? {
        guard let event, log.string(log.rows[event].identityType) == "IAMUser" else { return nil }
        return log.string(log.rows[event].userName)
            ?? log.string(log.rows[event].principal).flatMap(EventFacts.lastPathComponent)
    }

    private func byKnownPrincipal(_ event: Int?) -> Bool {
        guard let event, let principal = log.string(log.rows[event].principal) else { return false }
        return knownPrincipals.contains(principal)
    }

    private func userName(ofId id: String?) -> String? {
        guard let id else { return nil }
        return (result.after[EntityKey(kind: .user, id: id)] ?? result.before[EntityKey(kind: .user, id: id)])?
            .reference.name
    }

    // MARK: IAM

    private func accessKeyAdded(_ change: EntityChange, _ key: AccessKey) -> Outcome {
        let user = change.entity.name ?? userName(ofId: change.entity.parent)
        let event = correlator.event(["CreateAccessKey"], key.accessKeyId)
        let existingUser = change.entity.parent.map { result.before[EntityKey(kind: .user, id: $0)] != nil } ?? false
        let own = callerUser(event) != nil && callerUser(event) == user
        let active = change.entity.parent.flatMap { lookups.activeKeys[$0] } ?? 0
        let severity: Severity = own ? .low : event == nil ? .medium : .high
        let reason =
            own
            ? "The user made the key itself, as when rotating its own key."
            : event == nil
                ? "A new key \(existingUser ? "on an existing user" : "on a new user")."
                : "Another principal made a key for \(user ?? "the user"): a way back in that survives disabling the key that made it."
        return make(
            .accessKeyCreated, change, "Access key \(key.accessKeyId) created for \(user ?? "a user")", severity,
            reason + (active > 1 ? " The user now has \(active) active keys." : ""), event: event,
            containment: Advice.accessKey(key.accessKeyId, user: user),
            details: ["userName": user ?? "", "activeKeys": String(active), "status": key.status])
    }

    private func accessKeyReactivated(_ change: EntityChange, _ key: AccessKey) -> Outcome {
        let event = correlator.event(["UpdateAccessKey"], key.accessKeyId)
        return make(
            .accessKeyReactivated, change, "Access key \(key.accessKeyId) reactivated", .medium,
            "A disabled key is active again; containment disables keys, so this may undo it.", event: event,
            containment: Advice.accessKey(key.accessKeyId, user: change.entity.name))
    }

    private func privilegedGroups() -> Set<String> { lookups.privilegedGroups }

    private func userAdded(_ change: EntityChange, _ user: IAMUser) -> Outcome {
        let event = correlator.event(["CreateUser"], user.userName)
        let related =
            correlator.events(
                ["AttachUserPolicy", "PutUserPolicy", "AddUserToGroup", "CreateLoginProfile", "CreateAccessKey"],
                user.userName)
        let adminPolicies = user.attachedPolicies.filter { PolicyJudgement.isPrivileged(policyArn: $0.policyArn) }.map(
            \.policyArn)
        let adminInline = user.inlinePolicies.filter { PolicyJudgement.isPrivileged(document: $0.document) }.map(
            \.policyName)
        let adminGroups = user.groups.filter(privilegedGroups().contains)
        let admin = !adminPolicies.isEmpty || !adminInline.isEmpty || !adminGroups.isEmpty
        let how = (adminPolicies + adminInline.map { "inline \($0)" } + adminGroups.map { "group \($0)" }).joined(
            separator: ", ")
        let snapshotUser = lookups.usersById[user.userId]
        let keys = snapshotUser?.accessKeys.map(\.accessKeyId) ?? []
        let hasProfile = snapshotUser?.loginProfile != nil
        return make(
            .userCreated, change, "IAM user \(user.userName) created\(admin ? " with administrator rights" : "")",
            admin ? .high : .medium,
            admin ? "It can administer the account (\(how))." : "A new identity to come back with.", event: event,
            related: related,
            containment: Advice.user(user.userName, keys: keys, loginProfile: hasProfile, policies: adminPolicies),
            details: ["administrator": admin ? how : "", "userId": user.userId])
    }

    private func userChanged(_ change: EntityChange, _ user: IAMUser, _ was: IAMUser) -> [Outcome] {
        var out = attachments(
            change, kind: .user, name: user.userName, new: user.attachedPolicies, old: was.attachedPolicies,
            inline: user.inlinePolicies, oldInline: was.inlinePolicies)
        let privileged = privilegedGroups()
        for group in user.groups where !was.groups.contains(group) {
            let event = correlator.events(["AddUserToGroup"], user.userName).last { index in
                log.detail(index)?.requestParameters?["groupName"]?.stringValue == group
            }
            let admin = privileged.contains(group)
            out.append(
                make(
                    .groupMemberAdded, change, "User \(user.userName) added to group \(group)", admin ? .high : .medium,
                    admin ? "The group administers the account." : "The user gains the group's permissions.",
                    event: event,
                    containment: Advice.groupMember(user: user.userName, group: group), details: ["group": group]))
        }
        return out
    }

    private func attachments(
        _ change: EntityChange, kind: EntityKind, name: String, new: [AttachedPolicy], old: [AttachedPolicy],
        inline: [InlinePolicy], oldInline: [InlinePolicy]
    ) -> [Outcome] {
        var out: [Outcome] = []
        let noun = kind == .role ? "Role" : kind == .group ? "Group" : "User"
        for policy in new where !old.contains(policy) && PolicyJudgement.isPrivileged(policyArn: policy.policyArn) {
            let event = correlator.events(["Attach\(noun)Policy"], name).last { index in
                log.detail(index)?.requestParameters?["policyArn"]?.stringValue == policy.policyArn
            }
            out.append(
                make(
                    .privilegedPolicyAttached, change, "\(policy.policyName) attached to \(noun.lowercased()) \(name)",
                    .high,
                    "It grants administration of the account.", event: event,
                    containment: Advice.policyAttachment(
                        kind: kind, name: name, policyArn: policy.policyArn, inlineName: nil),
                    details: ["policyArn": policy.policyArn]))
        }
        for policy in inline
        where !oldInline.contains(policy) && PolicyJudgement.isPrivileged(document: policy.document) {
            let event = correlator.events(["Put\(noun)Policy"], name).last { index in
                log.detail(index)?.requestParameters?["policyName"]?.stringValue == policy.policyName
            }
            out.append(
                make(
                    .privilegedPolicyAttached, change,
                    "Inline policy \(policy.policyName) on \(noun.lowercased()) \(name) allows * or iam:*",
                    .high, "It grants administration of the account.", event: event,
                    containment: Advice.policyAttachment(
                        kind: kind, name: name, policyArn: nil, inlineName: policy.policyName),
                    details: ["policyName": policy.policyName]))
        }
        return out
    }

    private func loginProfile(_ change: EntityChange, created: Bool) -> Outcome {
        let user = change.entity.name ?? change.entity.id
        let event = correlator.event([created ? "CreateLoginProfile" : "UpdateLoginProfile"], user)
        let own = callerUser(event) == user
        return make(
            created ? .loginProfileCreated : .loginProfileChanged, change,
            created ? "Console password added to \(user)" : "Console password of \(user) changed",
            own ? (created ? .medium : .low) : created ? .high : .medium,
            own ? "The user set its own password." : "Someone else can now sign in to the console as \(user).",
            event: event,
            containment: Advice.loginProfile(user))
    }

    private func roleAdded(_ change: EntityChange, _ role: IAMRole) -> Outcome {
        let event = correlator.event(["CreateRole"], role.roleName)
        let related = correlator.events(
            ["AttachRolePolicy", "PutRolePolicy", "AddRoleToInstanceProfile"], role.roleName)
        let principals = PolicyJudgement.principals(role.trustPolicy)
        let foreign = principals.foreign(to: account).sorted()
        let open = principals.everyone || !foreign.isEmpty
        let serviceOnly = !open && principals.accounts.isEmpty && principals.federated.isEmpty
        let serviceLinked = role.path.hasPrefix("/aws-service-role/")
        let admin =
            role.attachedPolicies.contains { PolicyJudgement.isPrivileged(policyArn: $0.policyArn) }
            || role.inlinePolicies.contains { PolicyJudgement.isPrivileged(document: $0.document) }
        let severity: Severity = open ? .high : serviceLinked || serviceOnly ? (admin ? .medium : .low) : .medium
        let who = principals.everyone ? "everyone (*)" : foreign.joined(separator: ", ")
        let reason =
            open
            ? "Its trust policy admits \(who): principals outside the account can assume it\(admin ? ", with administrator rights" : "")."
            : serviceLinked
                ? "A service-linked role, made by an AWS service."
                : serviceOnly
                    ? "It trusts only AWS services (\(principals.services.sorted().joined(separator: ", ")))."
                    : "It trusts principals of this account."
        return make(
            .roleCreated, change, "IAM role \(role.roleName) created", severity, reason, event: event, related: related,
            containment: Advice.role(role.roleName, foreign: foreign),
            details: ["trusts": principals.all.sorted().joined(separator: " "), "administrator": admin ? "yes" : ""])
    }

    private func roleChanged(_ change: EntityChange, _ role: IAMRole, _ was: IAMRole) -> [Outcome] {
        var out = attachments(
            change, kind: .role, name: role.roleName, new: role.attachedPolicies, old: was.attachedPolicies,
            inline: role.inlinePolicies, oldInline: was.inlinePolicies)
        let now = PolicyJudgement.principals(role.trustPolicy), then = PolicyJudgement.principals(was.trustPolicy)
        let added = now.all.subtracting(then.all)
        if !added.isEmpty {
            let foreign = now.foreign(to: account).subtracting(then.accounts).sorted()
            let open = (now.everyone && !then.everyone) || !foreign.isEmpty
            let event = correlator.event(["UpdateAssumeRolePolicy"], role.roleName)
            out.append(
                make(
                    .roleTrustChanged, change,
                    "Trust policy of role \(role.roleName) admits \(added.sorted().joined(separator: ", "))",
                    open ? .high : .medium,
                    open
                        ? "It now admits principals outside the account."
                        : "It admits a new principal of this account or a service.",
                    event: event, containment: Advice.role(role.roleName, foreign: foreign),
                    details: ["added": added.sorted().joined(separator: " ")]))
        }
        return out
    }

    private func policyVersion(_ change: EntityChange, _ policy: ManagedPolicy, _ was: ManagedPolicy) -> Outcome {
        let event = correlator.event(["CreatePolicyVersion", "SetDefaultPolicyVersion"], policy.arn)
        let admin = PolicyJudgement.isPrivileged(document: policy.document)
        // moto's GetAccountAuthorizationDetails leaves PolicyName out; the ARN always ends with it.
        let name =
            policy.policyName.isEmpty ? EventFacts.lastPathComponent(policy.arn) ?? policy.arn : policy.policyName
        return make(
            .policyVersionChanged, change,
            "Policy \(name) default version \(was.defaultVersionId) → \(policy.defaultVersionId)",
            admin ? .high : .medium,
            admin
                ? "The new default version allows * or iam:*."
                : "Everyone it is attached to (\(policy.attachmentCount)) gets the new version.",
            event: event, containment: Advice.policyVersion(policy.arn, previous: was.defaultVersionId),
            details: ["versionId": policy.defaultVersionId, "previousVersionId": was.defaultVersionId])
    }

    private func otherCredential(_ change: EntityChange) -> Outcome {
        let user = change.entity.name ?? "unknown"
        let names = [
            "CreateVirtualMFADevice", "EnableMFADevice", "UploadSSHPublicKey", "CreateServiceSpecificCredential",
            "UploadSigningCertificate",
        ]
        // A virtual MFA device is created, then enabled for the user: both calls are this one change,
        // and enabling it is what gives it to the user (often within the same second).
        let event =
            (change.entity.kind == .mfaDevice ? correlator.event(["EnableMFADevice"], change.entity.id) : nil)
            ?? correlator.event(names, change.entity.id) ?? correlator.event(names, user)
        let related = correlator.events(names, change.entity.id)
        let own = callerUser(event) == user
        return make(
            .otherCredentialAdded, change, "\(change.entity.kind.rawValue) \(change.entity.id) added to \(user)",
            own ? .low : .medium, own ? "The user added it to itself." : "Another way to authenticate as \(user).",
            event: event,
            related: related,
            containment: Advice.otherCredential(kind: change.entity.kind, id: change.entity.id, user: user))
    }

    private func identityProvider(_ change: EntityChange) -> Outcome {
        let names = [
            "CreateSAMLProvider", "UpdateSAMLProvider", "CreateOpenIDConnectProvider",
            "UpdateOpenIDConnectProviderThumbprint",
            "AddClientIDToOpenIDConnectProvider",
        ]
        let event =
            correlator.event(names, change.entity.id)
            ?? correlator.event(names, EventFacts.lastPathComponent(change.entity.id))
        return make(
            .identityProviderChanged, change,
            "Identity provider \(change.entity.id) \(change.change == .added ? "created" : "changed")",
            .high, "Whoever controls the provider's signing keys can sign in as any role that trusts it.", event: event,
            containment: Advice.identityProvider(change.entity.id), details: ["change": change.change.rawValue])
    }

    private func instanceProfile(_ change: EntityChange, roles: [String]) -> Outcome {
        let name = change.entity.name ?? change.entity.id
        let event = correlator.event(["AddRoleToInstanceProfile"], name)
        let newRole = roles.contains { lookups.rolesAfter[$0] != nil && !lookups.rolesBefore.contains($0) }
        return make(
            .instanceProfileChanged, change, "Instance profile \(name) carries \(roles.joined(separator: ", "))",
            newRole ? .high : .medium,
            newRole ? "The role is new since the baseline." : "Instances launched with the profile act with the role.",
            event: event,
            containment: Advice.instanceProfile(name, role: roles.first),
            details: ["roles": roles.joined(separator: " ")])
    }

    // MARK: EC2

    private func regionsInUseBefore() -> Set<String> { lookups.regionsInUse }

    private func instance(_ change: EntityChange, _ instance: EC2Instance) -> Outcome {
        let event =
            correlator.event(["RunInstances"], instance.instanceId)
            ?? correlator.event(
                ["AssociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation"], instance.instanceId)
        let profile = instance.instanceProfileArn.flatMap(EventFacts.lastPathComponent)
        let roles = instance.instanceProfileArn.flatMap { lookups.profilesByArn[$0] }?.roles ?? []
        let newRole = roles.contains { !lookups.rolesBefore.contains($0) }
        let admin = roles.contains { role in
            lookups.rolesAfter[role].map { r in
                r.attachedPolicies.contains { PolicyJudgement.isPrivileged(policyArn: $0.policyArn) }
            } ?? false
        }
        let newRegion = !regionsInUseBefore().contains(instance.region)
        let severity: Severity
        let reason: String
        if newRegion || newRole || admin {
            severity = .high
            reason =
                [
                    newRegion ? "it runs in \(instance.region), a region the baseline did not use" : nil,
                    newRole ? "its role is new since the baseline" : nil,
                    admin ? "its role administers the account" : nil,
                ].compactMap { $0 }.joined(separator: "; ").capitalisedFirst + "."
        } else if byKnownPrincipal(event) {
            severity = .low
            reason = "Launched by a principal active in the baseline, in a region in use, with an existing role."
        } else {
            severity = .medium
            reason = "Anyone on the instance can act with its role (\(roles.joined(separator: ", ")))."
        }
        return make(
            .instanceLaunchedWithRole, change,
            "Instance \(instance.instanceId) in \(instance.region) carries instance profile \(profile ?? "?")",
            severity, reason, event: event,
            containment: Advice.instance(instance.instanceId, region: instance.region, role: roles.first),
            details: [
                "instanceProfileArn": instance.instanceProfileArn ?? "", "roles": roles.joined(separator: " "),
                "privateIpAddress": instance.privateIpAddress ?? "",
            ])
    }

    private func regionFirstUse() -> [Outcome] {
        let used = regionsInUseBefore()
        var byRegion: [String: [EntityChange]] = [:]
        for change in result.diff.changes where change.change == .added {
            guard let region = change.entity.region, !used.contains(region) else { continue }
            switch change.entity.kind {
            case .instance, .vpcEndpoint, .keyPair: byRegion[region, default: []].append(change)
            case .securityGroup where change.entity.name != "default": byRegion[region, default: []].append(change)
            default: break
            }
        }
        return byRegion.keys.sorted().map { region in
            let changes = byRegion[region]!
            let first = changes[0]
            let events = changes.compactMap {
                correlator.event(
                    ["RunInstances", "CreateVpcEndpoint", "CreateKeyPair", "ImportKeyPair", "CreateSecurityGroup"],
                    $0.entity.id)
            }.sorted()
            var outcome = make(
                .regionFirstUse, first, "Region \(region) used for the first time", .high,
                "The baseline had nothing in \(region); now it has \(changes.map { "\($0.entity.kind.rawValue) \($0.entity.id)" }.joined(separator: ", ")).",
                event: events.first, related: events, containment: Advice.region(region),
                details: [
                    "entities": changes.map { "\($0.entity.kind.rawValue):\($0.entity.id)" }.joined(separator: " ")
                ])
            outcome.finding.entity = EntityReference(kind: .region, id: region, region: region)
            return outcome
        }
    }

    private func vpcEndpoint(_ change: EntityChange, _ endpoint: VPCEndpoint) -> Outcome {
        let event = correlator.event(["CreateVpcEndpoint"], endpoint.vpcEndpointId)
        let through = lookups.callsThrough[endpoint.vpcEndpointId] ?? []
        let newRegion = !regionsInUseBefore().contains(endpoint.region)
        return make(
            .vpcEndpointCreated, change,
            "VPC endpoint \(endpoint.vpcEndpointId) for \(endpoint.serviceName) in \(endpoint.region)",
            newRegion ? .high : .medium,
            "Calls through it show a private address instead of the caller's"
                + (through.isEmpty ? "." : "; \(through.count) call(s) in the slice came through it.")
                + (newRegion ? " It is in a region the baseline did not use." : ""),
            event: event, related: through,
            containment: Advice.vpcEndpoint(endpoint.vpcEndpointId, region: endpoint.region),
            details: ["callsThrough": String(through.count)])
    }

    private func securityGroup(_ change: EntityChange, added: [SecurityGroupRule]) -> Outcome {
        let world = added.contains { ($0.ipv4Ranges + $0.ipv6Ranges).contains { $0.hasSuffix("/0") } }
        let event = correlator.event(["AuthorizeSecurityGroupIngress"], change.entity.id)
        let rules = added.map {
            "\($0.ipProtocol) \($0.fromPort.map(String.init) ?? "*")-\($0.toPort.map(String.init) ?? "*") from \(($0.ipv4Ranges + $0.ipv6Ranges + $0.groupIds).joined(separator: ","))"
        }
        return make(
            .securityGroupOpened, change,
            "Security group \(change.entity.id) (\(change.entity.name ?? "")) opened: \(rules.joined(separator: "; "))",
            world ? .high : .medium, world ? "It admits the whole internet." : "It admits a new source.", event: event,
            containment: Advice.securityGroup(change.entity.id, region: change.entity.region),
            details: [
                "sources": Array(Set(added.flatMap { $0.ipv4Ranges + $0.ipv6Ranges + $0.groupIds + $0.prefixListIds }))
                    .sorted().joined(separator: " ")
            ])
    }

    private func keyPair(_ change: EntityChange, _ pair: KeyPair) -> Outcome {
        let event = correlator.event(["CreateKeyPair", "ImportKeyPair"], pair.keyName)
        return make(
            .keyPairAdded, change, "Key pair \(pair.keyName) added in \(pair.region)",
            byKnownPrincipal(event) ? .low : .medium,
            "Instances launched with it admit whoever holds its private key.", event: event,
            containment: Advice.keyPair(pair.keyName, region: pair.region))
    }

    // MARK: Logging, detection, Organizations

    private func trailImpairment(_ trail: Trail, _ was: Trail) -> String? {
        if was.isLogging == true && trail.isLogging == false { return "logging was stopped" }
        if was.s3BucketName != trail.s3BucketName {
            return "its bucket changed from \(was.s3BucketName ?? "none") to \(trail.s3BucketName ?? "none")"
        }
        if was.eventSelectors != trail.eventSelectors || was.advancedEventSelectors != trail.advancedEventSelectors {
            return "its event selectors changed"
        }
        if was.isMultiRegionTrail && !trail.isMultiRegionTrail { return "it no longer logs every region" }
        if was.includeGlobalServiceEvents && !trail.includeGlobalServiceEvents {
            return "it no longer logs IAM and STS"
        }
        if was.logFileValidationEnabled && !trail.logFileValidationEnabled {
            return "log file validation was turned off"
        }
        return nil
    }

    private func trail(_ change: EntityChange, _ trail: Trail, _ why: String) -> Outcome {
        let event =
            correlator.event(["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"], trail.name)
            ?? correlator.event(["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"], trail.trailArn)
        return make(
            .trailImpaired, change, "Trail \(trail.name): \(why)", .high,
            "What the trail no longer records is lost to later responders.",
            event: event, containment: Advice.trail(trail.name, region: trail.homeRegion), details: ["impairment": why])
    }

    private func detector(_ change: EntityChange, _ detector: GuardDutyDetector, _ why: String) -> Outcome {
        let event = correlator.event(["DeleteDetector", "UpdateDetector"], detector.detectorId)
        return make(
            .guardDutyImpaired, change, "GuardDuty in \(detector.region): \(why)", .high,
            "GuardDuty stops watching the region.",
            event: event, containment: Advice.detector(detector.detectorId, region: detector.region))
    }

    private func leftOrganization(_ change: EntityChange) -> Outcome {
        let event = correlator.events(["LeaveOrganization"], nil).last
        return make(
            .organizationLeft, change, "Account \(account) left its Organization", .high,
            "The account is outside its Organization's SCPs, trails and GuardDuty.", event: event,
            containment: Advice.review(
                "Invite the account back from the management account.",
                commands: ["aws organizations describe-organization"]))
    }
}

extension String {
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
