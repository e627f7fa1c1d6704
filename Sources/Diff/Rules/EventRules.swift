import CustodyJSON
import Evidence
import Foundation
import EvidenceReading

/// The CloudTrail rules that look at one event at a time: every state rule's CloudTrail form and
/// the CloudTrail-only rules that need no history. Failed calls make nothing, except where an
/// attempt is itself the finding (leaving the Organization, reading secrets or user data, running
/// commands on instances, launching hijack-sized instances, impairing logging or GuardDuty:
/// `impairment`).
enum EventRules {
    /// What an event is judged with besides itself.
    struct Context {
        /// Accounts known to belong to the organisation, less those an earlier call in a hunt's
        /// slice wrote into the trust of the role an AssumeRole names.
        var knownAccounts: Set<String>
        /// What the analysis's snapshots say.
        var snapshots: SnapshotFacts
    }

    /// Judges one event in its context.
    typealias Evaluator = @Sendable (EventFacts, Context) -> [EventFinding]

    /// The handler of each rule that judges one event at a time, given every event named in the
    /// rule's `Rule.eventNames`. `loginProfile` and `role` serve two rules each and tell them apart
    /// by the event's name. The behavioural rules (`BehaviourRules`) judge many events at once and
    /// have none; `RunInstances`, which `regionFirstUse` also names, goes to `instanceLaunchedWithRole`
    /// and `resourceHijacking`. Handlers of rules told per caller (`groupings`) return one finding per
    /// event, which `grouped` then merges.
    static let handlers: [RuleID: Evaluator] = [
        .accessKeyCreated: { event, _ in createAccessKey(event) },
        .accessKeyReactivated: { event, _ in updateAccessKey(event) },
        .userCreated: { event, _ in createUser(event) },
        .loginProfileCreated: { event, _ in loginProfile(event) },
        .loginProfileChanged: { event, _ in loginProfile(event) },
        .roleCreated: { event, _ in role(event) },
        .roleTrustChanged: { event, _ in role(event) },
        .privilegedPolicyAttached: { event, _ in policyAttached(event) },
        .policyVersionChanged: { event, _ in policyVersion(event) },
        .groupMemberAdded: { event, _ in groupMember(event) },
        .otherCredentialAdded: { event, _ in otherCredential(event) },
        .identityProviderChanged: { event, _ in identityProvider(event) },
        .instanceProfileChanged: { event, _ in instanceProfile(event) },
        .instanceLaunchedWithRole: { event, _ in instance(event) },
        .vpcEndpointCreated: { event, _ in vpcEndpoint(event) },
        .securityGroupOpened: { event, _ in securityGroup(event) },
        .keyPairAdded: { event, _ in keyPair(event) },
        .trailImpaired: { event, _ in trail(event) },
        .guardDutyImpaired: { event, _ in guardDuty(event) },
        .sessionTokenIssued: { event, _ in sessionToken(event) },
        .federationTokenIssued: { event, _ in federationToken(event) },
        .roleAssumedBySuspect: { event, context in assumeRole(event, knownAccounts: context.knownAccounts) },
        .consoleLogin: { event, _ in consoleLogin(event) },
        .secretsRead: { event, _ in secrets(event) },
        .rolesAnywhereTrustAnchor: { event, _ in rolesAnywhere(event) },
        .lambdaExternalAccess: { event, _ in lambdaPermission(event) },
        .resourceShared: { event, _ in resourceShared(event) },
        .organizationLeft: { event, _ in leaveOrganization(event) },
        .instanceCommand: { event, _ in instanceCommand(event) },
        .flowLogsDeleted: { event, _ in flowLogs(event) },
        .dnsQueryLogsRemoved: { event, _ in dnsQueryLogs(event) },
        .modelInvocationLogsDeleted: { event, _ in modelInvocationLogs(event) },
        .trailBucketImpaired: { event, context in trailBucket(event, trailBuckets: context.snapshots.trailBuckets) },
        .lambdaBackdoored: { event, context in lambdaFunction(event, snapshots: context.snapshots) },
        .resourceHijacking: { event, _ in event.name == "RunInstances" ? computeHijack(event) : bedrock(event) },
        .userData: { event, _ in userData(event) },
        .instanceAccess: { event, _ in instanceAccess(event) },
        .containmentAction: { event, _ in containmentAction(event) },
    ]

    /// The rules whose handlers judge each event name: every name of `Rule.eventNames` of the rules
    /// in `handlers`, in the order of `Rule.all`. A name several rules list (a bucket policy can
    /// share a bucket and cut a trail out of it) goes to each of them.
    static let rulesOfEvent: [String: [RuleID]] = {
        var rules: [String: [RuleID]] = [:]
        for rule in Rule.all where handlers[rule.id] != nil {
            for name in rule.eventNames where rules[name]?.contains(rule.id) != true {
                rules[name, default: []].append(rule.id)
            }
        }
        return rules
    }()

    /// The handlers for events named `name`, empty when no rule judges them one at a time: looked
    /// up once per distinct name by callers that judge many events.
    static func evaluators(for name: String) -> [Evaluator] {
        (rulesOfEvent[name] ?? []).compactMap { handlers[$0] }
    }

    // MARK: IAM credentials

    static func createAccessKey(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let key = event.response?["accessKey"]?["accessKeyId"]?.stringValue ?? "unknown"
        let target =
            event.parameter("userName") ?? event.response?["accessKey"]?["userName"]?.stringValue
            ?? event.callerUserName
        if event.identityType == "Root" && event.parameter("userName") == nil {
            return [
                event.finding(
                    .accessKeyCreated, "Access key \(key) created for the root user", .high,
                    "The root user has an access key: it cannot be limited by any policy.",
                    entity: EntityReference(kind: .accessKey, id: key, name: "root"),
                    containment: Advice.review(
                        "Delete root access keys after saving their ids; root should have none.",
                        commands: ["aws iam delete-access-key --access-key-id \(key)"]))
            ]
        }
        let own = target != nil && target == event.callerUserName
        return [
            event.finding(
                .accessKeyCreated, "Access key \(key) created for \(target ?? "a user")", own ? .low : .high,
                own
                    ? "The user made a key for itself, as when rotating; it is high only when the user is a suspect."
                    : "A key was made for another user than the caller: a way back in that survives the caller's key being disabled.",
                entity: EntityReference(kind: .accessKey, id: key, name: target),
                containment: Advice.accessKey(key, user: target), details: ["userName": target ?? ""])
        ]
    }

    static func updateAccessKey(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed, event.parameter("status") == "Active" else { return [] }
        let key = event.parameter("accessKeyId") ?? "unknown"
        let target = event.parameter("userName") ?? event.callerUserName
        return [
            event.finding(
                .accessKeyReactivated, "Access key \(key) of \(target ?? "a user") reactivated", .medium,
                "A disabled key was turned back on; containment disables keys, so this may undo it.",
                entity: EntityReference(kind: .accessKey, id: key, name: target),
                containment: Advice.accessKey(key, user: target))
        ]
    }

    static func createUser(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let name = event.parameter("userName") ?? event.response?["user"]?["userName"]?.stringValue ?? "unknown"
        let id = event.response?["user"]?["userId"]?.stringValue ?? name
        return [
            event.finding(
                .userCreated, "IAM user \(name) created", .medium,
                "A new user is a new identity to come back with; high when it is given administrator rights (see the related findings).",
                entity: EntityReference(
                    kind: .user, id: id, name: name, arn: event.response?["user"]?["arn"]?.stringValue),
                containment: Advice.user(name, keys: [], loginProfile: false, policies: []))
        ]
    }

    static func loginProfile(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let target = event.parameter("userName") ?? event.callerUserName ?? "unknown"
        // A user's own session (its name is the session's, as Identity Center and SAML name them) counts as the user.
        let own = target == event.callerUserName || event.principal.flatMap(EventFacts.lastPathComponent) == target
        if event.name == "CreateLoginProfile" {
            return [
                event.finding(
                    .loginProfileCreated, "Console password added to \(target)", own ? .medium : .high,
                    own
                        ? "A user gave itself console access."
                        : "Console access was given to another user than the caller: a way in through the console.",
                    entity: EntityReference(kind: .loginProfile, id: target, name: target),
                    containment: Advice.loginProfile(target))
            ]
        }
        let resetRequired = event.request?["passwordResetRequired"]?.boolValue == true
        let severity: Severity = own || resetRequired ? .low : .high
        return [
            event.finding(
                .loginProfileChanged, "Console password of \(target) changed", severity,
                own
                    ? "The user changed its own password."
                    : resetRequired
                        ? "An administrator reset the password and the user must choose a new one at sign-in."
                        : "Another principal set the user's password without forcing a change: it knows the password now.",
                entity: EntityReference(kind: .loginProfile, id: target, name: target),
                containment: Advice.loginProfile(target))
        ]
    }

    // MARK: IAM roles and policies

    static func role(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let name = event.parameter("roleName") ?? "unknown"
        let document = event.request?["assumeRolePolicyDocument"] ?? event.request?["policyDocument"]
        guard document != nil || event.name == "CreateRole" else { return [] }
        let principals = PolicyJudgement.principals(document)
        let foreign = principals.foreign(to: event.account).sorted()
        let open = principals.everyone || !foreign.isEmpty
        let serviceOnly = !open && principals.accounts.isEmpty && principals.federated.isEmpty
        let severity: Severity = open ? .high : serviceOnly ? .low : .medium
        let who =
            principals.everyone
            ? "everyone (*)"
            : foreign.isEmpty ? principals.all.sorted().joined(separator: ", ") : foreign.joined(separator: ", ")
        let created = event.name == "CreateRole"
        let id = event.response?["role"]?["roleId"]?.stringValue ?? name
        let reason =
            open
            ? "Its trust policy admits \(who): principals outside the account can assume it."
            : serviceOnly
                ? "Its trust policy admits only AWS services\(principals.all.isEmpty ? "" : " (\(who))")."
                : "Its trust policy admits principals of this account\(who.isEmpty ? "" : " (\(who))")."
        return [
            event.finding(
                created ? .roleCreated : .roleTrustChanged,
                created ? "IAM role \(name) created" : "Trust policy of role \(name) changed", severity, reason,
                entity: EntityReference(
                    kind: .role, id: id, name: name, arn: event.response?["role"]?["arn"]?.stringValue),
                containment: Advice.role(name, foreign: foreign),
                details: ["trusts": principals.all.sorted().joined(separator: " ")])
        ]
    }

    static func policyAttached(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let kind: EntityKind = event.name.contains("Role") ? .role : event.name.contains("Group") ? .group : .user
        let key = kind == .role ? "roleName" : kind == .group ? "groupName" : "userName"
        let name = event.parameter(key) ?? "unknown"
        let arn = event.parameter("policyArn")
        let inline = event.parameter("policyName")
        let privileged =
            arn.map(PolicyJudgement.isPrivileged(policyArn:))
            ?? PolicyJudgement.isPrivileged(document: event.request?["policyDocument"])
        guard privileged else { return [] }
        let policy = arn ?? "inline policy \(inline ?? "")"
        return [
            event.finding(
                .privilegedPolicyAttached,
                "\(policy) given to \(kind == .role ? "role" : kind == .group ? "group" : "user") \(name)",
                .high, "It grants administration of the account (AdministratorAccess, IAMFullAccess, or * / iam:*).",
                entity: EntityReference(kind: kind, id: name, name: name),
                containment: Advice.policyAttachment(
                    kind: kind, name: name, policyArn: arn, inlineName: arn == nil ? inline : nil),
                details: ["policy": policy])
        ]
    }

    static func policyVersion(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        if event.name == "CreatePolicyVersion" && event.request?["setAsDefault"]?.boolValue != true { return [] }
        let arn = event.parameter("policyArn") ?? "unknown"
        let privileged = PolicyJudgement.isPrivileged(document: event.request?["policyDocument"])
        return [
            event.finding(
                .policyVersionChanged, "Policy \(arn) has a new default version", privileged ? .high : .medium,
                privileged
                    ? "The new default version grants administration (* or iam:*)."
                    : "Everyone the policy is attached to now has the new version's permissions.",
                entity: EntityReference(kind: .policy, id: arn, name: EventFacts.lastPathComponent(arn), arn: arn),
                containment: Advice.policyVersion(arn, previous: nil),
                details: [
                    "versionId": event.parameter("versionId") ?? event.response?["policyVersion"]?["versionId"]?
                        .stringValue ?? ""
                ])
        ]
    }

    static func groupMember(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let user = event.parameter("userName") ?? "unknown", group = event.parameter("groupName") ?? "unknown"
        return [
            event.finding(
                .groupMemberAdded, "User \(user) added to group \(group)", .medium,
                "The user gains every permission of the group; high when the group administers the account (known from a snapshot).",
                entity: EntityReference(kind: .group, id: group, name: group, parent: user),
                containment: Advice.groupMember(user: user, group: group), details: ["userName": user])
        ]
    }

    static func otherCredential(_ event: EventFacts) -> [EventFinding] {
        // A virtual MFA device belongs to no user until EnableMFADevice, which is the finding.
        guard !event.failed, event.name != "CreateVirtualMFADevice" else { return [] }
        let target = event.parameter("userName") ?? event.callerUserName ?? "unknown"
        let kind: EntityKind
        let id: String
        switch event.name {
        case "CreateVirtualMFADevice", "EnableMFADevice":
            kind = .mfaDevice
            id =
                event.parameter("serialNumber") ?? event.response?["virtualMFADevice"]?["serialNumber"]?.stringValue
                ?? event.parameter("virtualMFADeviceName") ?? "unknown"
        case "UploadSSHPublicKey":
            kind = .sshPublicKey
            id =
                event.response?["sSHPublicKey"]?["sSHPublicKeyId"]?.stringValue
                ?? event.response?["sshPublicKey"]?["sshPublicKeyId"]?.stringValue ?? "unknown"
        case "CreateServiceSpecificCredential":
            kind = .serviceSpecificCredential
            id = event.response?["serviceSpecificCredential"]?["serviceSpecificCredentialId"]?.stringValue ?? "unknown"
        default:
            kind = .signingCertificate
            id = event.response?["certificate"]?["certificateId"]?.stringValue ?? "unknown"
        }
        let own = target == event.callerUserName
        return [
            event.finding(
                .otherCredentialAdded, "\(event.name) for \(target)", own ? .medium : .high,
                own
                    ? "A user added a credential to itself."
                    : "A credential was added to another user than the caller.",
                entity: EntityReference(kind: kind, id: id, name: target),
                containment: Advice.otherCredential(kind: kind, id: id, user: target), details: ["userName": target])
        ]
    }

    static func identityProvider(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let saml = event.name.contains("SAML")
        let arn =
            event.parameter("sAMLProviderArn") ?? event.parameter("openIDConnectProviderArn")
            ?? event.response?["sAMLProviderArn"]?.stringValue ?? event.response?["openIDConnectProviderArn"]?
            .stringValue
            ?? event.parameter("name") ?? event.parameter("url") ?? "unknown"
        return [
            event.finding(
                .identityProviderChanged, "\(saml ? "SAML" : "OIDC") provider \(arn): \(event.name)", .high,
                "Whoever controls the provider's signing keys can sign in as any role that trusts it.",
                entity: EntityReference(kind: saml ? .samlProvider : .oidcProvider, id: arn, arn: arn),
                containment: Advice.identityProvider(arn))
        ]
    }

    static func instanceProfile(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let profile = event.parameter("instanceProfileName") ?? "unknown", role = event.parameter("roleName")
        return [
            event.finding(
                .instanceProfileChanged, "Role \(role ?? "?") added to instance profile \(profile)", .medium,
                "Instances launched with the profile act with the role's permissions.",
                entity: EntityReference(kind: .instanceProfile, id: profile, name: profile),
                containment: Advice.instanceProfile(profile, role: role), details: ["roleName": role ?? ""])
        ]
    }

    // MARK: EC2

    static func instance(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let profile: String?
        var ids: [String] = []
        if event.name == "RunInstances" {
            let requested = event.request?["iamInstanceProfile"]
            profile = requested?["name"]?.stringValue ?? requested?["arn"]?.stringValue
            for item in event.response?["instancesSet"]?["items"]?.arrayValue ?? [] {
                if let id = item["instanceId"]?.stringValue { ids.append(id) }
            }
        } else {
            let requested =
                event.request?["iamInstanceProfile"]
                ?? event.request?["AssociateIamInstanceProfileRequest"]?["IamInstanceProfile"]
            profile =
                requested?["name"]?.stringValue ?? requested?["arn"]?.stringValue ?? requested?["Name"]?.stringValue
                ?? requested?["Arn"]?.stringValue
            if let id = event.parameter("instanceId")
                ?? event.response?["iamInstanceProfileAssociation"]?["instanceId"]?.stringValue
                ?? event.response?["ReplaceIamInstanceProfileAssociationResponse"]?["iamInstanceProfileAssociation"]?[
                    "instanceId"]?.stringValue
            {
                ids.append(id)
            }
        }
        guard let profile else { return [] }
        if ids.isEmpty { ids = ["unknown"] }
        return ids.map { id in
            event.finding(
                .instanceLaunchedWithRole,
                "Instance \(id) \(event.name == "RunInstances" ? "launched" : "given") instance profile \(profile)",
                .medium,
                "Anyone on the instance can act with the role; its credentials can be taken elsewhere. High when a suspect did it or the region was otherwise unused.",
                entity: EntityReference(kind: .instance, id: id, region: event.region),
                containment: Advice.instance(id, region: event.region, role: nil), details: ["instanceProfile": profile]
            )
        }
    }

    static func vpcEndpoint(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let endpoint = event.response?["vpcEndpoint"] ?? event.response?["CreateVpcEndpointResponse"]?["vpcEndpoint"]
        let id = endpoint?["vpcEndpointId"]?.stringValue ?? "unknown"
        let service =
            event.parameter("serviceName") ?? event.request?["CreateVpcEndpointRequest"]?["ServiceName"]?.stringValue
        return [
            event.finding(
                .vpcEndpointCreated, "VPC endpoint \(id) created\(service.map { " for \($0)" } ?? "")", .medium,
                "Calls made through a VPC endpoint show a private address instead of the caller's.",
                entity: EntityReference(kind: .vpcEndpoint, id: id, name: service, region: event.region),
                containment: Advice.vpcEndpoint(id, region: event.region))
        ]
    }

    static func securityGroup(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let group = event.parameter("groupId") ?? event.parameter("groupName") ?? "unknown"
        let text = event.request?.description ?? ""
        // Any address with a /0 prefix is the whole internet (anonymised logs write 0.0.0.0/0 with other digits).
        let world = text.range(of: #"[0-9a-fA-F:.]+/0\b"#, options: .regularExpression) != nil
        return [
            event.finding(
                .securityGroupOpened, "Ingress added to security group \(group)\(world ? " from anywhere" : "")",
                world ? .high : .medium,
                world
                    ? "The rule admits the whole internet (0.0.0.0/0 or ::/0)."
                    : "A new source may reach the group's instances.",
                entity: EntityReference(kind: .securityGroup, id: group, region: event.region),
                containment: Advice.securityGroup(group, region: event.region),
                details: ["sources": ingressSources(event.request).joined(separator: " ")])
        ]
    }

    static func keyPair(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let name = event.parameter("keyName") ?? event.response?["keyName"]?.stringValue ?? "unknown"
        let id = event.response?["keyPairId"]?.stringValue ?? "\(event.region ?? "")/\(name)"
        return [
            event.finding(
                .keyPairAdded, "Key pair \(name) \(event.name == "ImportKeyPair" ? "imported" : "created")", .medium,
                "Instances launched with it admit whoever holds the private key.",
                entity: EntityReference(kind: .keyPair, id: id, name: name, region: event.region),
                containment: Advice.keyPair(name, region: event.region))
        ]
    }

    // MARK: Logging and detection

    static func trail(_ event: EventFacts) -> [EventFinding] {
        let name = event.parameter("name") ?? event.parameter("trailName") ?? "unknown"
        var severity = Severity.high
        var reason: String
        let attempt: String
        let trail = name == "unknown" ? "a trail" : "trail \(name)"
        switch event.name {
        case "StopLogging":
            reason = "The trail stopped logging: nothing after this is delivered to its bucket."
            attempt = "stop logging of \(trail)"
        case "DeleteTrail":
            reason = "The trail was deleted."
            attempt = "delete \(trail)"
        case "UpdateTrail":
            reason = "The trail's bucket, regions or settings changed; logs may now go elsewhere or cover less."
            attempt = "change \(trail)"
        default:
            attempt = "change the event selectors of \(trail)"
            let selectors = event.request?["eventSelectors"]?.arrayValue ?? []
            let advanced = event.request?["advancedEventSelectors"]?.arrayValue ?? []
            let keepsAll =
                !selectors.isEmpty
                && selectors.allSatisfy {
                    $0["includeManagementEvents"]?.boolValue != false
                        && ($0["readWriteType"]?.stringValue ?? "All") == "All"
                }
            if keepsAll || (!advanced.isEmpty && selectors.isEmpty) {
                severity = .low
                reason = "The selectors changed but still log every management event."
            } else {
                reason = "The selectors no longer log every management event."
            }
        }
        return [
            impairment(
                event, .trailImpaired, "Trail \(name): \(event.name)", attempt: attempt, severity, reason,
                entity: EntityReference(
                    kind: .trail, id: name, name: EventFacts.lastPathComponent(name), region: event.region),
                containment: Advice.trail(name, region: event.region))
        ]
    }

    static func guardDuty(_ event: EventFacts) -> [EventFinding] {
        // A refused attempt to turn GuardDuty off is a finding; one to add a trusted IP set is not.
        guard !event.failed || !event.name.contains("IPSet") else { return [] }
        let detector = event.parameter("detectorId") ?? "unknown"
        switch event.name {
        case "UpdateDetector":
            guard event.request?["enable"]?.boolValue == false else { return [] }
        case "CreateIPSet", "UpdateIPSet":
            guard event.record.eventSource == "guardduty.amazonaws.com" else { return [] }
        default: break
        }
        let reason =
            event.name.contains("IPSet")
            ? "A trusted IP set makes GuardDuty ignore traffic from its addresses."
            : "GuardDuty stops watching the region."
        let attempt =
            "\(event.name == "DeleteDetector" ? "delete" : "disable") "
            + (detector == "unknown" ? "a GuardDuty detector" : "GuardDuty detector \(detector)")
        return [
            impairment(
                event, .guardDutyImpaired, "GuardDuty detector \(detector): \(event.name)", attempt: attempt, .high,
                reason,
                entity: EntityReference(kind: .detector, id: detector, region: event.region),
                containment: Advice.detector(detector, region: event.region))
        ]
    }

    // MARK: STS and sign-in

    /// When temporary credentials were issued and until when they work: the `expiration` of the
    /// response, else the requested `durationSeconds` (or `defaultSeconds`) after the event. `nil`
    /// for an event at no known time. A duration that is no whole number of seconds within `Int64`
    /// is ignored, a negative one counts as none, and an end beyond year 9999 is written as its end.
    static func exposure(_ event: EventFacts, defaultSeconds: Int, credentials: JSONValue?) -> ExposureWindow? {
        guard event.row.hasTime else { return nil }
        let issued = event.row.time
        let requested = event.request?["durationSeconds"].flatMap { value in
            EvidenceSeconds.whole(number: value.numberValue, text: value.stringValue)
        }
        var expires: Int64? = credentials?["expiration"]?.stringValue.flatMap(EventTime.seconds)
        if expires == nil {
            let duration = max(0, requested ?? Int64(defaultSeconds))
            expires = min(EvidenceSeconds.adding(issued, duration), max(issued, EvidenceSeconds.writable.upperBound))
        }
        return ExposureWindow(
            issuedAt: UTCTimestamp(seconds: issued).iso8601,
            expiresAt: expires.map { UTCTimestamp(seconds: $0).iso8601 },
            durationSeconds: expires.map { Int(EvidenceSeconds.subtracting($0, issued)) },
            accessKeyId: credentials?["accessKeyId"]?.stringValue)
    }

    static func sessionToken(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed, event.identityType == "IAMUser" || event.identityType == "Root" else { return [] }
        let user = event.callerUserName ?? "root"
        let window = exposure(event, defaultSeconds: 43_200, credentials: event.response?["credentials"])
        let mfa = event.request?["serialNumber"] != nil
        let id = window?.accessKeyId ?? "session of \(user)"
        return [
            event.finding(
                .sessionTokenIssued, "Session token \(window?.accessKeyId ?? "") issued to \(user)",
                mfa ? .low : .medium,
                (mfa ? "Issued with MFA. " : "")
                    + "Session credentials keep working after the key that made them is disabled, until \(window?.expiresAt ?? "they expire").",
                entity: EntityReference(kind: .temporaryCredentials, id: id, name: user),
                containment: Advice.temporaryCredentials(user: user, role: nil), exposure: window)
        ]
    }

    static func federationToken(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        if event.name == "GetSigninToken" {
            let principal = event.principal ?? ""
            // The SSO portal and Identity Center sign users in this way every day.
            if principal.contains("AWSReservedSSO_") || event.record.userAgent?.lowercased().contains("sso") == true {
                return []
            }
            return [
                event.finding(
                    .federationTokenIssued, "Console sign-in token made for \(principal)", .medium,
                    "Temporary credentials were turned into a console session.",
                    entity: EntityReference(kind: .principal, id: principal, arn: principal),
                    containment: Advice.temporaryCredentials(user: nil, role: nil))
            ]
        }
        let user = event.callerUserName
        let window = exposure(event, defaultSeconds: 43_200, credentials: event.response?["credentials"])
        let federated = event.response?["federatedUser"]?["arn"]?.stringValue ?? event.parameter("name") ?? "unknown"
        return [
            event.finding(
                .federationTokenIssued, "Federation token \(window?.accessKeyId ?? "") issued as \(federated)", .high,
                "Federation tokens outlive disabling the key that made them (until \(window?.expiresAt ?? "they expire")) and can open a console session.",
                entity: EntityReference(
                    kind: .temporaryCredentials, id: window?.accessKeyId ?? federated, name: federated, arn: federated),
                containment: Advice.temporaryCredentials(user: user, role: nil), exposure: window)
        ]
    }

    static func assumeRole(_ event: EventFacts, knownAccounts: Set<String>) -> [EventFinding] {
        guard !event.failed else { return [] }
        guard let caller = event.callerAccount, caller != event.account, !knownAccounts.contains(caller),
            event.identityType != "AWSService"
        else { return [] }
        let role = event.parameter("roleArn") ?? "unknown"
        let window = exposure(event, defaultSeconds: 3_600, credentials: event.response?["credentials"])
        return [
            event.finding(
                .roleAssumedBySuspect, "Role \(role) assumed from account \(caller)", .high,
                "A principal of account \(caller), which the account did not trust before, assumed the role.",
                entity: EntityReference(kind: .role, id: role, name: EventFacts.lastPathComponent(role), arn: role),
                containment: Advice.role(EventFacts.lastPathComponent(role) ?? role, foreign: [caller]),
                details: ["callerAccount": caller], exposure: window)
        ]
    }

    static func consoleLogin(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed, event.response?["ConsoleLogin"]?.stringValue != "Failure" else { return [] }
        guard event.identityType == "IAMUser" || event.identityType == "Root" else { return [] }
        let extra = event.record.additionalEventData
        guard extra?["SamlProviderArn"] == nil, extra?["MFAUsed"]?.stringValue == "No" else { return [] }
        let who = event.principal ?? event.callerUserName ?? "root"
        return [
            event.finding(
                .consoleLogin, "Console login without MFA by \(who)", event.identityType == "Root" ? .high : .medium,
                "A password alone opened a console session.",
                entity: EntityReference(kind: .principal, id: who, name: event.callerUserName, arn: event.principal),
                containment: event.callerUserName.map(Advice.loginProfile)
                    ?? Advice.review("Rotate the root password and enable MFA."))
        ]
    }

    // MARK: Credential access, sharing, Organizations, execution

    static func secrets(_ event: EventFacts) -> [EventFinding] {
        if event.name == "GetParameters" || event.name == "GetParameter" {
            guard event.request?["withDecryption"]?.boolValue == true else { return [] }
        }
        let names: [String] = (event.request?["names"]?.arrayValue ?? event.request?["secretIdList"]?.arrayValue ?? [])
            .compactMap(\.stringValue)
        var target =
            event.parameter("secretId") ?? event.parameter("name") ?? event.parameter("instanceId") ?? "secrets"
        if !names.isEmpty { target = names.joined(separator: ", ") }
        let longTerm =
            event.identityType == "IAMUser" || event.identityType == "Root" || event.identityType == "FederatedUser"
        let severity: Severity = event.failed ? .low : longTerm ? .medium : .low
        return [
            event.finding(
                .secretsRead, "\(event.name) of \(target)\(event.failed ? " (\(event.errorCode ?? "failed"))" : "")",
                severity,
                event.failed
                    ? "An attempt to read secrets was refused; attempts show intent."
                    : longTerm
                        ? "Secrets were read with user credentials rather than by a workload's role."
                        : "Workloads read secrets through roles every day; high only when a suspect did it.",
                entity: EntityReference(kind: .resource, id: target, region: event.region),
                containment: Advice.review(
                    "Rotate what was read: the secret, the parameter, or the instance's password."))
        ]
    }

    static func rolesAnywhere(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed, event.record.eventSource == "rolesanywhere.amazonaws.com" else { return [] }
        let anchor =
            event.response?["trustAnchor"]?["trustAnchorArn"]?.stringValue
            ?? event.response?["profile"]?["profileArn"]?.stringValue ?? event.parameter("name") ?? "unknown"
        return [
            event.finding(
                .rolesAnywhereTrustAnchor,
                "IAM Roles Anywhere \(event.name == "CreateTrustAnchor" ? "trust anchor" : "profile") \(anchor)",
                .high,
                "Certificates from the anchor's authority can get credentials for the profile's roles from outside AWS.",
                entity: EntityReference(kind: .rolesAnywhere, id: anchor, arn: anchor, region: event.region),
                containment: Advice.review(
                    "Disable the trust anchor and profile, then delete them once saved as evidence.",
                    commands: ["aws rolesanywhere list-trust-anchors", "aws rolesanywhere list-profiles"]))
        ]
    }

    static func lambdaPermission(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let principal = event.parameter("principal") ?? ""
        let account = PolicyJudgement.account(in: principal)
        let foreign = principal == "*" || (account != nil && account != event.account)
        guard foreign else { return [] }
        let function = event.parameter("functionName") ?? "unknown"
        return [
            event.finding(
                .lambdaExternalAccess, "Lambda function \(function) opened to \(principal)", .high,
                "Its resource policy lets \(principal == "*" ? "anyone" : "account \(account ?? principal)") invoke it.",
                entity: EntityReference(kind: .function, id: function, name: function, region: event.region),
                containment: Advice.review(
                    "Remove the statement from the function's policy.",
                    commands: [
                        "aws lambda get-policy --function-name \(function)",
                        "aws lambda remove-permission --function-name \(function) --statement-id \(event.parameter("statementId") ?? "STATEMENT_ID")",
                    ]))
        ]
    }

    static func resourceShared(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed, let request = event.request else { return [] }
        var grantees: [String] = []
        var target = "unknown"
        switch event.name {
        case "ModifySnapshotAttribute", "ModifyImageAttribute":
            target = event.parameter("snapshotId") ?? event.parameter("imageId") ?? target
            let permission = request["createVolumePermission"] ?? request["launchPermission"]
            for item in permission?["add"]?["items"]?.arrayValue ?? [] {
                if item["group"]?.stringValue == "all" { grantees.append("everyone") }
                if let user = item["userId"]?.stringValue, user != event.account { grantees.append(user) }
            }
        case "ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute":
            target = event.parameter("dBSnapshotIdentifier") ?? event.parameter("dBClusterSnapshotIdentifier") ?? target
            guard event.parameter("attributeName") == "restore" else { return [] }
            for value in request["valuesToAdd"]?.arrayValue?.compactMap(\.stringValue) ?? []
            where value != event.account {
                grantees.append(value == "all" ? "everyone" : value)
            }
        case "PutBucketPolicy":
            target = event.parameter("bucketName") ?? target
            let principals = PolicyJudgement.principals(request["bucketPolicy"])
            if principals.everyone && !restricted(request["bucketPolicy"]) { grantees.append("everyone") }
            grantees += principals.foreign(to: event.account).sorted()
        default:
            target = event.parameter("bucketName") ?? target
            let text = request.description
            if text.contains("AllUsers") || text.contains("AuthenticatedUsers") || text.contains("public-read") {
                grantees.append("everyone")
            }
        }
        guard !grantees.isEmpty else { return [] }
        return [
            event.finding(
                .resourceShared, "\(target) shared with \(grantees.joined(separator: ", "))", .high,
                "The data can be copied out of the account by \(grantees.joined(separator: ", ")).",
                entity: EntityReference(kind: .resource, id: target, region: event.region),
                containment: Advice.review(
                    "Remove the grant, then find out whether the data was copied.", commands: []),
                details: ["grantees": grantees.joined(separator: " ")])
        ]
    }

    /// Whether every statement admitting everyone is limited by an organisation, account or network condition.
    private static func restricted(_ policy: JSONValue?) -> Bool {
        guard let document = PolicyJudgement.document(policy) else { return false }
        let statements = document["Statement"]?.arrayValue ?? [document["Statement"] ?? .null]
        let limiting = [
            "aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp",
            "aws:SourceAccount", "aws:SourceArn", "aws:PrincipalArn",
        ]
        return statements.allSatisfy { statement in
            let condition = statement["Condition"]?.description ?? ""
            return limiting.contains { condition.contains($0) }
        }
    }

    static func leaveOrganization(_ event: EventFacts) -> [EventFinding] {
        [
            event.finding(
                .organizationLeft,
                event.failed
                    ? "Attempt to leave the Organization (\(event.errorCode ?? "failed"))"
                    : "Account left its Organization",
                event.failed ? .medium : .high,
                event.failed
                    ? "Someone tried to take the account out of its Organization's guardrails; the attempt failed."
                    : "The account is outside its Organization's SCPs, trails and GuardDuty now.",
                entity: EntityReference(kind: .organization, id: event.account),
                containment: Advice.review(
                    "Invite the account back into the Organization from the management account, and check what changed while it was out.",
                    commands: ["aws organizations describe-organization"]))
        ]
    }

    /// Commands sent, sessions started or user data rewritten; a refused call is an attempt, and a finding too.
    static func instanceCommand(_ event: EventFacts) -> [EventFinding] {
        if event.name == "ModifyInstanceAttribute" {
            let attribute = event.parameter("attribute") ?? ""
            guard attribute == "userData" || event.request?["userData"] != nil else { return [] }
        }
        let instances =
            event.request?["instanceIds"]?.arrayValue?.compactMap(\.stringValue)
            ?? [event.parameter("instanceId") ?? event.parameter("target") ?? "unknown"]
        let what =
            event.name == "ModifyInstanceAttribute"
            ? "user data rewritten" : event.name == "StartSession" ? "session started" : "commands sent"
        return [
            event.finding(
                .instanceCommand,
                "Instance \(instances.joined(separator: ", ")): "
                    + (event.failed ? "attempt, \(what) refused (\(event.errorCode ?? "failed"))" : what),
                .medium,
                event.failed
                    ? "The call was refused, but whoever made it tried to run code on the instances with their role."
                    : event.name == "ModifyInstanceAttribute"
                        ? "The new user data runs as root at the instance's next start, with the instance's role."
                        : "Code can run on the instances with their role.",
                entity: EntityReference(kind: .instance, id: instances.joined(separator: ","), region: event.region),
                containment: Advice.review(
                    "Snapshot the instances' volumes, then isolate them; check the command history.",
                    commands: ["aws ssm list-commands\(event.region.map { " --region \($0)" } ?? "")"]))
        ]
    }
}
