import EvidenceReading

/// Refused calls of the rules that judge what a call made. A refused CreateAccessKey made no key,
/// so no rule about keys fires; but someone tried, and an intruder testing what a stolen key may
/// do leaves exactly these. Each becomes a low attempt under the rule of the call, so a hunt shows
/// it without raising an alert for what misconfigured automation also does; a burst of them is
/// `auth.denied-burst`, and a suspect actor's is raised like anything else it did.
extension EventRules {
    /// The request parameters that name what a call was aimed at, most specific first.
    static let targetParameters = [
        "userName", "roleName", "groupName", "policyArn", "instanceProfileName", "instanceId", "functionName",
        "bucketName", "trailName", "name", "detectorId", "groupId", "keyName", "imageId", "snapshotId",
        "dBSnapshotIdentifier", "sAMLProviderArn", "roleArn",
    ]

    /// The attempt an event's refused call makes under `rule`, when the call was denied (not an
    /// ordinary error such as a name already taken), and `rule` is not the containment rule.
    static func refusedAttempt(_ event: EventFacts, rule: RuleID) -> EventFinding? {
        guard let code = event.errorCode, BehaviourRules.deniedCodes.contains(code), rule != .containmentAction
        else { return nil }
        let target = targetParameters.lazy.compactMap { event.parameter($0) }.first
        return event.finding(
            rule, "Refused attempt: \(event.name)\(target.map { " of \($0)" } ?? "") (\(code))", .low,
            "The call was refused (\(code)), so nothing was made. One refused call is also what misconfigured "
                + "automation makes; an intruder testing what a stolen key may do makes the same, usually several "
                + "in a row (auth.denied-burst).",
            entity: caller(event),
            containment: Advice.review(
                "Confirm that nothing changed; if the caller had no reason to try this, contain its key or session."),
            details: ["attempt": "true", "errorCode": code, "target": target ?? ""])
    }

    /// The attempt for a refused event that none of its rules made a finding of: under the first
    /// of its rules that judges what a call made.
    static func refusedAttempt(_ event: EventFacts) -> EventFinding? {
        guard event.failed, let rule = rulesOfEvent[event.name]?.first(where: { $0 != .containmentAction })
        else { return nil }
        return refusedAttempt(event, rule: rule)
    }
}
