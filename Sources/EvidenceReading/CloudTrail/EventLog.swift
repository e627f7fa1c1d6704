import EvidenceArchive
package import Evidence

/// Every CloudTrail event of the slices read, oldest first, duplicates (same `eventID` and
/// account) dropped, each reduced to the members every rule reads; what the call asked and got
/// (`TrailReading.detailMembers`) is kept only for the events a rule looks into.
public struct EventLog: Sendable {
    package var table = StringTable()
    package var eventIDs = EventIDColumn()
    package var rows: [EventRow] = []
    package var details: [CloudTrailEvent] = []
    /// The members the events came from.
    public internal(set) var sources: [TrailSource] = []
    /// Records seen twice (in overlapping slices) and counted once.
    public internal(set) var duplicates = 0
    /// What a reader of the findings must know about how the members were read (one cut short at
    /// the decompression limit).
    public internal(set) var notes: [String] = []
    /// Events whose record lacks a valid `eventTime`, an `eventName` or an `eventSource`, counted
    /// once each (duplicates dropped); `notes` says what the rules leave out for them.
    public internal(set) var incomplete = IncompleteEvents()
    /// The collections whose calls were marked as the collector's (`isCollector(at:)`).
    public internal(set) var collectors: [CollectorSpan] = []

    /// An empty log.
    public init() {}

    /// How many events it holds.
    public var count: Int { rows.count }

    /// The event at `index` (0 is the oldest), as findings cite events.
    public func reference(at index: Int) -> EventReference {
        reference(rows[index])
    }

    /// The kept record of the event at `index` (`TrailReading.detailMembers`), when it was kept.
    package func detail(_ index: Int) -> CloudTrailEvent? {
        let detail = rows[index].detail
        return detail < 0 ? nil : details[Int(detail)]
    }

    package func string(_ id: Int32) -> String? { table.optional(id) }

    /// The essential members the record of `row` lacks, as `CloudTrailRecord.missingEssentials`
    /// gives them: no valid time, or a name or source absent, not a string, or empty.
    package func missingEssentials(_ row: EventRow) -> [CloudTrailRecord.EssentialMember] {
        var missing: [CloudTrailRecord.EssentialMember] = []
        if !row.hasTime { missing.append(.eventTime) }
        if table.isEmptyValue(row.name) { missing.append(.eventName) }
        if table.isEmptyValue(row.source) { missing.append(.eventSource) }
        return missing
    }

    package func reference(_ row: EventRow) -> EventReference {
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
            eventID: eventIDs.string(row.eventID), eventTime: table.optional(row.eventTime),
            eventSource: table.optional(row.source), eventName: table.optional(row.name),
            region: table.optional(row.region),
            principal: table.optional(row.principal) ?? table.optional(row.identityAccount).map {
                "\(type ?? "account") \($0)"
            }
                ?? table.optional(row.invokedBy),
            principalType: type, accessKeyId: table.optional(row.accessKey),
            sourceIPAddress: table.optional(row.sourceIP), userAgent: table.optional(row.userAgent),
            vpcEndpointId: table.optional(row.vpcEndpoint), errorCode: table.optional(row.errorCode),
            account: table.optional(row.recipient) ?? source.account, evidence: pointer)
    }

    /// The events of `parts` (each the events of one member, in the order read) as one log, in
    /// one pass: strings re-numbered into one table, duplicates (the same `eventID` and account,
    /// as overlapping slices hold) dropped after their first occurrence, sorted by time (stable:
    /// records of one time keep their slice order), and the collector's own calls marked
    /// (`markCollectorCalls`).
    package init(merging parts: [EventLog], collectors: [CollectorSpan]) {
        guard let first = parts.first else { return }
        table = first.table
        eventIDs = first.eventIDs
        var maps: [[Int32]] = [[]]
        var idOffsets: [Int32] = [0]
        for part in parts.dropFirst() {
            maps.append(table.merge(part.table))
            idOffsets.append(eventIDs.append(contentsOf: part.eventIDs))
        }
        var sourceOffsets: [Int32] = [], detailOffsets: [Int32] = []
        for part in parts {
            sourceOffsets.append(Int32(sources.count))
            detailOffsets.append(Int32(details.count))
            sources += part.sources
            details += part.details
            notes += part.notes
        }
        func remapped(_ row: EventRow, _ k: Int) -> EventRow {
            var row = row
            if row.eventID != 0 { row.eventID += idOffsets[k] }
            row.sourceIndex += sourceOffsets[k]
            if row.detail >= 0 { row.detail += detailOffsets[k] }
            guard k > 0 else { return row }
            let map = maps[k]
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
            return row
        }
        // Where each event is: its part and its place there, in reading order.
        var places: [(part: Int32, row: Int32)] = []
        places.reserveCapacity(parts.reduce(0) { $0 + $1.rows.count })
        // Duplicates: open addressing over the events kept so far, by the id's bytes and the account.
        var capacity = 16
        while capacity < places.capacity * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        var keptIDs: [(eventID: Int32, recipient: Int32)] = []
        keptIDs.reserveCapacity(places.capacity)
        for (k, part) in parts.enumerated() {
            let map = maps[k]
            for (i, row) in part.rows.enumerated() {
                if row.eventID != 0 {
                    let eventID = row.eventID + idOffsets[k],
                        recipient = k > 0 ? map[Int(row.recipient)] : row.recipient
                    let hash = eventIDs.hash(eventID) ^ (UInt64(UInt32(bitPattern: recipient)) &* 0x9E37_79B9_7F4A_7C15)
                    var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
                    var duplicate = false
                    while slots[slot] >= 0 {
                        let other = keptIDs[Int(slots[slot])]
                        if other.recipient == recipient && eventIDs.equal(other.eventID, eventID) {
                            duplicate = true
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                    if duplicate {
                        duplicates += 1
                        continue
                    }
                    slots[slot] = Int32(places.count)
                    keptIDs.append((eventID, recipient))
                } else {
                    keptIDs.append((0, 0))
                }
                places.append((Int32(k), Int32(i)))
            }
        }
        slots = []
        keptIDs = []
        rows.reserveCapacity(places.count)
        for position in Self.orderByTime(places.map { parts[Int($0.part)].rows[Int($0.row)].time }) {
            let place = places[position]
            let row = remapped(parts[Int(place.part)].rows[Int(place.row)], Int(place.part))
            incomplete.add(missingEssentials(row))
            rows.append(row)
        }
        incomplete.eventsRead = rows.count
        if let note = incomplete.note { notes.append(note) }
        markCollectorCalls(collectors)
    }

    /// The positions of `times` in time order, stably. Times and positions are packed into one
    /// integer each when they fit (times within 136 years of each other), so the sort compares
    /// plain integers; a missing time (`Int64.min`) sorts first.
    private static func orderByTime(_ times: [Int64]) -> [Int] {
        let valid = times.lazy.filter { $0 != .min }
        guard let low = valid.min(), let high = valid.max(),
            EvidenceSeconds.subtracting(high, low) < Int64(UInt32.max), times.count < Int(UInt32.max)
        else {
            return times.indices.sorted { (times[$0], $0) < (times[$1], $1) }
        }
        var keys = times.indices.map { index -> UInt64 in
            let rank = times[index] == .min ? 0 : UInt64(times[index] - low) + 1
            return rank << 32 | UInt64(index)
        }
        keys.sort()
        return keys.map { Int($0 & 0xffff_ffff) }
    }

    /// Indices of events made by the collector.
    package func isCollector(_ index: Int) -> Bool { rows[index].byCollector }
}
