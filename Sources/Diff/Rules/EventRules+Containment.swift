import CustodyJSON
import EvidenceReading

/// `response.containment-action`: calls that undo or remove rather than make. Logging started, a
/// detector enabled, a trusted IP set removed, a key disabled, an administrator policy detached,
/// ingress revoked: containment. A key, user, console password, role, instance, endpoint or key
/// pair deleted: clean-up. The handler reports every such call that an AWS service did not make
/// on its own; `Analysis` keeps only those of a suspect actor (someone holding its keys is
/// tidying up) and never raises them.
extension EventRules {
    /// The event names the rule reads, in `Rule.all`.
    static let containmentEventNames = [
        "StartLogging", "UpdateDetector", "DeleteIPSet", "UpdateAccessKey", "DeleteAccessKey", "DeleteUser",
        "DeleteLoginProfile", "DeleteRole", "DeleteInstanceProfile", "RemoveRoleFromInstanceProfile",
        "DetachUserPolicy", "DetachGroupPolicy", "DetachRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy",
        "DeleteRolePolicy", "DeletePolicy", "RemoveUserFromGroup", "DeleteSSHPublicKey",
        "DeleteServiceSpecificCredential", "DeleteSigningCertificate", "DeleteSAMLProvider",
        "DeleteOpenIDConnectProvider", "TerminateInstances", "DeleteVpcEndpoints", "DeleteKeyPair",
        "RevokeSecurityGroupIngress", "DeleteSecurityGroup", "RemovePermission20150331v2", "RemovePermission",
        "DeleteTrustAnchor",
    ]

    /// What one call undid: which way, the thing, and whether it restored a defence (rather than
    /// took something away, which may also be someone else's access).
    struct Undone {
        var effect: Finding.Effect
        var title: String
        var entity: EntityReference
        var restoresDefence = false
    }

    static func containmentAction(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed, !madeByService(event) else { return [] }
        return undone(event).map { undone in
            var item = event.finding(
                .containmentAction, undone.title, .low,
                undone.effect == .containment
                    ? "A containment: it restores a defence or takes access away."
                    : "A clean-up: the thing is gone.",
                entity: undone.entity, containment: Advice.tidiedBy(event.accessKey, user: event.callerUserName),
                details: undone.restoresDefence ? ["restoresDefence": "yes"] : [:])
            item.finding.effect = undone.effect
            return item
        }
    }

    /// Whether an AWS service made the call on its own (Auto Scaling terminating instances,
    /// CloudFormation deleting a stack's resources): no one's hands.
    static func madeByService(_ event: EventFacts) -> Bool {
        event.identityType == "AWSService" || event.row.invokedBy != 0
            || event.principal?.contains(":assumed-role/AWSServiceRoleFor") == true
    }

    /// What the call undid, one entry per thing (TerminateInstances may end several instances).
    static func undone(_ event: EventFacts) -> [Undone] {
        let source = event.record.eventSource ?? ""
        let user = event.parameter("userName"), role = event.parameter("roleName")
        switch event.name {
        case "StartLogging":
            let name = event.parameter("name") ?? "unknown"
            return [
                Undone(
                    effect: .containment, title: "Trail \(name): logging started",
                    entity: EntityReference(
                        kind: .trail, id: name, name: EventFacts.lastPathComponent(name), region: event.region),
                    restoresDefence: true)
            ]
        case "UpdateDetector":
            guard event.request?["enable"]?.boolValue == true else { return [] }
            let detector = event.parameter("detectorId") ?? "unknown"
            return [
                Undone(
                    effect: .containment, title: "GuardDuty detector \(detector) enabled",
                    entity: EntityReference(kind: .detector, id: detector, region: event.region),
                    restoresDefence: true)
            ]
        case "DeleteIPSet":
            guard source == "guardduty.amazonaws.com" else { return [] }
            let set = event.parameter("ipSetId") ?? "unknown"
            return [
                Undone(
                    effect: .containment, title: "GuardDuty trusted IP set \(set) deleted",
                    entity: EntityReference(
                        kind: .detector, id: event.parameter("detectorId") ?? "unknown", region: event.region,
                        parent: set),
                    restoresDefence: true)
            ]
        case "UpdateAccessKey":
            guard let status = event.parameter("status"), status != "Active" else { return [] }
            let key = event.parameter("accessKeyId") ?? "unknown"
            let owner = user ?? event.callerUserName
            return [
                Undone(
                    effect: .containment, title: "Access key \(key) of \(owner ?? "a user") made \(status)",
                    entity: EntityReference(kind: .accessKey, id: key, name: owner))
            ]
        case "DeleteAccessKey":
            let key = event.parameter("accessKeyId") ?? "unknown"
            let owner = user ?? event.callerUserName
            return [
                Undone(
                    effect: .cleanUp, title: "Access key \(key) of \(owner ?? "a user") deleted",
                    entity: EntityReference(kind: .accessKey, id: key, name: owner))
            ]
        case "DeleteUser":
            let name = user ?? "unknown"
            return [
                Undone(
                    effect: .cleanUp, title: "IAM user \(name) deleted",
                    entity: EntityReference(kind: .user, id: name, name: name))
            ]
        case "DeleteLoginProfile":
            let name = user ?? event.callerUserName ?? "unknown"
            return [
                Undone(
                    effect: .cleanUp, title: "Console password of \(name) deleted",
                    entity: EntityReference(kind: .loginProfile, id: name, name: name))
            ]
        case "DeleteRole":
            let name = role ?? "unknown"
            return [
                Undone(
                    effect: .cleanUp, title: "IAM role \(name) deleted",
                    entity: EntityReference(kind: .role, id: name, name: name))
            ]
        case "DeleteInstanceProfile", "RemoveRoleFromInstanceProfile":
            let profile = event.parameter("instanceProfileName") ?? "unknown"
            let removed = event.name == "RemoveRoleFromInstanceProfile"
            return [
                Undone(
                    effect: removed ? .containment : .cleanUp,
                    title: removed
                        ? "Role \(role ?? "?") removed from instance profile \(profile)"
                        : "Instance profile \(profile) deleted",
                    entity: EntityReference(kind: .instanceProfile, id: profile, name: profile, parent: role))
            ]
        case "DetachUserPolicy", "DetachGroupPolicy", "DetachRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy",
            "DeleteRolePolicy":
            let kind: EntityKind = event.name.contains("Role") ? .role : event.name.contains("Group") ? .group : .user
            let name = (kind == .role ? role : kind == .group ? event.parameter("groupName") : user) ?? "unknown"
            let policy: String
            if let arn = event.parameter("policyArn") {
                // Detaching an ordinary managed policy is everyday administration.
                guard PolicyJudgement.isPrivileged(policyArn: arn) else { return [] }
                policy = arn
            } else {
                policy = "inline policy \(event.parameter("policyName") ?? "?")"
            }
            return [
                Undone(
                    effect: .containment,
                    title:
                        "\(policy) removed from \(kind == .user ? "user" : kind == .group ? "group" : "role") \(name)",
                    entity: EntityReference(kind: kind, id: name, name: name))
            ]
        case "DeletePolicy":
            let arn = event.parameter("policyArn") ?? "unknown"
            return [
                Undone(
                    effect: .cleanUp, title: "Policy \(arn) deleted",
                    entity: EntityReference(kind: .policy, id: arn, name: EventFacts.lastPathComponent(arn), arn: arn))
            ]
        case "RemoveUserFromGroup":
            let group = event.parameter("groupName") ?? "unknown"
            return [
                Undone(
                    effect: .containment, title: "User \(user ?? "?") removed from group \(group)",
                    entity: EntityReference(kind: .group, id: group, name: group, parent: user))
            ]
        case "DeleteSSHPublicKey", "DeleteServiceSpecificCredential", "DeleteSigningCertificate":
            let kind: EntityKind =
                event.name == "DeleteSSHPublicKey"
                ? .sshPublicKey
                : event.name == "DeleteSigningCertificate" ? .signingCertificate : .serviceSpecificCredential
            let id =
                event.parameter("sSHPublicKeyId") ?? event.parameter("sshPublicKeyId")
                ?? event.parameter("serviceSpecificCredentialId") ?? event.parameter("certificateId") ?? "unknown"
            return [
                Undone(
                    effect: .cleanUp, title: "\(event.name) \(id) of \(user ?? event.callerUserName ?? "a user")",
                    entity: EntityReference(kind: kind, id: id, name: user ?? event.callerUserName))
            ]
        case "DeleteSAMLProvider", "DeleteOpenIDConnectProvider":
            let arn = event.parameter("sAMLProviderArn") ?? event.parameter("openIDConnectProviderArn") ?? "unknown"
            return [
                Undone(
                    effect: .cleanUp, title: "Identity provider \(arn) deleted",
                    entity: EntityReference(
                        kind: event.name.contains("SAML") ? .samlProvider : .oidcProvider, id: arn, arn: arn))
            ]
        case "TerminateInstances":
            return strings(in: event.request, prefix: "i-").map { id in
                Undone(
                    effect: .cleanUp, title: "Instance \(id) terminated",
                    entity: EntityReference(kind: .instance, id: id, region: event.region))
            }
        case "DeleteVpcEndpoints":
            return strings(in: event.request, prefix: "vpce-").map { id in
                Undone(
                    effect: .cleanUp, title: "VPC endpoint \(id) deleted",
                    entity: EntityReference(kind: .vpcEndpoint, id: id, region: event.region))
            }
        case "DeleteKeyPair":
            let name = event.parameter("keyName"), id = event.parameter("keyPairId")
            return [
                Undone(
                    effect: .cleanUp, title: "Key pair \(name ?? id ?? "unknown") deleted",
                    entity: EntityReference(
                        kind: .keyPair, id: id ?? "\(event.region ?? "")/\(name ?? "unknown")", name: name,
                        region: event.region))
            ]
        case "RevokeSecurityGroupIngress", "DeleteSecurityGroup":
            let group = event.parameter("groupId") ?? event.parameter("groupName") ?? "unknown"
            let revoked = event.name == "RevokeSecurityGroupIngress"
            return [
                Undone(
                    effect: revoked ? .containment : .cleanUp,
                    title: revoked ? "Ingress revoked from security group \(group)" : "Security group \(group) deleted",
                    entity: EntityReference(kind: .securityGroup, id: group, region: event.region))
            ]
        case "RemovePermission20150331v2", "RemovePermission":
            guard source == "lambda.amazonaws.com" else { return [] }
            let function = event.parameter("functionName") ?? "unknown"
            return [
                Undone(
                    effect: .containment,
                    title: "Statement \(event.parameter("statementId") ?? "?") removed from function \(function)",
                    entity: EntityReference(kind: .function, id: function, name: function, region: event.region))
            ]
        case "DeleteTrustAnchor":
            guard source == "rolesanywhere.amazonaws.com" else { return [] }
            let anchor = event.parameter("trustAnchorId") ?? "unknown"
            return [
                Undone(
                    effect: .cleanUp, title: "IAM Roles Anywhere trust anchor \(anchor) deleted",
                    entity: EntityReference(kind: .rolesAnywhere, id: anchor, region: event.region))
            ]
        default:
            return []
        }
    }

    /// Every string in `value` that starts with `prefix`, once each, in order: the ids of EC2's
    /// lists, which CloudTrail writes in several shapes (`instancesSet.items[].instanceId`,
    /// `DeleteVpcEndpointsRequest.VpcEndpointId.content` …).
    static func strings(in value: JSONValue?, prefix: String) -> [String] {
        var out: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .string(let text) where text.hasPrefix(prefix) && !out.contains(text): out.append(text)
            case .array(let items): items.forEach(walk)
            case .object(let members): for member in members.sorted(by: { $0.key < $1.key }) { walk(member.value) }
            default: break
            }
        }
        if let value { walk(value) }
        return out
    }
}

extension Advice {
    /// For a containment or clean-up: nothing to undo, but find out who holds the key that made it.
    static func tidiedBy(_ key: String?, user: String?) -> Containment {
        let key = key ?? "ACCESS_KEY_ID"
        return Containment(
            advice:
                "Nothing to undo. When a suspect's key made the call, someone else holds it and is removing traces: "
                + "disable the key, and compare what was removed with the snapshots and the earlier findings." + record,
            commands: [
                "aws iam update-access-key --user-name \(user ?? "USER_NAME") --access-key-id \(key) --status Inactive",
                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=\(key)",
            ])
    }
}
