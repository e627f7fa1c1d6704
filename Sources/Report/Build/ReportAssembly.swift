import CustodyJSON
import Diff
import Foundation
import EvidenceReading

/// Gathers the findings, actors and events of every account and turns them into the report.
struct ReportAssembly {
    let accounts: [String]
    /// Whether actor ids carry their account (several accounts).
    let qualify: Bool
    var analyses: [AccountAnalysis] = []
    var findings: [Finding] = []
    var actors: [(account: String, actor: SuspectActor)] = []
    var events = EventSet()
    var notes: [String] = []
    /// The incomplete events of every account's log.
    var incompleteEvents = IncompleteEvents()
    /// The diffs' eradication checks.
    var eradication = EradicationAssembly()
    private var seen = Set<String>()

    init(accounts: [String], qualify: Bool) {
        self.accounts = accounts
        self.qualify = qualify
    }

    func actorID(_ id: String, account: String) -> String { qualify ? "\(account)/\(id)" : id }

    /// Adds a diff's findings and notes, less its note on incomplete events: `add(_:account:)` of
    /// the account's log notes those of every event the report reads.
    mutating func add(_ report: DiffReport, account: String) {
        eradication.add(report)
        add(
            findings: report.findings, actors: report.actors,
            notes: report.notes.filter { $0 != report.incompleteEvents.note }, account: account)
    }

    /// Adds a hunt's findings and notes, less its note on incomplete events, as for a diff.
    mutating func add(_ report: HuntReport, account: String) {
        add(
            findings: report.findings, actors: report.actors,
            notes: report.notes.filter { $0 != report.incompleteEvents.note }, account: account)
    }

    /// Adds the events of an account's log, and its incomplete events with their note.
    mutating func add(_ log: EventLog, account: String) {
        events.add(log, account: account)
        incompleteEvents = incompleteEvents + log.incomplete
        if let note = log.incomplete.note { notes.append(qualify ? "Account \(account): \(note)" : note) }
    }

    /// Adds findings not seen yet (same rule, account, entity and event).
    private mutating func add(
        findings newFindings: [Finding], actors newActors: [SuspectActor], notes newNotes: [String], account: String
    ) {
        for var finding in newFindings {
            guard seen.insert(Self.duplicateKey(finding)).inserted else { continue }
            finding.actor = finding.actor.map { actorID($0, account: account) }
            findings.append(finding)
        }
        // A suspect key never seen in this account's evidence is no actor there.
        for actor in newActors where actor.eventCount > 0 { actors.append((account, actor)) }
        for note in newNotes { self.notes.append(qualify ? "Account \(account): \(note)" : note) }
    }

    mutating func finish(request: ReportRequest, index: EvidenceIndex) -> IncidentReport {
        events.finish(accountOrder: accounts)
        findings.sort(by: Self.ordered)
        // Revocation policies deny sessions issued before the report's own time (never the clock's).
        let generatedAt = UTCTimestamp(request.generatedAt).iso8601
        let checklist = ContainmentPlan.make(
            findings, keys: Self.keys(actors.map(\.actor)),
            sessions: Self.sessions(actors.map(\.actor), liveAt: request.generatedAt), issuedBefore: generatedAt)
        for i in findings.indices {
            findings[i].containment = findings[i].containment.revokingSessions(issuedBefore: generatedAt)
        }
        // Who made each event: an actor by the events it made, else by the keys it held.
        var actorOfEvent: [String: String] = [:]
        var actorOfKey: [String: String] = [:]
        for (account, actor) in actors {
            let id = actorID(actor.id, account: account)
            for event in actor.events {
                actorOfEvent[ReportEvent.key(event, account: account)] =
                    actorOfEvent[ReportEvent.key(event, account: account)] ?? id
            }
            for credential in actor.credentials {
                actorOfKey["\(account)|\(credential.accessKeyId)"] =
                    actorOfKey["\(account)|\(credential.accessKeyId)"] ?? id
            }
        }
        var attackStart: [String: Int64] = [:]
        for i in events.events.indices where !events.events[i].isCollector {
            let event = events.events[i]
            events.events[i].actor =
                actorOfEvent[event.key] ?? event.reference.accessKeyId.flatMap { actorOfKey["\(event.account)|\($0)"] }
            if events.events[i].actor != nil, let seconds = event.seconds,
                attackStart[event.account].map({ seconds < $0 }) ?? true
            {
                attackStart[event.account] = seconds
            }
        }
        var cited: [String: [Finding]] = [:]
        var citedIds: [String: [String]] = [:]
        for (finding, id) in zip(findings, ExportedFinding.ids(findings)) {
            for event in [finding.event].compactMap({ $0 }) + finding.relatedEvents {
                cited[ReportEvent.key(event, account: finding.account), default: []].append(finding)
                citedIds[ReportEvent.key(event, account: finding.account), default: []].append(id)
            }
        }
        let timeline = Timeline(
            set: events, cited: cited, citedIds: citedIds, attackStart: attackStart, caseRoot: request.caseFolder
        ).build(limit: ReportBuilder.timelineLimit)
        let containmentKeys = Set(timeline.rows.filter { $0.phase == .containment }.compactMap(\.eventID))
        let firstUse = Set(
            findings.filter { $0.rule == .regionFirstUse }.flatMap {
                [$0.region, $0.entity.kind == .region ? $0.entity.id : nil].compactMap { $0 }
            })
        let tables = EventTables(set: events, cited: cited, firstUseRegions: firstUse, attackStart: attackStart)
        let label: (ReportEvent) -> String = { event in
            EventTables.label(event, containment: event.reference.eventID.map { containmentKeys.contains($0) } ?? false)
        }
        let actorSummaries = actors.map {
            Self.summary($0.actor, account: $0.account, id: actorID($0.actor.id, account: $0.account))
        }
        .sorted { ($0.firstSeen ?? "", $0.id) < ($1.firstSeen ?? "", $1.id) }
        let order = actorSummaries.map(\.id) + ["responder", "other principals"]
        let suspectKeys = Array(Set(request.suspectKeys + actors.flatMap(\.actor.seeds))).sorted()
        let queries = AthenaQueries(
            set: events, who: { $0.actor ?? "" }, suspectKeys: suspectKeys
        ).all()
        let used = index.entries.filter(\.used)
        let times = events.events.compactMap(\.seconds)
        let window = ReportWindow(
            from: used.compactMap { $0.cloudTrailWindow?.split(separator: "/").first.map(String.init) }.min(),
            to: used.compactMap { $0.cloudTrailWindow?.split(separator: "/").last.map(String.init) }.max(),
            firstEvent: times.min().map { UTCTimestamp(seconds: $0).iso8601 },
            lastEvent: times.max().map { UTCTimestamp(seconds: $0).iso8601 },
            attackStart: attackStart.values.min().map { UTCTimestamp(seconds: $0).iso8601 })
        var notes = index.notes + notes
        let unverified = index.entries.filter { !$0.ok }
        if !unverified.isEmpty {
            notes.append(
                "\(unverified.count) archive(s) do not verify and were left out: \(unverified.map(\.path).joined(separator: ", "))."
            )
        }
        if timeline.omitted > 0 {
            notes.append(
                "\(timeline.omitted) timeline rows (reconnaissance no finding cites) were left out; every count and table still includes them."
            )
        }
        for i in analyses.indices { analyses[i].findingCount = findings.count { $0.account == analyses[i].account } }
        var report = IncidentReport(
            title: request.title ?? Self.defaultTitle(accounts), generatedAt: generatedAt,
            caseFolder: request.caseFolder,
            accounts: accounts, suspectKeys: suspectKeys, window: window, severityCounts: SeverityCounts(findings),
            analyses: analyses,
            findings: findings,
            containment: checklist,
            actors: actorSummaries,
            timeline: timeline.rows,
            timelineOmitted: timeline.omitted, keyUsage: tables.keyUsage(), regions: tables.regions(), queries: queries,
            activity: tables.activity(labels: label, order: order), evidence: index.entries,
            eventCount: events.events.count,
            collectorEventCount: events.events.count(where: \.isCollector), notes: notes,
            verificationGuide: request.verificationGuide)
        report.incompleteEvents = incompleteEvents
        report.events = timeline.events
        report.eradication = eradication.finish(
            findings: findings, key: Self.duplicateKey, actorID: { actorID($0, account: $1) },
            caseRoot: request.caseFolder, generatedAt: generatedAt)
        report.indicators = indicators()
        report.verdict = Verdict.text(report)
        report.summary = Summary.text(report)
        // Archives are named relative to the case folder, so the report does not depend on where the case sits.
        for i in report.findings.indices { Self.relativise(&report.findings[i], caseRoot: request.caseFolder) }
        return report
    }

    static func relativise(_ finding: inout Finding, caseRoot: String) {
        func fix(_ pointer: inout EvidencePointer) {
            pointer.archive = EvidenceIndex.relative(pointer.archive, to: caseRoot)
        }
        for i in finding.evidence.indices { fix(&finding.evidence[i]) }
        if var pointer = finding.event?.evidence {
            fix(&pointer)
            finding.event?.evidence = pointer
        }
        for i in finding.relatedEvents.indices {
            if var pointer = finding.relatedEvents[i].evidence {
                fix(&pointer)
                finding.relatedEvents[i].evidence = pointer
            }
        }
    }

    static func defaultTitle(_ accounts: [String]) -> String {
        accounts.count == 1
            ? "Incident report: account \(accounts[0])"
            : "Incident report: accounts \(accounts.joined(separator: ", "))"
    }

    /// Most severe first, then by time, rule, entity and account.
    static func ordered(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        let ta = a.event?.eventTime ?? "", tb = b.event?.eventTime ?? ""
        if ta != tb { return ta < tb }
        if a.rule != b.rule { return a.rule < b.rule }
        if a.entity.id != b.entity.id { return a.entity.id < b.entity.id }
        return a.account < b.account
    }

    static func summary(_ actor: SuspectActor, account: String, id: String) -> ActorSummary {
        ActorSummary(
            id: id, account: account, seeds: actor.seeds,
            credentials: actor.credentials.map { "\($0.accessKeyId) (\($0.origin))" },
            principals: actor.principals, sourceIPAddresses: actor.sourceIPAddresses, vpcEndpoints: actor.vpcEndpoints,
            userAgents: actor.userAgents, regions: actor.regions, firstSeen: actor.firstSeen, lastSeen: actor.lastSeen,
            eventCount: actor.eventCount, exposures: actor.credentials.compactMap(\.exposure))
    }

    /// The checklist for findings alone (no actor), as `ContainmentPlan` orders it.
    static func containment(_ findings: [Finding]) -> [ContainmentStep] { ContainmentPlan.make(findings) }

    /// The actors' long-term keys, each with its user when its principal names one.
    static func keys(_ actors: [SuspectActor]) -> [ContainmentPlan.Key] {
        actors.flatMap(\.credentials).filter { !$0.accessKeyId.hasPrefix("ASIA") }.map {
            ContainmentPlan.Key(accessKeyId: $0.accessKeyId, user: $0.principal.flatMap(Self.userName))
        }
    }

    /// The roles and users whose sessions the actors hold and that have not expired at `time`.
    static func sessions(_ actors: [SuspectActor], liveAt time: Date) -> [ContainmentPlan.Sessions] {
        let now = UTCTimestamp(time).seconds
        var holders: [ContainmentPlan.Sessions] = []
        for actor in actors {
            let principalOf = Dictionary(
                actor.credentials.map { ($0.accessKeyId, $0.principal) }, uniquingKeysWith: { a, _ in a })
            for credential in actor.credentials where credential.accessKeyId.hasPrefix("ASIA") {
                if let end = credential.exposure?.expiresAt.flatMap({ UTCTimestamp(parsing: $0)?.seconds }), end <= now
                {
                    continue
                }
                let principal = credential.principal ?? ""
                var holder = ContainmentPlan.Sessions(role: nil, user: nil, accessKeyIds: [credential.accessKeyId])
                if let range = principal.range(of: ":assumed-role/") {
                    holder.role = principal[range.upperBound...].split(separator: "/").first.map(String.init)
                } else {
                    holder.user =
                        Self.userName(principal)
                        ?? credential.obtainedBy.flatMap { principalOf[$0] ?? nil }.flatMap(Self.userName)
                }
                guard holder.role != nil || holder.user != nil else { continue }
                if let at = holders.firstIndex(where: { $0.role == holder.role && $0.user == holder.user }) {
                    holders[at].accessKeyIds.append(credential.accessKeyId)
                } else {
                    holders.append(holder)
                }
            }
        }
        return holders
    }

    /// The user name of an IAM user ARN (`arn:aws:iam::…:user/path/name`).
    static func userName(_ arn: String) -> String? {
        guard let range = arn.range(of: ":user/") else { return nil }
        return arn[range.upperBound...].split(separator: "/").last.map(String.init)
    }

    /// The indicators of the actors' events and of the findings (numbered as the report numbers them).
    func indicators() -> [Indicator] {
        var set = IndicatorSet()
        for event in events.events where !event.isCollector {
            guard let actor = event.actor else { continue }
            set.note(event.reference, account: event.account, source: actor)
        }
        for (i, finding) in findings.enumerated() where finding.effect == nil && finding.severity >= .medium {
            set.note(finding, label: "F\(i + 1)")
        }
        return set.indicators
    }
}
