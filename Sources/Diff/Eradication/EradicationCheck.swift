import Evidence
import EvidenceReading

/// Judges each finding, and each credential of a suspect actor that no finding names, against the
/// newest snapshot (`Eradication`). One judge per rule (`judges`); a rule without one is `unknown`,
/// so a rule added later is never taken for eradicated.
struct EradicationCheck {
    /// What a judge says of one finding.
    struct Outcome {
        var status: EradicationStatus
        var reason: String
        var commands: [String] = []
        var evidence: EvidencePointer? = nil
    }

    /// Judges one finding against the newest snapshot.
    typealias Judge = @Sendable (EradicationCheck, Finding) -> Outcome

    let newest: NewestSnapshot
    /// Every finding of the incident: a judge may look at the others (a region's things are each
    /// judged by their own finding).
    var findings: [Finding] = []

    init(newest: NewestSnapshot) {
        self.newest = newest
    }

    /// The results for `findings` and the credentials of `actors` no finding names, what remains first.
    func run(findings: [Finding], actors: [SuspectActor]) -> Eradication {
        var check = self
        check.findings = findings
        var results = findings.enumerated().map { index, finding in
            let outcome = check.outcome(finding)
            return EradicationResult(
                status: outcome.status, account: finding.account, rule: finding.rule, finding: index,
                title: finding.title, entity: finding.entity, actor: finding.actor, reason: outcome.reason,
                commands: outcome.status == .remains || outcome.status == .unknown ? outcome.commands : [],
                evidence: outcome.evidence)
        }
        results += check.credentials(of: actors, namedBy: findings)
        // Stable: what remains first, then in the findings' order, then the actors'.
        let order = results.indices.sorted { (results[$0].status.rank, $0) < (results[$1].status.rank, $1) }
        return Eradication(
            account: newest.account, archive: newest.loaded.archive, takenAt: newest.loaded.takenAt,
            results: order.map { results[$0] })
    }

    /// The outcome for one finding: containments, clean-ups and refused attempts are no state;
    /// every other finding goes to its rule's judge.
    func outcome(_ finding: Finding) -> Outcome {
        if let effect = finding.effect {
            return Outcome(
                status: .notApplicable,
                reason: "A \(effect.rawValue) (\(effect == .containment ? "access taken away" : "a thing deleted")), "
                    + "not persistence: nothing to remove.")
        }
        if finding.details["attempt"] == "true" {
            return Outcome(status: .notApplicable, reason: "A refused attempt: nothing was made, nothing to remove.")
        }
        if finding.severity == .low && finding.actor == nil {
            return Outcome(
                status: .notApplicable,
                reason: "Judged benign (low) and no suspect actor's: not part of the incident. "
                    + "\(finding.reason.prefix(200))")
        }
        guard let judge = Self.judges[finding.rule] else {
            return Outcome(
                status: .unknown,
                reason:
                    "No eradication check knows rule \(finding.rule) yet: look at the finding and its advice yourself.",
                commands: finding.containment.commands)
        }
        return judge(self, finding)
    }

    /// The judge of each rule.
    static let judges: [RuleID: Judge] = [
        .accessKeyCreated: { $0.accessKey($1) },
        .accessKeyReactivated: { $0.accessKey($1) },
        .userCreated: { $0.user($1) },
        .loginProfileCreated: { $0.loginProfile($1) },
        .loginProfileChanged: { $0.loginProfile($1) },
        .roleCreated: { $0.role($1) },
        .roleTrustChanged: { $0.role($1) },
        .privilegedPolicyAttached: { $0.policyAttachment($1) },
        .policyVersionChanged: { $0.policyVersion($1) },
        .groupMemberAdded: { $0.groupMember($1) },
        .otherCredentialAdded: { $0.otherCredential($1) },
        .identityProviderChanged: { $0.identityProvider($1) },
        .instanceProfileChanged: { $0.instanceProfile($1) },
        .instanceLaunchedWithRole: { $0.instance($1) },
        .regionFirstUse: { $0.region($1) },
        .vpcEndpointCreated: { $0.vpcEndpoint($1) },
        .securityGroupOpened: { $0.securityGroup($1) },
        .keyPairAdded: { $0.keyPair($1) },
        .trailImpaired: { $0.trail($1) },
        .guardDutyImpaired: { $0.detector($1) },
        .organizationLeft: { $0.organization($1) },
        .sessionTokenIssued: { $0.sessions($1) },
        .federationTokenIssued: { $0.sessions($1) },
        .roleAssumedBySuspect: { $0.sessions($1) },
        .instanceRoleOutside: { $0.sessions($1) },
        .resourceHijacking: { check, finding in
            finding.entity.kind == .instance
                ? check.instances(finding)
                : notAState(
                    "Calls to Bedrock or launches refused: events; the key or session that made them is checked with the actor's credentials."
                )
        },
        .instanceAccess: { check, finding in
            finding.entity.kind == .account
                ? notCollected(finding, "the serial console setting")
                : notAState("SSH keys pushed to instances last 60 seconds: events, not a state.")
        },
        .enumeration: { _, _ in notAState("A burst of calls: events, not a state.") },
        .deniedBurst: { _, _ in notAState("Refused calls: nothing was made.") },
        .newSource: { _, _ in notAState("Where a key was used from: events, not a state.") },
        .consoleLogin: { _, _ in
            notAState(
                "A console sign-in: an event. The console password is judged with the login-profile findings; a "
                    + "console session ends within 12 hours.")
        },
        .secretsRead: { _, _ in
            notAState("A read: rotate what was read; nothing of it is in the snapshot to remove.")
        },
        .userData: { _, _ in
            notAState("A read of user data: rotate what it held; nothing of it is in the snapshot to remove.")
        },
        .instanceCommand: { _, _ in
            notAState("Commands sent to instances: events; look on the instances for what the commands left.")
        },
        .containmentAction: { _, _ in notAState("A containment or clean-up: nothing to remove.") },
        .rolesAnywhereTrustAnchor: { notCollected($1, "IAM Roles Anywhere trust anchors and profiles") },
        .lambdaExternalAccess: { notCollected($1, "Lambda functions' resource policies") },
        .lambdaBackdoored: { notCollected($1, "Lambda functions' code, layers and roles") },
        .resourceShared: { notCollected($1, "the permissions of snapshots, images and buckets") },
        .flowLogsDeleted: { notCollected($1, "VPC flow logs") },
        .dnsQueryLogsRemoved: { notCollected($1, "Route 53 Resolver query logging") },
        .modelInvocationLogsDeleted: { notCollected($1, "Bedrock's model invocation logging") },
        .trailBucketImpaired: { notCollected($1, "buckets' policies and lifecycle rules") },
    ]

    /// Events, not a state.
    static func notAState(_ reason: String) -> Outcome {
        Outcome(status: .notApplicable, reason: "Not a state: nothing to eradicate. " + reason)
    }

    /// A state custody does not collect: the finding's own commands say where to look.
    static func notCollected(_ finding: Finding, _ what: String) -> Outcome {
        Outcome(
            status: .unknown,
            reason: "Custody's snapshot does not hold \(what): check with the finding's commands.",
            commands: finding.containment.commands)
    }

    /// Removed when the newest snapshot's listing proves it; else unknown, saying why.
    func gone(_ reason: String, _ gap: String?, evidence: EvidencePointer? = nil) -> Outcome {
        guard let gap else { return Outcome(status: .removed, reason: reason, evidence: evidence) }
        return Outcome(status: .unknown, reason: gap, evidence: evidence)
    }
}
