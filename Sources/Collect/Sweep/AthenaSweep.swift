public import AWSClient
public import CustodyCrypto
import CustodyJSON
public import EvidenceArchive
public import Foundation

/// `custody sweep --engine athena`: asks Athena, across every account and region at once, for the
/// events of the suspect keys, follows the keys they created (`SweepRound`), then seals, per account,
/// the next archive of its chain with the queries, their executions and results as received, and the
/// log files holding the events, copied byte for byte with the digest files of their days, under
/// `cloudtrail/s3/<bucket>/<key>` as `--cloudtrail s3` lays them out.
///
/// Running the queries is the one write: Athena stores each result at the output location.
public struct AthenaSweep: Sendable {
    /// Runs the queries.
    public var runner: AthenaQueryRunner
    /// Reads the trail's bucket (log and digest files) and `ListPublicKeys`.
    public var bucketAWS: AWS
    /// The table.
    public var table: String
    /// The table statement to run first (`--athena-create-table`), if any.
    public var createTable: AthenaCloudTrailTable?
    /// The most rounds.
    public var roundLimit = SweepRound.defaultLimit
    /// Accounts to seal an archive for even when no event of theirs is found.
    public var accounts: [String]
    /// The case folder and the key that signs.
    public var caseFolder: CaseFolder
    /// The key that signs.
    public var signingKey: PrivateKey
    /// Who runs the sweep, for the manifest.
    public var collector: Manifest.Collector
    /// The clock.
    public var now: @Sendable () -> Date = { Date() }

    /// Makes a sweep.
    public init(
        runner: AthenaQueryRunner, bucketAWS: AWS, table: String, createTable: AthenaCloudTrailTable?,
        accounts: [String], caseFolder: CaseFolder, signingKey: PrivateKey, collector: Manifest.Collector
    ) {
        self.runner = runner
        self.bucketAWS = bucketAWS
        self.table = table
        self.createTable = createTable
        self.accounts = accounts
        self.caseFolder = caseFolder
        self.signingKey = signingKey
        self.collector = collector
    }

    /// What a sweep did.
    public struct Outcome: Sendable {
        /// Every query run, the table statement first when there was one.
        public var executions: [AthenaQueryRunner.Execution]
        /// The keys followed, the rounds, the keys left unfollowed.
        public var rounds: SweepRound.Outcome
        /// What every archive's `sweep/sweep.json` says: the terms, each query, and the writes.
        public var record: SweepRecord
        /// Per account, the archive sealed and what it holds.
        public var archives: [SweptAccount]
        /// Files that could not be copied, and why.
        public var problems: [String]

        /// Bytes Athena scanned over every query.
        public var bytesScanned: Int { executions.reduce(0) { $0 &+ max(0, $1.bytesScanned ?? 0) } }
    }

    /// One account's archive.
    public struct SweptAccount: Sendable {
        /// The account.
        public var account: String
        /// The archive.
        public var sealed: SealResult
        /// Events of the account the queries returned.
        public var events: Int
        /// Log files copied.
        public var logFiles: Int
        /// Digest files copied.
        public var digestFiles: Int
    }

    /// Runs the sweep for `terms` and seals each account's archive.
    public func run(_ terms: SweepTerms) async throws -> Outcome {
        let startedAt = now()
        var executions: [AthenaQueryRunner.Execution] = []
        if let createTable { executions.append(try await runner.run(createTable.ddl)) }
        let table = table
        var queried: [AthenaQueryRunner.Execution] = []
        let rounds = try await SweepRound.run(terms, limit: roundLimit) { terms in
            let execution = try await runner.run(try AthenaSweepQuery(table: table, terms: terms).sql)
            queried.append(execution)
            return execution.rows
        }
        executions += queried
        let rows = rounds.rounds.last ?? []
        let files = Set(rows.compactMap { $0["log_file"] }.compactMap(SweepLogFile.init(path:)))
        let byAccount = Dictionary(grouping: files, by: \.account)
        let eventsByAccount = Dictionary(grouping: rows, by: { $0["recipient_account_id"] ?? "" })
        let record = record(executions, rounds: rounds, terms: terms)
        let common = try commonMembers(executions, record: record)
        var problems: [String] = []
        var archives: [SweptAccount] = []
        for account in Set(accounts).union(byAccount.keys).sorted() {
            let mine = (byAccount[account] ?? []).sorted()
            let copied = await copy(mine, problems: &problems)
            let regions = Set(mine.map(\.region)).union(
                (eventsByAccount[account] ?? []).compactMap { $0["aws_region"] }
            ).sorted()
            let request = SealRequest(
                account: account, kind: .evidence, members: common + copied.members, collector: collector,
                startedAt: startedAt, finishedAt: now(), regions: regions,
                coverage: coverage(account: account, regions: regions, terms: rounds.terms, executions: queried)
                    + copied.gaps)
            let sealed = try Sealer(caseFolder: caseFolder, signingKey: signingKey).seal(request)
            archives.append(
                SweptAccount(
                    account: account, sealed: sealed, events: eventsByAccount[account]?.count ?? 0,
                    logFiles: copied.logs, digestFiles: copied.digests))
        }
        return Outcome(
            executions: executions, rounds: rounds, record: record, archives: archives, problems: problems)
    }

    /// The members every account's archive holds: each query's text, answers and result file, and
    /// `sweep/sweep.json`.
    private func commonMembers(_ executions: [AthenaQueryRunner.Execution], record: SweepRecord) throws
        -> [SealMember]
    {
        var members: [SealMember] = []
        for (index, execution) in executions.enumerated() {
            let folder = String(format: "sweep/athena/%02d-", index + 1) + Self.safe(execution.id)
            members.append(SealMember(path: folder + "/query.sql", source: .bytes(Array(execution.sql.utf8))))
            members.append(
                SealMember(path: folder + "/StartQueryExecution.json", source: .bytes(Array(execution.started.body))))
            members.append(
                SealMember(
                    path: folder + "/GetQueryExecution.json", source: .bytes(Array(execution.described.raw.body))))
            for (page, raw) in execution.resultPages.enumerated() {
                members.append(
                    SealMember(
                        path: folder + String(format: "/GetQueryResults-%04d.json", page + 1),
                        source: .bytes(Array(raw.body))))
            }
            if let file = execution.resultFile {
                let name = file.location.split(separator: "/").last.map(String.init) ?? "result"
                members.append(SealMember(path: folder + "/result/" + Self.safe(name), source: .bytes(file.bytes)))
            }
        }
        members.append(SealMember(path: "sweep/sweep.json", source: .bytes(try CanonicalJSON.encode(record))))
        return members
    }

    /// `sweep/sweep.json`: the terms, the keys followed, each query and the write it made.
    private func record(_ executions: [AthenaQueryRunner.Execution], rounds: SweepRound.Outcome, terms: SweepTerms)
        -> SweepRecord
    {
        SweepRecord(
            engine: "athena", table: table, from: Timestamp.iso8601(terms.from), to: Timestamp.iso8601(terms.to),
            suspectKeys: terms.keys, sourceIPs: terms.sourceIPs, keysFollowed: rounds.terms.keys,
            keysNotFollowed: rounds.unfollowed, rounds: rounds.rounds.count,
            queries: executions.map {
                SweepRecord.Query(
                    executionId: $0.id, bytesScanned: $0.bytesScanned,
                    resultLocation: $0.resultFile?.location
                        ?? $0.described.output.queryExecution?.resultConfiguration?.outputLocation)
            },
            writes: executions.map {
                "Athena StartQueryExecution \($0.id) wrote its result to "
                    + ($0.described.output.queryExecution?.resultConfiguration?.outputLocation
                        ?? "the workgroup's location")
            })
    }

    /// `text` with only letters, digits, `-`, `_` and `.` kept.
    static func safe(_ text: String) -> String {
        String(
            text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
                .prefix(100).map(Character.init))
    }

    /// The coverage of one account: per region, the engine, window, keys and queries; and the write.
    private func coverage(
        account: String, regions: [String], terms: SweepTerms, executions: [AthenaQueryRunner.Execution]
    ) -> [Manifest.CoverageEntry] {
        let ids = executions.map(\.id).joined(separator: ",")
        let what =
            "athena sweep of \(table), \(Timestamp.iso8601(terms.from))/\(Timestamp.iso8601(terms.to)), keys \(terms.keys.joined(separator: ","))"
            + (terms.sourceIPs.isEmpty ? "" : ", source IPs \(terms.sourceIPs.joined(separator: ","))")
            + ", queries \(ids): only the matching events' log files are held"
        var entries = regions.map {
            Manifest.CoverageEntry(source: "sweep-athena", region: $0, item: what, status: .complete)
        }
        if regions.isEmpty {
            entries.append(
                Manifest.CoverageEntry(
                    source: "sweep-athena", item: what + "; no event of the account matched", status: .complete))
        }
        entries.append(
            Manifest.CoverageEntry(
                source: "custody",
                item: "the one write: Athena StartQueryExecution stored each query's result at its output location",
                status: .complete))
        return entries
    }

    /// Copies `files` byte for byte, with every digest file of their days (and the next day) and
    /// `ListPublicKeys` of their regions; a failure becomes a coverage gap.
    private func copy(_ files: [SweepLogFile], problems: inout [String]) async -> (
        members: [SealMember], gaps: [Manifest.CoverageEntry], logs: Int, digests: Int
    ) {
        var members: [SealMember] = []
        var gaps: [Manifest.CoverageEntry] = []
        var logs = 0
        var digests = 0
        func failed(_ region: String, _ item: String, _ error: any Error) {
            let text = "\(item): \(FailureText.describe(error))"
            problems.append(text)
            gaps.append(
                Manifest.CoverageEntry(source: "sweep-athena", region: region, item: item, status: .failed, error: text)
            )
        }
        for file in files {
            do {
                let object = try await bucketAWS.s3.getObjectData(bucket: file.bucket, key: file.key)
                members.append(
                    SealMember(
                        path: CloudTrailDigestValidator.member(bucket: file.bucket, key: file.key),
                        source: .bytes(Array(object.output))))
                logs += 1
            } catch {
                failed(file.region, "s3://\(file.bucket)/\(file.key)", error)
            }
        }
        var folders = Set<String>()
        var buckets: [String: String] = [:]
        for file in files {
            for day in [file.day, Self.nextDay(file.day)].compactMap({ $0 }) {
                let folder = CloudTrailKeyLayout.digestFolder(root: file.root, region: file.region) + day + "/"
                if folders.insert(file.bucket + "\u{0}" + folder).inserted {
                    buckets[file.bucket + "\u{0}" + folder] = file.region
                }
            }
        }
        for entry in folders.sorted() {
            let parts = entry.split(separator: "\u{0}").map(String.init)
            let (bucket, folder, region) = (parts[0], parts[1], buckets[entry] ?? "")
            do {
                let keys = try await bucketAWS.s3.listObjectsV2(bucket: bucket, prefix: folder).allItems { $0.contents }
                    .compactMap(\.key).filter { $0.hasSuffix(".json.gz") }
                for key in keys.sorted() {
                    let answer = try await bucketAWS.s3.getObjectData(bucket: bucket, key: key)
                    let name = CloudTrailDigestValidator.member(bucket: bucket, key: key)
                    members.append(SealMember(path: name, source: .bytes(Array(answer.output))))
                    members.append(
                        SealMember(
                            path: name + CloudTrailDigestValidator.metadataSuffix,
                            source: .bytes(
                                try CanonicalJSON.encode(DigestMetadata(bucket: bucket, key: key, answer.raw.headers))))
                    )
                    digests += 1
                }
            } catch {
                failed(region, "digest files s3://\(bucket)/\(folder)", error)
            }
        }
        if digests > 0 {
            var keys: [String: JSONValue] = [:]
            for region in Set(files.map(\.region)).sorted() {
                do {
                    let start = files.map(\.day).min().flatMap {
                        Timestamp.parse($0.replacingOccurrences(of: "/", with: "-") + "T00:00:00Z")
                    }
                    for try await page in bucketAWS.inRegion(region).cloudTrail.listPublicKeys(
                        startTime: start?.addingTimeInterval(-86_400))
                    {
                        for item in (try? JSONValue.parse(page.raw.body))?["PublicKeyList"]?.arrayValue ?? [] {
                            if let fingerprint = item["Fingerprint"]?.stringValue { keys[fingerprint] = item }
                        }
                    }
                } catch {
                    failed(region, "ListPublicKeys", error)
                }
            }
            let list = keys.keys.sorted().compactMap { keys[$0] }
            if let bytes = try? CanonicalJSON.encode(JSONValue.object(["PublicKeyList": .array(list)])) {
                members.append(SealMember(path: CloudTrailDigestValidator.publicKeysMember, source: .bytes(bytes)))
            }
        }
        return (members.sorted { $0.path < $1.path }, gaps, logs, digests)
    }

    /// The day after `YYYY/MM/DD`.
    static func nextDay(_ day: String) -> String? {
        guard let date = Timestamp.parse(day.replacingOccurrences(of: "/", with: "-") + "T00:00:00Z") else {
            return nil
        }
        return AthenaSweepQuery.day(date.addingTimeInterval(86_400))
    }
}
