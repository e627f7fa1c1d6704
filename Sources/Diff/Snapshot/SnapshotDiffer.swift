import Evidence

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
            for (position, record) in records.enumerated() { index[record.key] = position }
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
        let old = EntityTable(EntityIndex.records(of: before.snapshot, regions: compared))
        let new = EntityTable(EntityIndex.records(of: after.snapshot, regions: compared))
        var changes: [EntityChange] = []
        for record in new.records {
            let key = record.key
            guard let previousPosition = old.position(of: key) else {
                changes.append(
                    EntityChange(change: .added, entity: record.reference, before: nil, after: after.pointer(record.member, record.pointer)))
                continue
            }
            let previous = old.records[previousPosition]
            guard previous.value != record.value else { continue }
            let fields = FieldDiff.changes(previous.value.tree, record.value.tree)
            guard !fields.isEmpty else { continue }
            changes.append(
                EntityChange(
                    change: .changed, entity: record.reference, before: before.pointer(previous.member, previous.pointer),
                    after: after.pointer(record.member, record.pointer), fields: fields))
        }
        for record in old.records where new.position(of: record.key) == nil {
            changes.append(
                EntityChange(change: .removed, entity: record.reference, before: before.pointer(record.member, record.pointer), after: nil))
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
