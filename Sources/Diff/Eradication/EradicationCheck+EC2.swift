import Evidence
import EvidenceReading

/// Instances, regions first used, VPC endpoints, security groups and key pairs: regional things,
/// unknown in a region the newest snapshot did not collect.
extension EradicationCheck {
    /// States in which an instance is gone or going.
    static let endedStates: Set<String> = ["shutting-down", "terminated"]
    /// States in which an instance cannot act.
    static let stoppedStates: Set<String> = ["stopping", "stopped"]
    /// States in which a VPC endpoint is gone or going.
    static let endedEndpointStates: Set<String> = ["deleting", "deleted", "rejected", "failed", "expired"]

    func region(of finding: Finding) -> String? { finding.entity.region ?? finding.region }

    /// An instance with the intruder's role: running with it remains; stopped, or without a role,
    /// is contained; terminated or gone is removed.
    func instance(_ finding: Finding) -> Outcome {
        guard let region = region(of: finding) else {
            return Outcome(status: .unknown, reason: "The finding names no region for instance \(finding.entity.id).")
        }
        let id = finding.entity.id
        guard let instance = newest.instances[id], instance.region == region else {
            return gone(
                "Instance \(id) is no longer in \(region) in the newest snapshot (terminated instances leave the "
                    + "listing about an hour after).",
                newest.gap("ec2", ["DescribeInstances"], region: region),
                evidence: newest.member(SnapshotLayout.instances.path(in: region)))
        }
        let evidence = newest.pointer(.instance, id)
        if Self.endedStates.contains(instance.state) {
            return Outcome(status: .removed, reason: "Instance \(id) is \(instance.state).", evidence: evidence)
        }
        guard let profile = instance.instanceProfileArn else {
            return Outcome(
                status: .contained,
                reason: "Instance \(id) is \(instance.state) without an instance profile: its role was taken away. "
                    + "Terminate it once its volumes are saved.", evidence: evidence)
        }
        let roles = newest.profilesByArn[profile]?.roles ?? []
        if Self.stoppedStates.contains(instance.state) {
            return Outcome(
                status: .contained,
                reason: "Instance \(id) is \(instance.state), still with instance profile \(profile): it cannot act "
                    + "while stopped. Terminate it once its volumes are saved.", evidence: evidence)
        }
        return Outcome(
            status: .remains,
            reason: "Instance \(id) is \(instance.state) in \(region) and still carries instance profile \(profile)"
                + (roles.isEmpty ? "." : " (role \(roles.joined(separator: ", "))")
                + (roles.isEmpty ? "" : ")."),
            commands: Advice.instance(id, region: region, role: roles.first).commands, evidence: evidence)
    }

    /// Instances launched for their capacity (ids joined by commas): any still running remains.
    func instances(_ finding: Finding) -> Outcome {
        guard let region = region(of: finding) else {
            return Outcome(status: .unknown, reason: "The finding names no region for its instances.")
        }
        let ids = finding.entity.id.split(separator: ",").map(String.init).filter { $0.hasPrefix("i-") }
        guard !ids.isEmpty else {
            return Outcome(status: .unknown, reason: "The finding names no instance id.")
        }
        var running: [String] = [], stopped: [String] = [], missing: [String] = []
        for id in ids {
            guard let instance = newest.instances[id], instance.region == region else {
                missing.append(id)
                continue
            }
            if Self.stoppedStates.contains(instance.state) {
                stopped.append(id)
            } else if !Self.endedStates.contains(instance.state) {
                running.append(id)
            }
        }
        let member = newest.member(SnapshotLayout.instances.path(in: region))
        if !running.isEmpty {
            return Outcome(
                status: .remains,
                reason:
                    "Instance\(running.count == 1 ? "" : "s") \(running.joined(separator: ", ")) still run\(running.count == 1 ? "s" : "") in \(region).",
                commands: finding.containment.commands, evidence: member)
        }
        if !missing.isEmpty, let gap = newest.gap("ec2", ["DescribeInstances"], region: region) {
            return Outcome(status: .unknown, reason: gap, evidence: member)
        }
        if !stopped.isEmpty {
            return Outcome(
                status: .contained,
                reason: "Instance\(stopped.count == 1 ? "" : "s") \(stopped.joined(separator: ", ")) stopped in "
                    + "\(region); the others are terminated or gone. Terminate them once their volumes are saved.",
                evidence: member)
        }
        return Outcome(
            status: .removed, reason: "Every instance (\(ids.joined(separator: ", "))) is terminated or gone.",
            evidence: member)
    }

    /// A region first used: the things the finding names are judged by their own findings; those
    /// no other finding names (an instance without a role, a security group) are judged here.
    func region(_ finding: Finding) -> Outcome {
        let region = finding.entity.id
        let listed: [(kind: EntityKind, id: String)] = (finding.details["entities"] ?? "").split(separator: " ")
            .compactMap { item in
                let parts = item.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let kind = EntityKind(rawValue: String(parts[0])) else { return nil }
                return (kind, String(parts[1]))
            }
        guard !listed.isEmpty else {
            return Self.notAState(
                "Activity in a region the account did not use; what was made there is judged by its own findings.")
        }
        let covered = Set(
            findings.filter { $0.rule != .regionFirstUse }.map { "\($0.entity.kind.rawValue):\($0.entity.id)" })
        let own = listed.filter { !covered.contains("\($0.kind.rawValue):\($0.id)") }
        guard !own.isEmpty else {
            return Self.notAState(
                "Each thing it found in \(region) (\(listed.map(\.id).joined(separator: ", "))) is judged by its own finding."
            )
        }
        var left: [String] = []
        for (kind, id) in own {
            switch kind {
            case .instance:
                if let instance = newest.instances[id], !Self.endedStates.contains(instance.state) { left.append(id) }
            case .vpcEndpoint:
                if let endpoint = newest.endpoints[id], !Self.endedEndpointStates.contains(endpoint.state ?? "") {
                    left.append(id)
                }
            case .securityGroup:
                if newest.securityGroups[id] != nil { left.append(id) }
            case .keyPair:
                if newest.keyPairs[id] != nil { left.append(id) }
            default: break
            }
        }
        guard left.isEmpty else {
            return Outcome(
                status: .remains, reason: "\(region) still holds \(left.joined(separator: ", ")).",
                commands: Advice.region(region).commands)
        }
        return gone(
            "Nothing it found in \(region) (\(own.map(\.id).joined(separator: ", "))) is left.",
            newest.gap(
                "ec2", ["DescribeInstances", "DescribeVpcEndpoints", "DescribeSecurityGroups", "DescribeKeyPairs"],
                region: region))
    }

    /// A VPC endpoint remains until it is deleted.
    func vpcEndpoint(_ finding: Finding) -> Outcome {
        guard let region = region(of: finding) else {
            return Outcome(
                status: .unknown, reason: "The finding names no region for VPC endpoint \(finding.entity.id).")
        }
        let id = finding.entity.id
        guard let endpoint = newest.endpoints[id], endpoint.region == region,
            !Self.endedEndpointStates.contains(endpoint.state ?? "")
        else {
            let state = newest.endpoints[id]?.state
            return gone(
                "VPC endpoint \(id) is "
                    + (state.map { "\($0) in the newest snapshot." } ?? "no longer in \(region) in the newest snapshot."),
                state == nil ? newest.gap("ec2", ["DescribeVpcEndpoints"], region: region) : nil,
                evidence: newest.pointer(.vpcEndpoint, id)
                    ?? newest.member(SnapshotLayout.vpcEndpoints.path(in: region)))
        }
        return Outcome(
            status: .remains,
            reason: "VPC endpoint \(id) for \(endpoint.serviceName) is still in \(region)"
                + (endpoint.state.map { " (\($0))." } ?? "."),
            commands: Advice.vpcEndpoint(id, region: region).commands, evidence: newest.pointer(.vpcEndpoint, id))
    }

    /// A security group remains opened while it still admits a source the finding saw added.
    func securityGroup(_ finding: Finding) -> Outcome {
        guard let region = region(of: finding) else {
            return Outcome(
                status: .unknown, reason: "The finding names no region for security group \(finding.entity.id).")
        }
        let id = finding.entity.id
        let group =
            newest.securityGroups[id]
            ?? newest.loaded.snapshot.securityGroups.first { $0.region == region && $0.groupName == id }
        guard let group, group.region == region else {
            return gone(
                "Security group \(id) is no longer in \(region) in the newest snapshot.",
                newest.gap("ec2", ["DescribeSecurityGroups"], region: region),
                evidence: newest.member(SnapshotLayout.securityGroups.path(in: region)))
        }
        let evidence = newest.pointer(.securityGroup, group.groupId)
        let sources = (finding.details["sources"] ?? "").split(separator: " ").map(String.init)
        guard !sources.isEmpty else {
            return Outcome(
                status: .unknown,
                reason:
                    "Security group \(group.groupId) is still there; the finding does not say which source the rule "
                    + "admitted, so compare its rules with the event.",
                commands: Advice.securityGroup(group.groupId, region: region).commands.prefix(1).map { $0 },
                evidence: evidence)
        }
        let now = Set(group.ingress.flatMap { $0.ipv4Ranges + $0.ipv6Ranges + $0.groupIds + $0.prefixListIds })
        let still = sources.filter(now.contains)
        guard still.isEmpty else {
            return Outcome(
                status: .remains,
                reason: "Security group \(group.groupId) still admits \(still.joined(separator: ", ")).",
                commands: Advice.securityGroup(group.groupId, region: region).commands, evidence: evidence)
        }
        return Outcome(
            status: .removed,
            reason: "Security group \(group.groupId) no longer admits \(sources.joined(separator: ", ")).",
            evidence: evidence)
    }

    /// A key pair remains until it is deleted.
    func keyPair(_ finding: Finding) -> Outcome {
        guard let region = region(of: finding) else {
            return Outcome(status: .unknown, reason: "The finding names no region for key pair \(finding.entity.id).")
        }
        let id = finding.entity.id, name = finding.entity.name
        let pair = [newest.keyPairs[id], name.flatMap { newest.keyPairs["\(region)/\($0)"] }].compactMap { $0 }
            .first { $0.region == region }
        guard let pair else {
            return gone(
                "Key pair \(name ?? id) is no longer in \(region) in the newest snapshot.",
                newest.gap("ec2", ["DescribeKeyPairs"], region: region),
                evidence: newest.member(SnapshotLayout.keyPairs.path(in: region)))
        }
        return Outcome(
            status: .remains, reason: "Key pair \(pair.keyName) is still in \(region).",
            commands: Advice.keyPair(pair.keyName, region: region).commands,
            evidence: newest.pointer(.keyPair, pair.keyPairId ?? "\(pair.region)/\(pair.keyName)"))
    }
}
