import Evidence
public import EvidenceArchive
public import EvidenceReading

/// Comparing snapshots and reading CloudTrail for the persistence an intruder left.
///
/// The two pure entry points take what is already read (snapshots, an `EventLog`);
/// `EvidenceReader` reads them from verified archives.
public enum DiffEngine {
    /// The version of the findings format this module writes.
    public static let findingsFormatVersion = 1

    /// Diffs two snapshots of one account and runs every rule.
    /// - Parameters:
    ///   - before: the baseline.
    ///   - after: the later snapshot.
    ///   - events: CloudTrail; events from `before.archive` are the baseline's, the rest are judged.
    ///   - suspectKeys: access keys to follow as suspects from the start.
    ///   - coverage: the later archive's coverage, for the eradication check (`Eradication`).
    public static func diff(
        before: LoadedSnapshot, after: LoadedSnapshot, events: EventLog = EventLog(), suspectKeys: [String] = [],
        coverage: [Manifest.CoverageEntry] = []
    ) -> DiffReport {
        let result = SnapshotDiffer.diff(before, after)
        var baseline: [Int] = []
        var scope: [Int] = []
        for index in events.rows.indices {
            if events.sources[Int(events.rows[index].sourceIndex)].archive == before.archive {
                baseline.append(index)
            } else {
                scope.append(index)
            }
        }
        let account = after.snapshot.account.accountId
        var known: Set<String> = [account]
        for role in before.snapshot.roles { known.formUnion(PolicyJudgement.principals(role.trustPolicy).accounts) }
        if let management = before.snapshot.account.organization?.managementAccountId { known.insert(management) }
        let knownPrincipals = Set(baseline.compactMap { events.string(events.rows[$0].principal) })
        let state = StateRules(
            result: result, before: before, after: after, log: events,
            correlator: Correlator(log: events, scope: scope),
            knownPrincipals: knownPrincipals
        ).evaluate()
        let s = before.snapshot
        let regionsInUse = Set(
            s.instances.map(\.region) + s.vpcEndpoints.map(\.region) + s.keyPairs.map(\.region)
                + s.securityGroups.filter { $0.groupName != "default" }.map(\.region))
        let output = Analysis(
            log: events, scope: scope, baseline: baseline, knownAccounts: known, regionsInUse: regionsInUse,
            suspectKeys: suspectKeys, snapshots: SnapshotFacts([before.snapshot, after.snapshot])
        ).run(state: state)
        var notes = events.notes
        if !result.diff.regionsCollectedOnce.isEmpty {
            notes.append(
                "Regions collected in one snapshot only were not compared: \(result.diff.regionsCollectedOnce.joined(separator: ", "))."
            )
        }
        if scope.isEmpty {
            notes.append(
                "No CloudTrail events after the baseline were read: findings say what changed, not who changed it.")
        }
        var report = DiffReport(
            account: account, before: nil, after: nil, diff: result.diff, findings: output.findings,
            actors: output.actors,
            cloudTrail: events.sources, eventCount: scope.count, notes: notes)
        report.incompleteEvents = events.incomplete
        report.eradication = Eradication.check(
            findings: output.findings, actors: output.actors, newest: after, coverage: coverage)
        return report
    }

    /// Runs the CloudTrail rules over `events` alone; every finding is `cloudtrail-only`.
    /// - Parameters:
    ///   - events: the slices.
    ///   - suspectKeys: access keys to follow as suspects from the start.
    ///   - knownAccounts: accounts whose principals may assume roles without a finding (the account itself always may).
    ///   - snapshots: what snapshots of the accounts say; their known accounts are added to `knownAccounts`.
    public static func hunt(
        events: EventLog, suspectKeys: [String] = [], knownAccounts: Set<String> = [],
        snapshots: SnapshotFacts = SnapshotFacts()
    ) -> HuntReport {
        let accounts = Set(events.sources.map(\.account))
        let output = Analysis(
            log: events, scope: Array(events.rows.indices), baseline: [],
            knownAccounts: knownAccounts.union(accounts).union(snapshots.knownAccounts), regionsInUse: [],
            suspectKeys: suspectKeys, snapshots: snapshots
        ).run()
        var report = HuntReport(
            accounts: accounts.sorted(), archives: [], cloudTrail: events.sources, eventCount: events.count,
            duplicates: events.duplicates, findings: output.findings, actors: output.actors, notes: events.notes)
        report.incompleteEvents = events.incomplete
        return report
    }
}
