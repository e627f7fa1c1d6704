import Evidence

/// Compares two snapshots of one account entity by entity, matching stable ids.
enum SnapshotDiffer {
    /// The records of both snapshots and their changes.
    struct Result {
        var diff: SnapshotDiff
        var before: [EntityKey: EntityRecord]
        var after: [EntityKey: EntityRecord]
    }

    static func diff(_ before: LoadedSnapshot, _ after: LoadedSnapshot) -> Result {
        let beforeRegions = Set(before.snapshot.account.collectedRegions)
        let afterRegions = Set(after.snapshot.account.collectedRegions)
        let compared = beforeRegions.intersection(afterRegions)
        let old = EntityIndex.records(of: before.snapshot, regions: compared)
        let new = EntityIndex.records(of: after.snapshot, regions: compared)
        var oldByKey: [EntityKey: EntityRecord] = [:]
        oldByKey.reserveCapacity(old.count)
        for record in old { oldByKey[record.key] = record }
        var newByKey: [EntityKey: EntityRecord] = [:]
        newByKey.reserveCapacity(new.count)
        var changes: [EntityChange] = []
        for record in new {
            let key = record.key
            newByKey[key] = record
            guard let previous = oldByKey[key] else {
                changes.append(
                    EntityChange(change: .added, entity: record.reference, before: nil, after: after.pointer(record.member, record.pointer)))
                continue
            }
            guard previous.value != record.value else { continue }
            let fields = FieldDiff.changes(previous.value.tree, record.value.tree)
            guard !fields.isEmpty else { continue }
            changes.append(
                EntityChange(
                    change: .changed, entity: record.reference, before: before.pointer(previous.member, previous.pointer),
                    after: after.pointer(record.member, record.pointer), fields: fields))
        }
        for record in old where newByKey[record.key] == nil {
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
            before: oldByKey, after: newByKey)
    }
}
