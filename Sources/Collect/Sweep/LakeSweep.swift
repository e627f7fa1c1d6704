public import AWSClient
public import CustodyCrypto
import CustodyJSON
public import EvidenceArchive
public import Foundation

/// `custody sweep --engine lake`: asks CloudTrail Lake, across every account and region an event data
/// store holds, for the events of the suspect keys, follows the keys they created (`SweepRound`), then
/// seals, per account, the next archive of its chain with the store's description, the queries, their
/// statistics and every result page as received, and the account's events as a CloudTrail slice
/// (`LakeEventSlice`) made of the events' JSON as Lake returned it.
///
/// Running the queries is the one write: Lake keeps each query and its result with the event data store.
public struct LakeSweep: Sendable {
    /// Runs the queries, in the event data store's region.
    public var runner: LakeQueryRunner
    /// The event data store: its ARN or id.
    public var eventDataStore: String
    /// The most rounds.
    public var roundLimit = SweepRound.defaultLimit
    /// Accounts to seal an archive for even when no event of theirs is found.
    public var accounts: [String]
    /// The case folder.
    public var caseFolder: CaseFolder
    /// The key that signs.
    public var signingKey: PrivateKey
    /// Who runs the sweep, for the manifest.
    public var collector: Manifest.Collector
    /// The clock.
    public var now: @Sendable () -> Date = { Date() }

    /// Makes a sweep.
    public init(
        runner: LakeQueryRunner, eventDataStore: String, accounts: [String], caseFolder: CaseFolder,
        signingKey: PrivateKey, collector: Manifest.Collector
    ) {
        self.runner = runner
        self.eventDataStore = eventDataStore
        self.accounts = accounts
        self.caseFolder = caseFolder
        self.signingKey = signingKey
        self.collector = collector
    }

    /// What a sweep did.
    public struct Outcome: Sendable {
        /// The event data store as `GetEventDataStore` described it.
        public var store: AWSResponse<CloudTrail.GetEventDataStoreResponse>
        /// Every query run.
        public var executions: [LakeQueryRunner.Execution]
        /// The keys followed, the rounds, the keys left unfollowed.
        public var rounds: SweepRound.Outcome
        /// What every archive's `sweep/sweep.json` says: the terms, each query, and the writes.
        public var record: SweepRecord
        /// Per account, the archive sealed and what it holds.
        public var archives: [SweptAccount]
        /// Events that could not be kept, and accounts the store does not hold.
        public var problems: [String]

        /// The store's ARN.
        public var storeARN: String { store.output.eventDataStoreArn ?? "" }
        /// Bytes Lake scanned over every query.
        public var bytesScanned: Int { executions.reduce(0) { $0 &+ max(0, $1.bytesScanned ?? 0) } }
    }

    /// One account's archive.
    public struct SweptAccount: Sendable {
        /// The account.
        public var account: String
        /// The archive.
        public var sealed: SealResult
        /// Events of the account kept in its slice.
        public var events: Int
        /// The regions of those events.
        public var regions: [String]
    }

    /// Runs the sweep for `terms` and seals each account's archive.
    /// - Throws: `CollectError.invalidOptions` when the event data store is not found; what a query
    ///   throws (`LakeQueryRunner.run(_:)`); what sealing throws.
    public func run(_ terms: SweepTerms) async throws -> Outcome {
        let startedAt = now()
        let store = try await describeStore()
        let arn = store.output.eventDataStoreArn ?? eventDataStore
        var executions: [LakeQueryRunner.Execution] = []
        let rounds = try await SweepRound.run(terms, limit: roundLimit) { terms in
            let execution = try await runner.run(try LakeSweepQuery(eventDataStore: arn, terms: terms).sql)
            executions.append(execution)
            return execution.rows
        }
        var problems: [String] = []
        var byAccount: [String: [SweepRow]] = [:]
        for row in rounds.rounds.last ?? [] {
            guard let account = row["recipient_account_id"], SweepTerms.isAccountId(account) else {
                problems.append(
                    "CloudTrail Lake returned event \(row["event_id"] ?? "?") without a recipient account: it is in the result pages only"
                )
                continue
            }
            byAccount[account, default: []].append(row)
        }
        let record = record(store, executions, rounds: rounds, terms: terms)
        let common = try commonMembers(store, executions, record: record)
        var archives: [SweptAccount] = []
        for account in Set(accounts).union(byAccount.keys).sorted() {
            let slice = try LakeEventSlice(rows: byAccount[account] ?? [])
            problems += slice.problems.map { "\(account): \($0)" }
            var entries = coverage(
                account: account, store: store.output, regions: slice.regions, terms: rounds.terms,
                executions: executions)
            entries += slice.problems.map {
                Manifest.CoverageEntry(source: "sweep-lake", item: "an event of the result", status: .failed, error: $0)
            }
            if let gap = Self.notHeld(account, by: store.output) {
                problems.append("\(account): \(gap)")
                entries.append(
                    Manifest.CoverageEntry(
                        source: "sweep-lake", item: "the account's events", status: .failed, error: gap))
            }
            let request = SealRequest(
                account: account, kind: .evidence, members: common + slice.members, collector: collector,
                startedAt: startedAt, finishedAt: now(), regions: slice.regions, coverage: entries)
            let sealed = try Sealer(caseFolder: caseFolder, signingKey: signingKey).seal(request)
            archives.append(
                SweptAccount(account: account, sealed: sealed, events: slice.events, regions: slice.regions))
        }
        return Outcome(
            store: store, executions: executions, rounds: rounds, record: record, archives: archives,
            problems: problems)
    }

    /// `GetEventDataStore` of the store; when it is not found, the stores of the region are named.
    private func describeStore() async throws -> AWSResponse<CloudTrail.GetEventDataStoreResponse> {
        let cloudTrail = runner.aws.cloudTrail
        do {
            return try await cloudTrail.getEventDataStore(eventDataStore)
        } catch let error as AWSServiceError where error.code == "EventDataStoreNotFoundException" {
            let stores = (try? await cloudTrail.listEventDataStores().allItems { $0.eventDataStores }) ?? []
            let arns = stores.compactMap(\.eventDataStoreArn)
            throw CollectError(
                .invalidOptions,
                "CloudTrail Lake has no event data store \(eventDataStore) for the caller in \(runner.aws.region): "
                    + (arns.isEmpty ? "it lists none there." : "it lists \(arns.joined(separator: ", ")) there."),
                remedy:
                    "Give --event-data-store the store's ARN (its region is then used), with --profile an identity of the account that owns it."
            )
        }
    }

    /// Why the store does not hold `account`'s events, when it does not: a store that is not an
    /// organization's holds only its owner's.
    static func notHeld(_ account: String, by store: CloudTrail.GetEventDataStoreResponse) -> String? {
        guard store.organizationEnabled != true, let arn = store.eventDataStoreArn else { return nil }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[4] != account else { return nil }
        return "the event data store \(arn) is not an organization's: it holds only the events of \(parts[4])"
    }

    /// The members every account's archive holds: the store's description, each query's text and
    /// answers, and `sweep/sweep.json`.
    private func commonMembers(
        _ store: AWSResponse<CloudTrail.GetEventDataStoreResponse>, _ executions: [LakeQueryRunner.Execution],
        record: SweepRecord
    ) throws -> [SealMember] {
        var members = [SealMember(path: "sweep/lake/GetEventDataStore.json", source: .bytes(Array(store.raw.body)))]
        for (index, execution) in executions.enumerated() {
            let folder = String(format: "sweep/lake/%02d-", index + 1) + AthenaSweep.safe(execution.id)
            members.append(SealMember(path: folder + "/query.sql", source: .bytes(Array(execution.sql.utf8))))
            members.append(SealMember(path: folder + "/StartQuery.json", source: .bytes(Array(execution.started.body))))
            members.append(
                SealMember(path: folder + "/DescribeQuery.json", source: .bytes(Array(execution.described.raw.body))))
            for (page, raw) in execution.resultPages.enumerated() {
                members.append(
                    SealMember(
                        path: folder + String(format: "/GetQueryResults-%04d.json", page + 1),
                        source: .bytes(Array(raw.body))))
            }
        }
        members.append(SealMember(path: "sweep/sweep.json", source: .bytes(try CanonicalJSON.encode(record))))
        return members
    }

    /// `sweep/sweep.json`: the store, the terms, the keys followed, each query and the write it made.
    private func record(
        _ store: AWSResponse<CloudTrail.GetEventDataStoreResponse>, _ executions: [LakeQueryRunner.Execution],
        rounds: SweepRound.Outcome, terms: SweepTerms
    ) -> SweepRecord {
        let arn = store.output.eventDataStoreArn ?? eventDataStore
        return SweepRecord(
            engine: "lake", table: arn, from: Timestamp.iso8601(terms.from), to: Timestamp.iso8601(terms.to),
            suspectKeys: terms.keys, sourceIPs: terms.sourceIPs, keysFollowed: rounds.terms.keys,
            keysNotFollowed: rounds.unfollowed, rounds: rounds.rounds.count,
            queries: executions.map {
                SweepRecord.Query(
                    executionId: $0.id, bytesScanned: $0.bytesScanned, eventsMatched: $0.statistics?.eventsMatched,
                    eventsScanned: $0.statistics?.eventsScanned,
                    executionTimeInMillis: $0.statistics?.executionTimeInMillis)
            },
            writes: executions.map {
                "CloudTrail Lake StartQuery \($0.id) kept its result with the event data store \(arn)"
            })
    }

    /// The coverage of one account: per region, the engine, store, window, keys and queries; and the write.
    private func coverage(
        account: String, store: CloudTrail.GetEventDataStoreResponse, regions: [String], terms: SweepTerms,
        executions: [LakeQueryRunner.Execution]
    ) -> [Manifest.CoverageEntry] {
        let arn = store.eventDataStoreArn ?? eventDataStore
        var what =
            "lake sweep of \(arn), \(Timestamp.iso8601(terms.from))/\(Timestamp.iso8601(terms.to)), keys \(terms.keys.joined(separator: ","))"
            + (terms.sourceIPs.isEmpty ? "" : ", source IPs \(terms.sourceIPs.joined(separator: ","))")
            + ", queries \(executions.map(\.id).joined(separator: ","))"
        if store.multiRegionEnabled == false, let region = LakeSweepQuery.region(of: arn) {
            what += "; the store holds only \(region)'s events"
        }
        if let created = store.createdTimestamp, created > terms.from {
            what +=
                "; the store was created at \(Timestamp.iso8601(created)): earlier events are in it only if imported"
        }
        what += ": only the matching events are held, as Lake returned them (eventjson), without log files"
        var entries = regions.map {
            Manifest.CoverageEntry(source: "sweep-lake", region: $0, item: what, status: .complete)
        }
        if regions.isEmpty {
            entries.append(
                Manifest.CoverageEntry(
                    source: "sweep-lake", item: what + "; no event of the account matched", status: .complete))
        }
        entries.append(
            Manifest.CoverageEntry(
                source: "custody",
                item:
                    "the one write: CloudTrail Lake StartQuery kept each query and its result with the event data store",
                status: .complete))
        return entries
    }
}
