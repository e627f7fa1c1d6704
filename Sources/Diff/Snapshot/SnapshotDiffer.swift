import Dispatch
import Evidence
import EvidenceReading

/// Compares two snapshots of one account entity by entity, matching stable ids.
enum SnapshotDiffer {
    /// The records of both snapshots and their changes.
    struct Result {
        var diff: SnapshotDiff
        var before: EntityTable
        var after: EntityTable
    }

    /// A snapshot's records, looked up by key; each record is stored once.
    struct EntityTable {
        private(set) var records: [EntityRecord]
        private var index: [EntityKey: Int] = [:]

        init(_ records: [EntityRecord]) {
            self.records = records
            index.reserveCapacity(records.count)
            for position in records.indices { index[records[position].key] = position }
        }

        /// The record of `key` (the last one, should a snapshot hold it twice).
        subscript(key: EntityKey) -> EntityRecord? {
            index[key].map { records[$0] }
        }

        func position(of key: EntityKey) -> Int? { index[key] }
    }

    static func diff(_ before: LoadedSnapshot, _ after: LoadedSnapshot) -> Result {
        let beforeRegions = Set(before.snapshot.account.collectedRegions)
        let afterRegions = Set(after.snapshot.account.collectedRegions)
        let compared = beforeRegions.intersection(afterRegions)
        // The two tables are built at once, one per core.
        let snapshots = [before.snapshot, after.snapshot]
        let tables = SnapshotReading.Slots<EntityTable>(2)
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            tables[side] = EntityTable(EntityIndex.records(of: snapshots[side], regions: compared))
        }
        let old = tables[0]!, new = tables[1]!
        var changes: [EntityChange] = []
        // By position, so unchanged records are compared in place rather than copied.
        for position in new.records.indices {
            guard let previousPosition = old.position(of: new.records[position].key) else {
                let record = new.records[position]
                changes.append(
                    EntityChange(
                        change: .added, entity: record.reference, before: nil,
                        after: after.pointer(record.member, record.pointer)))
                continue
            }
            guard old.records[previousPosition].value != new.records[position].value else { continue }
            let previous = old.records[previousPosition], record = new.records[position]
            let fields = FieldDiff.changes(previous.value.tree, record.value.tree)
            guard !fields.isEmpty else { continue }
            changes.append(
                EntityChange(
                    change: .changed, entity: record.reference,
                    before: before.pointer(previous.member, previous.pointer),
                    after: after.pointer(record.member, record.pointer), fields: fields))
        }
        for position in old.records.indices where new.position(of: old.records[position].key) == nil {
            let record = old.records[position]
            changes.append(
                EntityChange(
                    change: .removed, entity: record.reference, before: before.pointer(record.member, record.pointer),
                    after: nil))
        }
        let order = Dictionary(uniqueKeysWithValues: EntityKind.allCases.enumerated().map { ($1, $0) })
        changes.sort {
            let left = order[$0.entity.kind] ?? 0, right = order[$1.entity.kind] ?? 0
            return left != right ? left < right : $0.entity.id < $1.entity.id
        }
        return Result(
            diff: SnapshotDiff(
                comparedRegions: compared.sorted(),
                regionsCollectedOnce: beforeRegions.symmetricDifference(afterRegions).sorted(), changes: changes),
            before: old, after: new)
    }
}
