import EvidenceReading

/// Rules whose events are one story per caller: fifteen user-data reads in a row, or a key
/// probing Bedrock, enabling a model and invoking it, are one finding, not fifteen. Their handlers
/// judge each event as the others do; `grouped` then merges each caller's findings of the rule
/// (and of the same kind of entity) into one, which names every event as related.
extension EventRules {
    /// How a rule's findings of one caller are merged.
    struct Grouping: Sendable {
        /// Findings further apart than this (seconds) are separate bursts, each its own finding;
        /// `nil` for one finding per caller whatever the time between.
        var gap: Int64?
        /// The finding for a group of a caller's findings, oldest first.
        var summary: @Sendable ([EventFinding], EventLog) -> EventFinding
        /// The kinds of entity whose findings are merged; `nil` for all. Findings of the rule about
        /// other kinds stay as they are (a hijack-sized launch beside a caller's Bedrock calls).
        var kinds: Set<EntityKind>? = nil
    }

    /// The rules whose findings are merged per caller.
    static let groupings: [RuleID: Grouping] = [
        .resourceHijacking: Grouping(gap: nil, summary: bedrockSummary, kinds: [.accessKey, .principal]),
        .userData: Grouping(gap: BehaviourRules.window, summary: userDataSummary),
        .instanceAccess: Grouping(gap: BehaviourRules.window, summary: instanceAccessSummary),
    ]

    /// `findings` with those of the rules in `groupings` merged: one per rule, caller (access key,
    /// else principal), kind of entity and burst, in the place of the group's first finding.
    /// Findings of other rules are returned as they are, in their order.
    static func grouped(_ findings: [EventFinding], log: EventLog) -> [EventFinding] {
        guard findings.contains(where: { groupings[$0.finding.rule] != nil }) else { return findings }
        struct Key: Hashable {
            var rule: RuleID
            var caller: Int
            var kind: EntityKind
        }
        // Each group's place in the output and its findings; a finding at no known time joins its
        // caller's latest group, as it was before or after nothing.
        var out: [EventFinding?] = []
        var members: [Int: [EventFinding]] = [:]
        var openGroup: [Key: (slot: Int, last: Int64?)] = [:]
        for item in findings {
            // A refused call's attempt (`refusedAttempt`) stays its own finding.
            guard let grouping = groupings[item.finding.rule], item.event >= 0,
                grouping.kinds?.contains(item.finding.entity.kind) ?? true, item.finding.details["attempt"] != "true"
            else {
                out.append(item)
                continue
            }
            let row = log.rows[item.event]
            let caller = row.accessKey != 0 ? row.accessKey : row.principal
            // A caller without key or principal is nobody to merge with: its own group.
            let key = Key(
                rule: item.finding.rule, caller: caller != 0 ? Int(caller) : -(item.event + 1),
                kind: item.finding.entity.kind)
            let time: Int64? = row.hasTime ? row.time : nil
            if let open = openGroup[key] {
                let apart =
                    grouping.gap.map { gap in
                        guard let time, let last = open.last else { return false }
                        return EvidenceSeconds.subtracting(time, last) > gap
                    } ?? false
                if !apart {
                    members[open.slot, default: []].append(item)
                    openGroup[key] = (open.slot, time ?? open.last)
                    continue
                }
            }
            members[out.count] = [item]
            openGroup[key] = (out.count, time)
            out.append(nil)
        }
        return out.indices.compactMap { slot in
            if let item = out[slot] { return item }
            guard let group = members[slot], let first = group.first, let grouping = groupings[first.finding.rule]
            else { return nil }
            return grouping.summary(group, log)
        }
    }

    /// The group's first finding with what the summary says, and every event of the group as related.
    static func merged(
        _ group: [EventFinding], log: EventLog, title: String, severity: Severity, reason: String,
        entity: EntityReference, containment: Containment, details: [String: String]
    ) -> EventFinding {
        var item = group[0]
        item.finding.title = title
        item.finding.severity = severity
        item.finding.reason = reason
        item.finding.entity = entity
        item.finding.containment = containment
        let madeBy = item.finding.details["madeBy"]
        item.finding.details = details
        if let madeBy { item.finding.details["madeBy"] = madeBy }
        item.finding.details["calls"] = String(group.count)
        item.finding.relatedEvents = group.count > 1 ? group.prefix(50).map { log.reference(at: $0.event) } : []
        return item
    }
}
