import Diff

/// Which phase an event belongs to, from the findings that cite it and its `eventName`.
enum PhaseRules {
    /// The phase of a rule's findings; `nil` for behavioural rules, whose events keep the phase of their name.
    static func phase(of rule: RuleID) -> Phase? {
        switch rule {
        case .enumeration, .deniedBurst: .reconnaissance
        case .newSource, .regionFirstUse, .instanceRoleOutside: nil
        case .secretsRead, .userData: .credentialAccess
        case .trailImpaired, .guardDutyImpaired, .securityGroupOpened, .organizationLeft: .defenceImpairment
        case .flowLogsDeleted, .dnsQueryLogsRemoved, .modelInvocationLogsDeleted, .trailBucketImpaired:
            .defenceImpairment
        case .resourceShared, .instanceCommand, .containmentAction: .other
        case .resourceHijacking, .instanceAccess: .other
        default: .persistence
        }
    }

    /// Event names and their phase: from the rules, then the calls no rule reads.
    static let names: [String: Phase] = {
        var names: [String: Phase] = [:]
        // A name several rules list keeps the phase of the first: a bucket policy shares a bucket before it
        // cuts a trail out of it.
        for rule in Rule.all {
            guard let phase = phase(of: rule.id) else { continue }
            for name in rule.eventNames where names[name] == nil { names[name] = phase }
        }
        for name in [
            "GetSessionToken", "GetFederationToken", "GetSigninToken", "AssumeRole", "CreateInstanceProfile",
            "CreatePolicy",
            "CreateFunction20150331", "UpdateFunctionCode20150331v2", "ConsoleLogin",
        ] { names[name] = .persistence }
        for name in [
            "StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "DeleteDetector", "UpdateDetector",
            "CreateIPSet", "UpdateIPSet", "DeleteFlowLogs", "StopConfigurationRecorder", "DeleteConfigurationRecorder",
            "DeleteDeliveryChannel", "DeleteLogGroup", "DeleteLogStream", "DisableSecurityHub",
            "DeleteResolverQueryLogConfig",
            "DisassociateResolverQueryLogConfig", "AuthorizeSecurityGroupIngress", "LeaveOrganization",
        ] { names[name] = .defenceImpairment }
        for name in [
            "GetSecretValue", "BatchGetSecretValue", "GetParameters", "GetParameter", "GetParametersByPath",
            "GetPasswordData",
        ] {
            names[name] = .credentialAccess
        }
        return names
    }()

    /// Read-only verbs: reconnaissance when nothing more specific applies.
    static let readPrefixes = [
        "List", "Describe", "Get", "Head", "Lookup", "Search", "BatchGet", "Scan", "Query", "Select",
    ]

    /// The phase of an event made by a suspect (or cited by a finding): from a finding about what
    /// it did, else from its name, else from a behavioural finding (a burst of discovery calls).
    static func phase(_ event: ReportEvent, findings: [Finding]) -> Phase {
        let acts = findings.filter { !RuleID.behavioural.contains($0.rule) }
        // A suspect restoring selectors or a trust, or deleting what it made, impairs and persists nothing.
        if !acts.isEmpty && acts.allSatisfy({ $0.effect != nil }) { return .other }
        if let phase = acts.lazy.compactMap({ phase(of: $0.rule) }).first {
            return phase
        }
        if let phase = names[event.name] { return phase }
        if readPrefixes.contains(where: { event.name.hasPrefix($0) }) || event.isDenied { return .reconnaissance }
        if let phase = findings.lazy.compactMap({ phase(of: $0.rule) }).first { return phase }
        return .other
    }

    /// The finding a timeline row names: the most severe, one about what the event did before a behavioural one.
    static func headline(_ findings: [Finding]) -> Finding? {
        return findings.min { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            return !RuleID.behavioural.contains(a.rule) && RuleID.behavioural.contains(b.rule)
        }
    }

    /// Managed policies responders attach to lock a principal out.
    static let denyPolicies = ["AWSDenyAll", "AWSCompromisedKeyQuarantine"]

    /// Whether an event of someone other than a suspect, after the attack started, is containment:
    /// a key disabled or deleted, persistence removed, an instance stopped or isolated, a deny policy.
    static func isContainment(_ event: ReportEvent, in set: EventSet) -> Bool {
        let name = event.name
        switch name {
        case "UpdateAccessKey":
            return set.requestParameter("status", of: event) != "Active"
        case "PutUserPolicy", "PutRolePolicy", "PutGroupPolicy":
            return set.requestParameter("policyDocument", of: event)?.contains("Deny") ?? false
        case "AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy":
            let arn = set.requestParameter("policyArn", of: event) ?? ""
            return denyPolicies.contains { arn.hasSuffix("/" + $0) || arn.contains("/\($0)") }
        case "UpdateAssumeRolePolicy", "CreateSnapshot", "CreateSnapshots", "ModifyInstanceAttribute", "StopInstances",
            "TerminateInstances", "StartLogging", "DeactivateMFADevice", "DisassociateIamInstanceProfile":
            return true
        default:
            return ["Delete", "Detach", "Remove", "Revoke"].contains { name.hasPrefix($0) }
        }
    }
}
