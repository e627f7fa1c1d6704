import Diff

/// The timeline rows: every event of a suspect actor, every event a finding cites, and the
/// responder's containment after the attack started. The collector's calls are never rows.
struct Timeline {
    let set: EventSet
    let cited: [String: [Finding]]
    let attackStart: [String: Int64]
    let caseRoot: String

    func rows(limit: Int) -> (rows: [TimelineEntry], omitted: Int) {
        var rows: [TimelineEntry] = []
        for event in set.events where !event.isCollector {
            let findings = cited[event.key] ?? []
            if let actor = event.actor {
                rows.append(
                    row(event, actor: actor, phase: PhaseRules.phase(event, findings: findings), findings: findings))
            } else if let start = attackStart[event.account], let seconds = event.seconds, seconds >= start,
                PhaseRules.isContainment(event, in: set)
            {
                rows.append(row(event, actor: "responder", phase: .containment, findings: findings))
            } else if !findings.isEmpty {
                rows.append(
                    row(
                        event, actor: "other principals", phase: PhaseRules.phase(event, findings: findings),
                        findings: findings))
            }
        }
        guard rows.count > limit else { return (rows, 0) }
        // Leave out reconnaissance no finding cites, the latest first, then any row no finding cites.
        var drop = Set<Int>()
        for pass in 0..<2 {
            for i in rows.indices.reversed() where rows.count - drop.count > limit && rows[i].findings.isEmpty {
                if pass == 1 || rows[i].phase == .reconnaissance { drop.insert(i) }
            }
        }
        return (rows.indices.filter { !drop.contains($0) }.map { rows[$0] }, drop.count)
    }

    func row(_ event: ReportEvent, actor: String, phase: Phase, findings: [Finding]) -> TimelineEntry {
        let r = event.reference
        let worst = PhaseRules.headline(findings)
        let pointer = r.evidence.map { pointer in
            "\(EvidenceIndex.relative(pointer.archive, to: caseRoot)) \(pointer.member)"
                + (pointer.line.map { ":\($0)" } ?? "")
        }
        return TimelineEntry(
            time: r.eventTime ?? "", account: r.account ?? event.account, actor: actor, phase: phase,
            principal: r.principal,
            accessKeyId: r.accessKeyId, sourceIPAddress: r.sourceIPAddress, vpcEndpointId: r.vpcEndpointId,
            region: r.region,
            eventSource: r.eventSource, eventName: r.eventName, target: event.target, errorCode: r.errorCode,
            userAgent: r.userAgent,
            eventID: r.eventID, findings: Array(Set(findings.map(\.rule.rawValue))).sorted(),
            findingTitle: worst?.title, evidence: pointer)
    }
}
