import Dispatch
import Evidence
import EvidenceReading

/// Runs every rule over a CloudTrail slice (and a snapshot diff's state findings, if any), follows
/// the suspect keys, and judges each finding: what a suspect actor made or changed is high, what it
/// contained or cleaned up is not; what the collector itself did is never counted as an intruder's.
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
                stateFindings + base + behaviour + assumedBySuspect(actorOf, claimed: claimed), actorOf: actorOf,
                reaches: reaches)
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
            let before = out.count
            for evaluator in evaluators { out += evaluator(event, context) }
            if out.count == before, let attempt = EventRules.refusedAttempt(event) { out.append(attempt) }
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

    /// The rules whose CloudTrail form judges a change either way: low when the call restores
    /// (selectors that still log every management event, a trust of AWS services only).
    static let twoWay: Set<RuleID> = [.trailImpaired, .roleTrustChanged]

    /// The rules that single out calls CloudTrail marks read-only: reading secrets or user data, Bedrock,
    /// minting credentials (GetSessionToken, GetFederationToken, AssumeRole are "reads"), and the
    /// behavioural rules, whose subject is where and how a key was used rather than what the call did.
    static let readRules: Set<RuleID> = RuleID.behavioural.union([
        .secretsRead, .userData, .resourceHijacking, .sessionTokenIssued, .federationTokenIssued, .roleAssumedBySuspect,
    ])

    /// Whether the suspect-actor judgement raises `finding` to high, its call only reading when
    /// `readOnly`: not when it is high already, nor a containment or clean-up, nor a low finding
    /// on a read that its rule does not single out (`readRules`).
    static func raisesForSuspect(_ finding: Finding, readOnly: Bool) -> Bool {
        guard finding.severity != .high, finding.effect == nil else { return false }
        return !(finding.severity == .low && readOnly && !readRules.contains(finding.rule))
    }

    /// Judges every finding by who made its event and which way it went (`Docs/rules.md`,
    /// "Severity"), and drops repeats (the same rule, entity and event):
    /// - a containment or clean-up (`Finding.effect`) is never raised; a `response.containment-action`
    ///   finding is kept only when a suspect actor made the call, low when it restores a defence or
    ///   removes what that actor made or changed in the slice, else medium;
    /// - what the collector made is lowered to low;
    /// - anything else of a suspect actor is raised to high, except a low finding on a read-only
    ///   call that no rule singles out (`readRules`), and a low refused attempt, raised to medium:
    ///   it shows what the actor wanted, but nothing was made to contain.
    private func judge(_ items: [EventFinding], actorOf: ActorMap, reaches: [ActorGraph.Reach]) -> [EventFinding] {
        let made = madeByActors(items, actorOf: actorOf, reaches: reaches)
        var seen = Set<String>()
        var out: [EventFinding] = []
        for var item in items {
            let event = item.finding.rule == .regionFirstUse ? "" : String(item.event)
            let key = "\(item.finding.rule)|\(item.finding.entity.kind)|\(item.finding.entity.id)|\(event)"
            guard seen.insert(key).inserted else { continue }
            guard item.event >= 0 else {
                out.append(item)
                continue
            }
            let row = log.rows[item.event]
            let actor = row.byCollector ? nil : actorOf[item.event]
            if item.finding.rule == .containmentAction {
                guard let actor else { continue }
                item.finding.actor = actor
                let entity = item.finding.entity
                let own = [entity.id, entity.name, entity.parent].contains {
                    $0.map { made[actor]?.contains($0) } == true
                }
                if item.finding.details["restoresDefence"] == "yes" {
                    item.finding.reason +=
                        " Made by \(actor), which follows from a suspect key: whoever holds its keys is restoring what was impaired, "
                        + "a responder with the wrong key or an intruder covering its tracks."
                } else if own {
                    item.finding.reason +=
                        " Made by \(actor), which follows from a suspect key, on what it made or changed earlier in the slice: "
                        + "someone holding its keys is tidying up (covering tracks)."
                } else {
                    item.finding.severity = .medium
                    item.finding.reason +=
                        " Made by \(actor), which follows from a suspect key, on something it did not make in the slice: "
                        + "a clean-up of what it made earlier, or access taken away from its owners."
                }
                out.append(item)
                continue
            }
            if restores(item) {
                item.finding.effect = .containment
                if item.finding.severity != .low {
                    item.finding.severity = .low
                    item.finding.reason +=
                        " The call that made the change restores: \(item.finding.rule == .trailImpaired ? "the selectors still log every management event" : "the trust admits AWS services only")."
                }
            }
            if row.byCollector {
                item.finding.severity = .low
                item.finding.reason +=
                    " Made by the collector's own principal, which is the responder's, not an intruder's."
            } else if let actor {
                item.finding.actor = actor
                if Self.raisesForSuspect(item.finding, readOnly: isRead(row)) {
                    let refused = item.finding.severity == .low && item.finding.details["attempt"] == "true"
                    item.finding.severity = refused ? .medium : .high
                    item.finding.reason +=
                        refused
                        ? " Tried by \(actor), which follows from a suspect key."
                        : " Made by \(actor), which follows from a suspect key."
                } else if item.finding.effect != nil {
                    item.finding.reason += " Made by \(actor); a containment is never raised."
                } else if item.finding.severity == .low {
                    item.finding.reason += " Made by \(actor); a read the rules do not single out stays low."
                }
            }
            out.append(item)
        }
        return out
    }

    /// Whether a two-way rule's finding came from a call that restores: its CloudTrail form (the
    /// finding itself, or for a state finding the rule's handler on the event it is tied to) is low.
    /// A trail's state finding names one change, the first of several it looks for: only one about
    /// its selectors is undone by selectors that log everything (a trail stopped, then given full
    /// selectors, is still stopped).
    private func restores(_ item: EventFinding) -> Bool {
        let rule = item.finding.rule
        guard Self.twoWay.contains(rule) else { return false }
        if item.finding.basis == .cloudTrailOnly { return item.finding.severity == .low }
        if rule == .trailImpaired && !item.finding.title.hasSuffix(": its event selectors changed") { return false }
        guard let event = EventFacts(log: log, index: item.event), let handler = EventRules.handlers[rule] else {
            return false
        }
        let context = EventRules.Context(knownAccounts: knownAccounts, snapshots: snapshots)
        return handler(event, context).contains { $0.finding.rule == rule && $0.finding.severity == .low }
    }

    /// Whether a call only reads: `readOnly`, or when the record does not say, a name that reads.
    private func isRead(_ row: EventRow) -> Bool {
        if row.readOnly >= 0 { return row.readOnly == 1 }
        let name = log.table[row.name]
        return ["List", "Describe", "Get", "Head", "Lookup"].contains { name.hasPrefix($0) }
    }

    /// What each actor made or changed in the slice, by id and name: the keys it held or made, the
    /// users, roles, instances and endpoints it made (`ActorGraph.Reach`), and the entities of
    /// its other findings.
    private func madeByActors(_ items: [EventFinding], actorOf: ActorMap, reaches: [ActorGraph.Reach])
        -> [String: Set<String>]
    {
        var made: [String: Set<String>] = [:]
        for (n, reach) in reaches.enumerated() {
            made[ActorMap.name(Int32(n + 1)), default: []].formUnion(
                reach.keys.union(reach.users).union(reach.roles).union(reach.instances).union(reach.endpoints))
        }
        for item in items where item.event >= 0 && item.finding.rule != .containmentAction {
            guard !RuleID.behavioural.contains(item.finding.rule), let actor = actorOf[item.event] else { continue }
            let entity = item.finding.entity
            made[actor, default: []].formUnion([entity.id, entity.name, entity.parent].compactMap { $0 })
        }
        // What a record did not name is no one's.
        for actor in made.keys { made[actor]?.remove("unknown") }
        return made
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
