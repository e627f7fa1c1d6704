import Diff

/// Who made each event, its phase and the findings citing it, in one pass over every event, oldest
/// first: every event for `timeline.jsonl`, and the timeline rows, which are every event of a
/// suspect actor, every event a finding cites, and the responder's containment after the attack
/// started. The collector's calls are never rows.
struct Timeline {
    let set: EventSet
    let cited: [String: [Finding]]
    /// The ids of the findings citing each event (by `ReportEvent.key`).
    let citedIds: [String: [String]]
    let attackStart: [String: Int64]
    let caseRoot: String

    func build(limit: Int) -> (rows: [TimelineEntry], omitted: Int, events: TimelineEvents) {
        var rows: [TimelineEntry] = []
        var events = TimelineEvents.Builder()
        for event in set.events {
            let key = event.key
            let findings = cited[key] ?? []
            let entry: TimelineEntry
            var isRow = true
            if event.isCollector {
                entry = self.entry(event, actor: "collector", phase: nil, findings: findings)
                isRow = false
            } else if let actor = event.actor {
                entry = self.entry(
                    event, actor: actor, phase: PhaseRules.phase(event, findings: findings), findings: findings)
            } else if let start = attackStart[event.account], let seconds = event.seconds, seconds >= start,
                PhaseRules.isContainment(event, in: set)
            {
                entry = self.entry(event, actor: "responder", phase: .containment, findings: findings)
            } else if !findings.isEmpty {
                entry = self.entry(
                    event, actor: "other principals", phase: PhaseRules.phase(event, findings: findings),
                    findings: findings)
            } else {
                entry = self.entry(event, actor: "other principals", phase: nil, findings: findings)
                isRow = false
            }
            if isRow { rows.append(entry) }
            events.append(entry)
        }
        guard rows.count > limit else { return (rows, 0, events.events) }
        // Leave out reconnaissance no finding cites, the latest first, then any row no finding cites.
        var drop = Set<Int>()
        for pass in 0..<2 {
            for i in rows.indices.reversed() where rows.count - drop.count > limit && rows[i].findings.isEmpty {
                if pass == 1 || rows[i].phase == .reconnaissance { drop.insert(i) }
            }
        }
        return (rows.indices.filter { !drop.contains($0) }.map { rows[$0] }, drop.count, events.events)
    }

    func entry(_ event: ReportEvent, actor: String, phase: Phase?, findings: [Finding]) -> TimelineEntry {
        let r = event.reference
        let ids = findings.isEmpty ? [] : citedIds[event.key] ?? []
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
            findingIds: Array(Set(ids)).sorted(),
            findingTitle: worst?.title, evidence: pointer)
    }
}
