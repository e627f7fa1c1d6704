import CustodyJSON
import Evidence
import EvidenceReading

/// Access keys, users, console passwords, other credentials, group memberships, administrator
/// policies, policy versions and identity providers.
extension EradicationCheck {
    var usersMember: EvidencePointer { newest.member(SnapshotLayout.users.path()) }
    /// How far apart (seconds) an AWS creation date and the CloudTrail event that made it may lie.
    static let sameMoment: Int64 = 300
    var iamGap: String? { newest.gap("iam", ["GetAccountAuthorizationDetails"]) }

    func accessKey(_ finding: Finding) -> Outcome {
        accessKey(finding.entity.id, user: finding.entity.name)
    }

    /// Active remains, Inactive is contained, absent is removed; absent and of no user of this
    /// account (`ours` false: another account's key that the actor used) is nothing to disable here.
    func accessKey(_ id: String, user name: String?, ours: Bool = true) -> Outcome {
        guard id != "unknown", name != "root" else {
            return Outcome(
                status: .unknown,
                reason: name == "root"
                    ? "The root user's keys are not listed with the users: check the credential report (aws iam get-credential-report)."
                    : "The finding names no access key id.")
        }
        guard let (user, key) = newest.keys[id] else {
            let gap = newest.gap("iam", ["ListAccessKeys", "GetAccountAuthorizationDetails"])
            if !ours && gap == nil {
                return Outcome(
                    status: .notApplicable,
                    reason:
                        "Access key \(id) is not among the keys of account \(newest.account)'s users, and the events "
                        + "name no user of this account for it: another account's key, nothing here to disable.")
            }
            return gone(
                "Access key \(id)\(name.map { " of \($0)" } ?? "") is no longer in the newest snapshot: deleted"
                    + (name.flatMap { newest.usersByName[$0] } == nil && name != nil ? " with its user." : "."),
                newest.gap("iam", ["ListAccessKeys", "GetAccountAuthorizationDetails"]), evidence: usersMember)
        }
        let evidence = newest.pointer(.accessKey, id)
        guard key.status == "Active" else {
            return Outcome(
                status: .contained,
                reason:
                    "Access key \(id) of \(user.userName) is \(key.status): disabled, still present. Delete it once "
                    + "the case is closed; until then it shows the intruder's attempts as refused.",
                evidence: evidence)
        }
        return Outcome(
            status: .remains, reason: "Access key \(id) of \(user.userName) is still Active.",
            commands: Advice.accessKey(id, user: user.userName).commands, evidence: evidence)
    }

    /// A user is contained when it has no active key, no console password, and a policy denying everything.
    func user(_ finding: Finding) -> Outcome {
        let name = finding.entity.name ?? finding.entity.id
        guard let user = newest.user(id: finding.entity.id, name: finding.entity.name) else {
            return gone("User \(name) is no longer in the newest snapshot.", iamGap, evidence: usersMember)
        }
        let active = user.accessKeys.filter { $0.status == "Active" }.map(\.accessKeyId)
        let admin = user.attachedPolicies.map(\.policyArn).filter(PolicyJudgement.isPrivileged(policyArn:))
        let denied = SessionDenial.user(user, in: newest).flatMap { $0.time == SessionDenial.always ? $0.policy : nil }
        var holds: [String] = []
        if !active.isEmpty {
            holds.append("active key\(active.count == 1 ? "" : "s") \(active.joined(separator: ", "))")
        }
        if user.loginProfile != nil { holds.append("a console password") }
        if !admin.isEmpty { holds.append(admin.joined(separator: ", ")) }
        let evidence = newest.pointer(.user, user.userId)
        if let denied, active.isEmpty, user.loginProfile == nil {
            return Outcome(
                status: .contained,
                reason: "User \(user.userName) is still there, without an active key or a console password, and its "
                    + "\(denied) denies everything: contained. Delete it once the case is closed.",
                evidence: evidence)
        }
        return Outcome(
            status: .remains,
            reason: "User \(user.userName) is still there"
                + (holds.isEmpty ? "" : ", with \(holds.joined(separator: ", "))")
                + (denied == nil ? ", and nothing denies it everything." : "."),
            commands: Advice.user(
                user.userName, keys: active, loginProfile: user.loginProfile != nil, policies: admin
            ).commands,
            evidence: evidence)
    }

    /// A console password remains while the user has one set no later than the finding's event.
    func loginProfile(_ finding: Finding) -> Outcome {
        let name = finding.entity.name ?? finding.entity.id
        guard let user = newest.user(id: finding.entity.id, name: finding.entity.name) else {
            return gone(
                "User \(name), and its console password with it, is no longer in the newest snapshot.", iamGap,
                evidence: usersMember)
        }
        let evidence = newest.pointer(.user, user.userId)
        guard let profile = user.loginProfile else {
            return gone(
                "User \(user.userName) has no console password any more.", newest.gap("iam", ["GetLoginProfile"]),
                evidence: evidence)
        }
        // IAM's CreateDate and CloudTrail's eventTime may differ by a little: only a password set
        // well after the finding's event is another one.
        if let set = UTCTimestamp(parsing: profile.createDate)?.seconds,
            let made = finding.event?.eventTime.flatMap({ UTCTimestamp(parsing: $0)?.seconds }),
            set > EvidenceSeconds.adding(made, Self.sameMoment)
        {
            return Outcome(
                status: .removed,
                reason: "The console password of \(user.userName) was set again at \(profile.createDate), after the "
                    + "finding's event: the password it found no longer works.",
                evidence: newest.pointer(.loginProfile, user.userId))
        }
        return Outcome(
            status: .remains, reason: "User \(user.userName) still has the console password.",
            commands: Advice.loginProfile(user.userName).commands, evidence: newest.pointer(.loginProfile, user.userId))
    }

    /// An MFA device, SSH key, service-specific credential or signing certificate: active remains.
    func otherCredential(_ finding: Finding) -> Outcome {
        let id = finding.entity.id, kind = finding.entity.kind
        let name = finding.entity.name ?? "a user"
        guard let user = newest.user(id: finding.entity.parent, name: finding.entity.name) else {
            return gone("User \(name), and its \(kind.rawValue) \(id), is no longer in the newest snapshot.", iamGap)
        }
        let status: String?
        let listing: String
        switch kind {
        case .mfaDevice:
            status = user.mfaDevices.contains { $0.serialNumber == id } ? "Active" : nil
            listing = "ListMFADevices"
        case .sshPublicKey:
            status = user.sshPublicKeys.first { $0.sshPublicKeyId == id }?.status
            listing = "ListSSHPublicKeys"
        case .serviceSpecificCredential:
            status = user.serviceSpecificCredentials.first { $0.serviceSpecificCredentialId == id }?.status
            listing = "ListServiceSpecificCredentials"
        default:
            status = user.signingCertificates.first { $0.certificateId == id }?.status
            listing = "ListSigningCertificates"
        }
        let evidence = newest.pointer(kind, id)
        guard let status else {
            return gone(
                "User \(user.userName) no longer has \(kind.rawValue) \(id).", newest.gap("iam", [listing]),
                evidence: newest.pointer(.user, user.userId))
        }
        guard status == "Active" else {
            return Outcome(
                status: .contained,
                reason:
                    "\(kind.rawValue) \(id) of \(user.userName) is \(status): disabled, still present. Delete it once the case is closed.",
                evidence: evidence)
        }
        return Outcome(
            status: .remains, reason: "User \(user.userName) still has \(kind.rawValue) \(id), active.",
            commands: Advice.otherCredential(kind: kind, id: id, user: user.userName).commands, evidence: evidence)
    }

    /// The state form names the user and the group in `details`; the CloudTrail form names the group
    /// as its entity and the user as its parent.
    func groupMember(_ finding: Finding) -> Outcome {
        let stateForm = finding.entity.kind == .user
        let group = (stateForm ? finding.details["group"] : finding.entity.id) ?? "unknown"
        let name = stateForm ? finding.entity.name : finding.entity.parent ?? finding.details["userName"]
        guard let user = newest.user(id: stateForm ? finding.entity.id : nil, name: name) else {
            return gone("User \(name ?? "unknown") is no longer in the newest snapshot.", iamGap, evidence: usersMember)
        }
        let evidence = newest.pointer(.user, user.userId)
        guard user.groups.contains(group) else {
            return gone("User \(user.userName) is no longer in group \(group).", iamGap, evidence: evidence)
        }
        return Outcome(
            status: .remains, reason: "User \(user.userName) is still in group \(group).",
            commands: Advice.groupMember(user: user.userName, group: group).commands, evidence: evidence)
    }

    /// An administrator policy on a user, group or role: still attached (or still an inline policy
    /// that allows `*` or `iam:*`) remains.
    func policyAttachment(_ finding: Finding) -> Outcome {
        let kind = finding.entity.kind
        let name = finding.entity.name ?? finding.entity.id
        let described = finding.details["policy"] ?? ""
        let arn = finding.details["policyArn"] ?? (described.hasPrefix("arn:") ? described : nil)
        let inline =
            finding.details["policyName"]
            ?? (described.hasPrefix("inline policy ") ? String(described.dropFirst("inline policy ".count)) : nil)
        let noun = kind == .role ? "Role" : kind == .group ? "Group" : "User"
        let attached: [AttachedPolicy]
        let inlinePolicies: [InlinePolicy]
        let evidence: EvidencePointer?
        switch kind {
        case .role:
            guard let role = newest.role(id: finding.entity.id, name: finding.entity.name) else {
                return gone("Role \(name) is no longer in the newest snapshot.", iamGap)
            }
            (attached, inlinePolicies, evidence) = (
                role.attachedPolicies, role.inlinePolicies, newest.pointer(.role, role.roleId)
            )
        case .group:
            guard let group = newest.groupsByName[name] else {
                return gone("Group \(name) is no longer in the newest snapshot.", iamGap)
            }
            (attached, inlinePolicies, evidence) = (
                group.attachedPolicies, group.inlinePolicies, newest.pointer(.group, group.groupId)
            )
        default:
            guard let user = newest.user(id: finding.entity.id, name: finding.entity.name) else {
                return gone("User \(name) is no longer in the newest snapshot.", iamGap, evidence: usersMember)
            }
            (attached, inlinePolicies, evidence) = (
                user.attachedPolicies, user.inlinePolicies, newest.pointer(.user, user.userId)
            )
        }
        let still: Bool
        let what: String
        if let arn {
            still = attached.contains { $0.policyArn == arn }
            what = arn
        } else if let inline {
            still = inlinePolicies.contains {
                $0.policyName == inline && PolicyJudgement.isPrivileged(document: $0.document)
            }
            what = "inline policy \(inline)"
        } else {
            return Outcome(status: .unknown, reason: "The finding does not say which policy was given.")
        }
        guard still else {
            return gone(
                "\(noun) \(name) no longer has \(what) (or it no longer allows * or iam:*).", iamGap, evidence: evidence
            )
        }
        return Outcome(
            status: .remains, reason: "\(noun) \(name) still has \(what).",
            commands: Advice.policyAttachment(
                kind: kind, name: name, policyArn: arn, inlineName: arn == nil ? inline : nil
            )
            .commands,
            evidence: evidence)
    }

    /// A customer policy whose default version is still the one the finding saw remains.
    func policyVersion(_ finding: Finding) -> Outcome {
        let arn = finding.entity.arn ?? finding.entity.id
        guard let policy = newest.policiesByArn[arn] else {
            return gone("Policy \(arn) is no longer in the newest snapshot.", iamGap)
        }
        let evidence = newest.pointer(.policy, policy.policyId)
        guard let version = finding.details["versionId"], !version.isEmpty else {
            return Outcome(
                status: .unknown,
                reason: "The finding does not say which version became the default; policy \(arn)'s default is now "
                    + "\(policy.defaultVersionId).", evidence: evidence)
        }
        guard policy.defaultVersionId == version else {
            return Outcome(
                status: .removed,
                reason: "Policy \(arn)'s default version is \(policy.defaultVersionId) now, not \(version).",
                evidence: evidence)
        }
        return Outcome(
            status: .remains, reason: "Policy \(arn)'s default version is still \(version).",
            commands: Advice.policyVersion(arn, previous: finding.details["previousVersionId"]).commands,
            evidence: evidence)
    }

    /// A provider made by the intruder remains while it exists; one the intruder changed cannot be
    /// told from the snapshot, which holds no metadata or thumbprints.
    func identityProvider(_ finding: Finding) -> Outcome {
        let arn = finding.entity.arn ?? finding.entity.id
        let providers = newest.loaded.snapshot.identityProviders
        let present = providers.saml.contains { $0.arn == arn } || providers.oidc.contains { $0.arn == arn }
        let evidence = newest.pointer(finding.entity.kind, arn)
        guard present else {
            return gone(
                "Identity provider \(arn) is no longer in the newest snapshot.",
                newest.gap("iam", ["ListSAMLProviders", "ListOpenIDConnectProviders"]))
        }
        let created =
            finding.details["change"].map { $0 == "added" } ?? finding.event?.eventName?.hasPrefix("Create") ?? false
        guard created else {
            return Outcome(
                status: .unknown,
                reason: "Identity provider \(arn) is still there; the snapshot holds neither its metadata nor its "
                    + "thumbprints, so it cannot tell whether the change was undone.",
                commands: Advice.identityProvider(arn).commands.prefix(1).map { $0 }, evidence: evidence)
        }
        return Outcome(
            status: .remains, reason: "Identity provider \(arn) is still there.",
            commands: Advice.identityProvider(arn).commands, evidence: evidence)
    }
}
