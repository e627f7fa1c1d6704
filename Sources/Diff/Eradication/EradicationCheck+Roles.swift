import Evidence
import EvidenceReading

/// Roles, their trust policies, and instance profiles.
extension EradicationCheck {
    /// A role made by the intruder, or a trust it widened: the principals the finding named that
    /// are outside the account (or all of them, when none is) must no longer be admitted. A made
    /// role whose trust admits none of them any more is contained; a widened trust that does not is
    /// undone (removed).
    func role(_ finding: Finding) -> Outcome {
        let name = finding.entity.name ?? EventFacts.lastPathComponent(finding.entity.id) ?? finding.entity.id
        guard let role = newest.role(id: finding.entity.id, name: finding.entity.name) else {
            return gone(
                "Role \(name) is no longer in the newest snapshot; sessions of it stop working with it.", iamGap,
                evidence: newest.member(SnapshotLayout.roles.path()))
        }
        let evidence = newest.pointer(.role, role.roleId)
        let named = (finding.details["added"] ?? finding.details["trusts"] ?? "").split(separator: " ").map(String.init)
        let foreign = named.filter {
            $0 == "*" || PolicyJudgement.account(in: $0).map { $0 != newest.account } ?? false
        }
        let concerning = foreign.isEmpty ? named : foreign
        let now = PolicyJudgement.principals(role.trustPolicy)
        let still =
            concerning.isEmpty
            ? Array(now.all).sorted()
            : concerning.filter { principal in
                if principal == "*" { return now.everyone }
                if let account = PolicyJudgement.account(in: principal), account != newest.account {
                    return now.accounts.contains(account) || now.everyone
                }
                return now.all.contains(principal) || now.everyone
            }
        let created = finding.rule == .roleCreated
        guard still.isEmpty else {
            let accounts = still.compactMap(PolicyJudgement.account(in:)).filter { $0 != newest.account }
            return Outcome(
                status: .remains,
                reason: "Role \(role.roleName) is still there and its trust policy still admits "
                    + "\(still.joined(separator: ", ")).",
                commands: Advice.role(role.roleName, foreign: Array(Set(accounts)).sorted()).commands,
                evidence: evidence)
        }
        let what = concerning.isEmpty ? "anyone" : concerning.joined(separator: ", ")
        if created {
            return Outcome(
                status: .contained,
                reason: "Role \(role.roleName) is still there, but its trust policy no longer admits \(what): "
                    + "contained. Delete it once the case is closed.", evidence: evidence)
        }
        return Outcome(
            status: .removed, reason: "The trust policy of role \(role.roleName) no longer admits \(what).",
            evidence: evidence)
    }

    /// An instance profile that still carries the role the finding saw added remains.
    func instanceProfile(_ finding: Finding) -> Outcome {
        let name = finding.entity.name ?? finding.entity.id
        guard let profile = newest.profilesById[finding.entity.id] ?? newest.profilesByName[name] else {
            return gone(
                "Instance profile \(name) is no longer in the newest snapshot.",
                newest.gap("iam", ["ListInstanceProfiles"]),
                evidence: newest.member(SnapshotLayout.instanceProfiles.path()))
        }
        let evidence = newest.pointer(.instanceProfile, profile.instanceProfileId)
        let named = (finding.details["roles"] ?? finding.details["roleName"] ?? "").split(separator: " ").map(
            String.init)
        let still = named.isEmpty ? profile.roles : named.filter(profile.roles.contains)
        guard let role = still.first else {
            return gone(
                "Instance profile \(profile.instanceProfileName) no longer carries \(named.joined(separator: ", ")).",
                newest.gap("iam", ["ListInstanceProfiles"]), evidence: evidence)
        }
        return Outcome(
            status: .remains,
            reason: "Instance profile \(profile.instanceProfileName) still carries \(still.joined(separator: ", ")).",
            commands: Advice.instanceProfile(profile.instanceProfileName, role: role).commands, evidence: evidence)
    }
}
