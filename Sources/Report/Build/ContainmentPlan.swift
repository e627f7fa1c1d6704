import Diff
import Foundation

/// The containment checklist ("Do now"), one step per thing to act on, most urgent first: disable
/// each suspect or leaked key, revoke the sessions they made, remove the persistence, contain the
/// instances, then restore and review. Each finding's advice is split by what its commands act on,
/// so a key named by three findings is disabled in one step, before anything else.
struct ContainmentPlan {
    /// A long-term key of a suspect actor, which must be disabled even when no finding's advice names it.
    struct Key: Hashable {
        var accessKeyId: String
        var user: String?
    }

    /// A role or user whose sessions a suspect actor holds, with the temporary keys concerned.
    struct Sessions: Hashable {
        var role: String?
        var user: String?
        var accessKeyIds: [String]
    }

    private var steps: [ContainmentStep] = []
    private var byEntity: [String: Int] = [:]
    private var stepOfCommand: [String: Int] = [:]

    static let keyAdvice =
        "Disable the key (status Inactive) rather than delete it: a disabled key still shows the intruder's attempts "
        + "as AccessDenied in CloudTrail, and it can be deleted once the case is closed. Disabling it does not end the "
        + "sessions it made: the next steps do."

    static let sessionAdvice =
        "Temporary credentials keep working after the key that made them is disabled, until they expire (up to 36 "
        + "hours): deny every session issued before now (aws:TokenIssueTime), as the console's Revoke active "
        + "sessions does."

    /// The checklist for `findings`, plus a step for every key in `keys` and every holder of sessions
    /// in `sessions` no finding covers; revocation policies get `time` (the report's) when it is given.
    static func make(
        _ findings: [Finding], keys: [Key] = [], sessions: [Sessions] = [], issuedBefore time: String? = nil
    )
        -> [ContainmentStep]
    {
        var plan = ContainmentPlan()
        for finding in findings where !finding.containment.advice.isEmpty || !finding.containment.commands.isEmpty {
            plan.add(finding)
        }
        for key in keys { plan.addKey(key, severity: "high", finding: nil) }
        for holder in sessions {
            let command: String
            let entity: String
            if let role = holder.role {
                command = Containment.revokeSessions(role: role)
                entity = "role \(role)"
            } else if let user = holder.user {
                command = Containment.revokeSessions(user: user)
                entity = "user \(user)"
            } else {
                continue
            }
            let containment = Containment(
                advice: sessionAdvice + " Sessions: \(holder.accessKeyIds.joined(separator: ", ")).",
                commands: [command]
            ).askingForTime()
            plan.place(
                stage: .revokeSessions, entity: entity, severity: "high", advice: containment.advice,
                commands: containment.commands, finding: nil)
        }
        // Most urgent stage first; the actors' keys in the order they got them (the suspect keys first);
        // then most severe first, then in the order found.
        func rank(_ step: ContainmentStep) -> Int {
            guard step.stage == .disableKey else { return 0 }
            return keys.firstIndex { step.entity.hasPrefix("access key \($0.accessKeyId)") } ?? keys.count
        }
        // The revocation policies get the report's time, the advice says which time that is.
        if let time {
            for i in plan.steps.indices {
                let pinned = Containment(advice: plan.steps[i].advice, commands: plan.steps[i].commands)
                    .revokingSessions(issuedBefore: time)
                plan.steps[i].advice = pinned.advice
                plan.steps[i].commands = pinned.commands
            }
        }
        return plan.steps.enumerated().sorted { a, b in
            if a.element.stage != b.element.stage { return a.element.stage < b.element.stage }
            if rank(a.element) != rank(b.element) { return rank(a.element) < rank(b.element) }
            let sa = Severity(rawValue: a.element.severity) ?? .low, sb = Severity(rawValue: b.element.severity) ?? .low
            if sa != sb { return sa > sb }
            return a.offset < b.offset
        }.map(\.element)
    }

    private mutating func add(_ finding: Finding) {
        let label = "\(finding.rule.rawValue) \(finding.entity.id)"
        let severity = finding.severity.rawValue
        var rest: [String] = []
        for command in finding.containment.commands {
            let words = command.split(separator: " ").map(String.init)
            if words.starts(with: ["aws", "iam", "update-access-key"]), words.contains("Inactive"),
                let key = Self.value(of: "--access-key-id", in: words)
            {
                addKey(
                    Key(accessKeyId: key, user: Self.value(of: "--user-name", in: words)), severity: severity,
                    finding: label)
            } else if words.starts(with: ["aws", "iam", "get-access-key-last-used"]) {
                continue  // comes with the key's step
            } else if command.contains("aws:TokenIssueTime") {
                let entity =
                    Self.value(of: "--role-name", in: words).map { "role \($0)" }
                    ?? Self.value(of: "--user-name", in: words).map { "user \($0)" } ?? "sessions"
                place(
                    stage: .revokeSessions, entity: entity, severity: severity,
                    advice: Containment(advice: Self.sessionAdvice, commands: [command]).askingForTime().advice,
                    commands: [command], finding: label)
            } else {
                rest.append(command)
            }
        }
        let moved = rest.count < finding.containment.commands.count
        if !rest.isEmpty || !moved {
            // The request for the time goes with the revocation policy, not with what is left.
            let advice =
                rest.contains { $0.contains(Containment.currentTimePlaceholder) }
                ? finding.containment.advice
                : finding.containment.advice.replacingOccurrences(of: Containment.currentTimeRequest, with: "")
            place(
                stage: Self.stage(finding), entity: Self.entity(finding.entity), severity: severity,
                advice: advice, commands: rest, finding: label)
        }
    }

    private mutating func addKey(_ key: Key, severity: String, finding: String?) {
        let entity = "access key \(key.accessKeyId)" + (key.user.map { " of user \($0)" } ?? "")
        // A key already listed under another entity text (with or without its user) is the same step.
        let existing = steps.firstIndex {
            $0.stage == .disableKey && $0.entity.hasPrefix("access key \(key.accessKeyId)")
        }
        if let existing, key.user == nil || steps[existing].entity == entity {
            if let finding, !steps[existing].findings.contains(finding) { steps[existing].findings.append(finding) }
            return
        }
        let user = key.user ?? "USER_NAME"
        place(
            stage: .disableKey, entity: entity, severity: severity, advice: Self.keyAdvice,
            commands: [
                "aws iam update-access-key --user-name \(user) --access-key-id \(key.accessKeyId) --status Inactive",
                "aws iam get-access-key-last-used --access-key-id \(key.accessKeyId)",
            ], finding: finding)
    }

    /// Adds to the step for `entity` at `stage`, or makes it; a command already in a step is not repeated,
    /// the finding is named on the step that has it.
    private mutating func place(
        stage: ContainmentStage, entity: String, severity: String, advice: String, commands: [String], finding: String?
    ) {
        let fresh = commands.filter { stepOfCommand[$0] == nil }
        if fresh.isEmpty, !commands.isEmpty {
            for command in commands { if let at = stepOfCommand[command] { note(finding, severity: severity, at: at) } }
            return
        }
        let key = "\(stage.rawValue)|\(entity)"
        let at: Int
        if let existing = byEntity[key] {
            at = existing
            if !advice.isEmpty, !steps[at].advice.contains(advice) { steps[at].advice += " " + advice }
            steps[at].commands += fresh
        } else {
            at = steps.count
            byEntity[key] = at
            steps.append(
                ContainmentStep(
                    stage: stage, entity: entity, severity: severity, advice: advice, commands: fresh, findings: []))
        }
        for command in fresh { stepOfCommand[command] = at }
        note(finding, severity: severity, at: at)
    }

    private mutating func note(_ finding: String?, severity: String, at: Int) {
        if let finding, !steps[at].findings.contains(finding) { steps[at].findings.append(finding) }
        if let new = Severity(rawValue: severity), let old = Severity(rawValue: steps[at].severity), new > old {
            steps[at].severity = severity
        }
    }

    static func value(of option: String, in words: [String]) -> String? {
        guard let at = words.firstIndex(of: option), at + 1 < words.count else { return nil }
        return words[at + 1]
    }

    /// The stage of what is left of a finding's advice once keys and sessions are taken out.
    static func stage(_ finding: Finding) -> ContainmentStage {
        if finding.effect != nil { return .restoreAndReview }
        switch finding.entity.kind {
        case .instance: return .containInstance
        case .temporaryCredentials: return .revokeSessions
        case .user, .accessKey, .loginProfile, .mfaDevice, .sshPublicKey, .serviceSpecificCredential,
            .signingCertificate, .role, .group, .policy, .instanceProfile, .samlProvider, .oidcProvider, .rolesAnywhere,
            .vpcEndpoint, .securityGroup, .keyPair, .function:
            return finding.containment.commands.isEmpty ? .restoreAndReview : .removePersistence
        default: return .restoreAndReview
        }
    }

    /// The thing a step acts on, in words.
    static func entity(_ entity: EntityReference) -> String {
        let name = entity.name ?? entity.id
        switch entity.kind {
        case .accessKey: return "access key \(entity.id)" + (entity.name.map { " of user \($0)" } ?? "")
        case .user: return "user \(name)"
        case .loginProfile: return "console password of \(name)"
        case .role: return "role \(name)"
        case .group: return "group \(name)"
        case .policy: return "policy \(name)"
        case .instanceProfile: return "instance profile \(name)"
        case .instance: return "instance \(entity.id)" + (entity.name.map { " (\($0))" } ?? "")
        case .vpcEndpoint: return "VPC endpoint \(entity.id)"
        case .securityGroup: return "security group \(entity.id)"
        case .keyPair: return "key pair \(name)"
        case .region: return "region \(entity.id)"
        case .temporaryCredentials: return "temporary credentials \(entity.id)"
        case .function: return "function \(name)"
        case .trail: return "trail \(name)"
        case .detector: return "GuardDuty detector \(entity.id)"
        default: return "\(entity.kind.rawValue) \(name)"
        }
    }
}
