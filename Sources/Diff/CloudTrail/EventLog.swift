public import Evidence

/// Every CloudTrail event of the slices read, oldest first, duplicates (same `eventID` and
/// account) dropped, each reduced to the members the rules read; the whole record is kept only
/// for the events a rule looks into.
public struct EventLog: Sendable {
    var table = StringTable()
    var rows: [EventRow] = []
    var details: [CloudTrailEvent] = []
    /// The members the events came from.
    public internal(set) var sources: [TrailSource] = []
    /// Records seen twice (in overlapping slices) and counted once.
    public internal(set) var duplicates = 0

    /// An empty log.
    public init() {}

    /// How many events it holds.
    public var count: Int { rows.count }

    /// The event at `index` (0 is the oldest), as findings cite events.
    public func reference(at index: Int) -> EventReference {
        reference(rows[index])
    }

    /// The whole record of the event at `index`, when it was kept.
    func detail(_ index: Int) -> CloudTrailEvent? {
        let detail = rows[index].detail
        return detail < 0 ? nil : details[Int(detail)]
    }

    func string(_ id: Int32) -> String? { table.optional(id) }

    func reference(_ row: EventRow) -> EventReference {
        let source = sources[Int(row.sourceIndex)]
        let lookup = source.shape == .lookupEvents || source.shape == .lookupEventsLines
        var pointer = EvidencePointer(
            archive: source.archive, member: source.member, sha256: source.sha256,
            jsonPointer: lookup ? "/CloudTrailEvent" : nil, line: Int(row.line), record: Int(row.record))
        if source.shape == .cloudTrailLog || source.shape == .jsonArray {
            pointer.jsonPointer = source.shape == .jsonArray ? "/\(row.record - 1)" : nil
        }
        let type = table.optional(row.identityType)
        return EventReference(
            eventID: table.optional(row.eventID), eventTime: table.optional(row.eventTime),
            eventSource: table.optional(row.source), eventName: table.optional(row.name),
            region: table.optional(row.region),
            principal: table.optional(row.principal) ?? table.optional(row.identityAccount).map { "\(type ?? "account") \($0)" }
                ?? table.optional(row.invokedBy),
            principalType: type, accessKeyId: table.optional(row.accessKey),
            sourceIPAddress: table.optional(row.sourceIP), userAgent: table.optional(row.userAgent),
            vpcEndpointId: table.optional(row.vpcEndpoint), errorCode: table.optional(row.errorCode),
            account: table.optional(row.recipient) ?? source.account, evidence: pointer)
    }

    /// Appends `other`'s events and sources, re-numbering its strings.
    mutating func append(_ other: EventLog) {
        var map = [Int32](repeating: 0, count: other.table.count)
        for id in 1..<max(other.table.count, 1) { map[id] = table.intern(other.table.strings[id]) }
        let sourceOffset = Int32(sources.count)
        let detailOffset = Int32(details.count)
        sources += other.sources
        details += other.details
        rows.reserveCapacity(rows.count + other.rows.count)
        for var row in other.rows {
            row.eventID = map[Int(row.eventID)]
            row.eventTime = map[Int(row.eventTime)]
            row.name = map[Int(row.name)]
            row.source = map[Int(row.source)]
            row.region = map[Int(row.region)]
            row.identityType = map[Int(row.identityType)]
            row.principal = map[Int(row.principal)]
            row.principalId = map[Int(row.principalId)]
            row.identityAccount = map[Int(row.identityAccount)]
            row.accessKey = map[Int(row.accessKey)]
            row.userName = map[Int(row.userName)]
            row.invokedBy = map[Int(row.invokedBy)]
            row.issuerArn = map[Int(row.issuerArn)]
            row.issuerType = map[Int(row.issuerType)]
            row.sessionCreated = map[Int(row.sessionCreated)]
            row.sourceIP = map[Int(row.sourceIP)]
            row.userAgent = map[Int(row.userAgent)]
            row.vpcEndpoint = map[Int(row.vpcEndpoint)]
            row.errorCode = map[Int(row.errorCode)]
            row.recipient = map[Int(row.recipient)]
            row.eventType = map[Int(row.eventType)]
            row.sourceIndex += sourceOffset
            if row.detail >= 0 { row.detail += detailOffset }
            rows.append(row)
        }
    }

    /// Sorts by time (stable: records of one time keep their slice order), drops duplicates, and
    /// marks the collector's own calls.
    mutating func finish(collectorKeys: Set<String>, collectorPrincipals: Set<String>) {
        let keys = Set(collectorKeys.map { table.lookup($0) }.filter { $0 != 0 })
        let principals = Set(collectorPrincipals.map { table.lookup($0) }.filter { $0 != 0 })
        var seen = Set<Int64>()
        var kept: [EventRow] = []
        kept.reserveCapacity(rows.count)
        for var row in rows {
            if row.eventID != 0 {
                let key = Int64(row.eventID) << 32 | Int64(row.recipient)
                if !seen.insert(key).inserted {
                    duplicates += 1
                    continue
                }
            }
            row.byCollector = (row.accessKey != 0 && keys.contains(row.accessKey)) || (row.principal != 0 && principals.contains(row.principal))
            kept.append(row)
        }
        let order = kept.indices.sorted { (kept[$0].time, $0) < (kept[$1].time, $1) }
        rows = order.map { kept[$0] }
    }

    /// Indices of events made by the collector.
    func isCollector(_ index: Int) -> Bool { rows[index].byCollector }
}

extension EventLog {
    /// Reads CloudTrail files from disk (any shape `CloudTrailReader` knows, gzip or not) as the
    /// slices of `account`, each labelled with the archive it stands for (`DiffEngine.diff` takes
    /// the events of the baseline's archive as the baseline's).
    /// - Parameters:
    ///   - collectorKeys: the collector's access keys; its calls are never counted as an intruder's.
    ///   - collectorPrincipals: the collector's ARNs.
    public static func read(
        files: [(path: String, archive: String)], account: String, collectorKeys: Set<String> = [],
        collectorPrincipals: Set<String> = []
    ) async -> EventLog {
        var log = await TrailReading.read(
            files.map { ($0.path, TrailSource(archive: $0.archive, member: $0.path, sha256: nil, account: account)) })
        log.finish(collectorKeys: collectorKeys, collectorPrincipals: collectorPrincipals)
        return log
    }

    /// `read(files:…)` for files that all stand for one archive.
    public static func read(files: [String], account: String, archive: String = "") async -> EventLog {
        await read(files: files.map { ($0, archive) }, account: account)
    }
}
