import Dispatch
import Evidence
import EvidenceReading

/// Runs every rule over a CloudTrail slice (and a snapshot diff's state findings, if any), follows
/// the suspect keys, and judges each finding: what a suspect actor did is high; what the collector's
/// own principal did is never counted as an intruder's.
struct Analysis {
    let log: EventLog
    /// Events judged, oldest first.
    let scope: [Int]
    /// Events establishing normal use (the baseline archive's slice).
    let baseline: [Int]
    let knownAccounts: Set<String>
    let regionsInUse: Set<String>
    let suspectKeys: [String]
    /// What the snapshots read say (trail buckets, instance addresses, privileged roles).
    var snapshots = SnapshotFacts()

    struct Output {
        var findings: [Finding]
        var actors: [SuspectActor]
    }

    func run(state: [StateRules.Outcome] = []) -> Output {
        let claimed = Set(state.flatMap(\.claimed))
        // The single-event rules, the actor graph's links and the history rules depend on none of
        // each other: worked out at once.
        let singles = SnapshotReading.Slots<[EventFinding]>(1), graphs = SnapshotReading.Slots<ActorGraph>(1)
        let histories = SnapshotReading.Slots<[EventFinding]>(1)
        DispatchQueue.concurrentPerform(iterations: 3) { job in
            switch job {
            case 0: singles[0] = singleEventFindings(claimed: claimed)
            case 1: graphs[0] = ActorGraph(log: log)
            default:
                histories[0] = BehaviourRules(
                    log: log, scope: scope, baseline: baseline, regionsInUse: regionsInUse, actorOf: .none
                )
                .independentOfActors()
                histories[0]? += InstanceCredentialRules(
                    log: log, scope: scope, baseline: baseline, instanceAddresses: snapshots.instanceAddresses
                ).evaluate()
            }
        }
        let base = singles[0]!, graph = graphs[0]!, history = histories[0]!
        let stateFindings = state.map { EventFinding(finding: $0.finding, event: $0.event ?? -1) }
        var seeds = suspectKeys.map { (key: $0, origin: "suspect") }
        var reaches: [ActorGraph.Reach] = []
        var findings: [EventFinding] = []
        for _ in 0..<3 {
            reaches = graph.actors(seeds: seeds)
            let actorOf = ActorMap(reaches, count: log.rows.count)
            let regions = BehaviourRules(
                log: log, scope: scope, baseline: baseline, regionsInUse: regionsInUse, actorOf: actorOf
            ).regionFirstUse()
            let behaviour = (history + regions).filter {
                !claimed.contains($0.event) || $0.finding.rule != .regionFirstUse
            }
            findings = judge(
                stateFindings + base + behaviour + assumedBySuspect(actorOf, claimed: claimed), actorOf: actorOf)
            let known = Set(reaches.flatMap(\.keys)).union(seeds.map(\.key))
            var more: [(key: String, origin: String)] = []
            for item in findings where item.finding.severity == .high && item.event >= 0 && item.finding.actor == nil {
                let row = log.rows[item.event]
                guard !row.byCollector, log.string(row.identityType) != "AWSService" else { continue }
                if let key = log.string(row.accessKey), !known.contains(key), !more.contains(where: { $0.key == key }) {
                    more.append((key, "made-a-finding"))
                }
                if item.finding.rule == .roleAssumedBySuspect, let key = item.finding.exposure?.accessKeyId,
                    !known.contains(key)
                {
                    more.append((key, "assumed-role"))
                }
            }
            if more.isEmpty { break }
            seeds += more
        }
        var findingsOfActor: [String: [Finding]] = [:]
        for item in findings {
            if let actor = item.finding.actor { findingsOfActor[actor, default: []].append(item.finding) }
        }
        let actors = reaches.enumerated().map { n, reach in
            let id = ActorMap.name(Int32(n + 1))
            return actor(id: id, reach, findings: findingsOfActor[id] ?? [])
        }
        var out = findings.map(\.finding)
        out.sort(by: Finding.ordered)
        return Output(findings: out, actors: actors)
    }

    /// The findings of the rules that judge one event at a time, for the events in scope whose
    /// record was kept and that no state finding claimed.
    private func singleEventFindings(claimed: Set<Int>) -> [EventFinding] {
        let planted = plantedTrust()
        var out: [EventFinding] = []
        // The rules for each event name, looked up once per name.
        var evaluatorsOfName: [Int32: [EventRules.Evaluator]] = [:]
        for index in scope where log.rows[index].detail >= 0 && !claimed.contains(index) {
            let name = log.rows[index].name
            let evaluators: [EventRules.Evaluator]
            if let known = evaluatorsOfName[name] {
                evaluators = known
            } else {
                evaluators = EventRules.evaluators(for: log.table[name])
                evaluatorsOfName[name] = evaluators
            }
            guard !evaluators.isEmpty, let event = EventFacts(log: log, index: index) else { continue }
            let known = planted[index].map { knownAccounts.subtracting($0) } ?? knownAccounts
            let context = EventRules.Context(knownAccounts: known, snapshots: snapshots)
            for evaluator in evaluators { out += evaluator(event, context) }
        }
        return EventRules.grouped(out, log: log)
    }

    /// In a hunt (no baseline), for each AssumeRole, the accounts an earlier call in the slice
    /// (CreateRole, UpdateAssumeRolePolicy) wrote into that role's trust. A hunt's known accounts
    /// come from whatever snapshots it read, which may postdate such a backdoor: an account admitted
    /// within the slice is not known for assuming that role. A diff knows them from its baseline.
    private func plantedTrust() -> [Int: Set<String>] {
        guard baseline.isEmpty else { return [:] }
        let create = log.table.lookup("CreateRole"), update = log.table.lookup("UpdateAssumeRolePolicy")
        let assume = log.table.lookup("AssumeRole")
        guard assume != 0, create != 0 || update != 0 else { return [:] }
        // By time, not position: CloudTrail times are whole seconds, and a backdoor is often used
        // within the second it was planted. A call at no known time was before nothing.
        var admitted: [String: [(time: Int64, accounts: Set<String>)]] = [:]
        for index in scope {
            let row = log.rows[index]
            guard row.hasTime, row.errorCode == 0, row.name != 0, row.name == create || row.name == update,
                let event = EventFacts(log: log, index: index), let name = event.parameter("roleName")
            else { continue }
            let document = event.request?["assumeRolePolicyDocument"] ?? event.request?["policyDocument"]
            let foreign = PolicyJudgement.principals(document).foreign(to: event.account)
            if !foreign.isEmpty { admitted[event.account + "/" + name, default: []].append((row.time, foreign)) }
        }
        // Most slices admit no foreign account: then no AssumeRole needs reading.
        guard !admitted.isEmpty else { return [:] }
        var out: [Int: Set<String>] = [:]
        for index in scope {
            let row = log.rows[index]
            guard row.hasTime, row.errorCode == 0, row.name == assume, let event = EventFacts(log: log, index: index),
                let arn = event.parameter("roleArn"), let name = EventFacts.lastPathComponent(arn),
                let grants = admitted[EventFacts.accountOf(arn: arn) + "/" + name]
            else { continue }
            let accounts = grants.filter { $0.time <= row.time }.reduce(into: Set<String>()) {
                $0.formUnion($1.accounts)
            }
            if !accounts.isEmpty { out[index] = accounts }
        }
        return out
    }

    /// `sts.role-assumed-by-suspect` for roles a suspect actor assumed.
    private func assumedBySuspect(_ actorOf: ActorMap, claimed: Set<Int>) -> [EventFinding] {
        let name = log.table.lookup("AssumeRole")
        return scope.compactMap { index -> EventFinding? in
            let row = log.rows[index]
            guard row.name == name, name != 0, row.errorCode == 0, let actor = actorOf[index],
                let event = EventFacts(log: log, index: index)
            else { return nil }
            let role = event.parameter("roleArn") ?? "unknown"
            let window = EventRules.exposure(event, defaultSeconds: 3_600, credentials: event.response?["credentials"])
            return event.finding(
                .roleAssumedBySuspect, "Role \(role) assumed by \(actor)", .high,
                "A suspect actor obtained the role's credentials.",
                entity: EntityReference(kind: .role, id: role, name: EventFacts.lastPathComponent(role), arn: role),
                containment: Advice.temporaryCredentials(user: nil, role: EventFacts.lastPathComponent(role)),
                exposure: window)
        }
    }

    /// Raises what suspect actors did to high, lowers what the collector's principal did to low,
    /// and drops repeats (the same rule, entity and event).
    private func judge(_ items: [EventFinding], actorOf: ActorMap) -> [EventFinding] {
        var seen = Set<String>()
        var out: [EventFinding] = []
        for var item in items {
            let event = item.finding.rule == .regionFirstUse ? "" : String(item.event)
            let key = "\(item.finding.rule)|\(item.finding.entity.kind)|\(item.finding.entity.id)|\(event)"
            guard seen.insert(key).inserted else { continue }
            if item.event >= 0 {
                let row = log.rows[item.event]
                if row.byCollector {
                    item.finding.severity = .low
                    item.finding.reason +=
                        " Made by the collector's own principal, which is the responder's, not an intruder's."
                } else if let actor = actorOf[item.event] {
                    item.finding.actor = actor
                    if item.finding.severity != .high {
                        item.finding.severity = .high
                        item.finding.reason += " Made by \(actor), which follows from a suspect key."
                    }
                }
            }
            out.append(item)
        }
        return out
    }

    private func actor(id: String, _ reach: ActorGraph.Reach, findings: [Finding]) -> SuspectActor {
        func values(_ field: (EventRow) -> Int32) -> [String] {
            Array(Set(reach.rows.compactMap { log.string(field(log.rows[$0])) })).sorted()
        }
        var created: [EntityReference] = []
        for finding in findings where !created.contains(finding.entity) { created.append(finding.entity) }
        let times = reach.rows.filter { log.rows[$0].hasTime }.compactMap { log.string(log.rows[$0].eventTime) }
        return SuspectActor(
            id: id, seeds: reach.seeds, credentials: reach.credentials, principals: reach.principals.sorted(),
            created: created,
            vpcEndpoints: values(\.vpcEndpoint), sourceIPAddresses: values(\.sourceIP), userAgents: values(\.userAgent),
            regions: values(\.region), firstSeen: times.min(), lastSeen: times.max(), eventCount: reach.rows.count,
            events: reach.rows.map { log.reference(at: $0) })
    }
}
