public import CustodyJSON
public import EvidenceReading

/// One entity added, removed or changed between two snapshots, matched by its stable id.
public struct EntityChange: Codable, Hashable, Sendable {
    /// What happened to it.
    public enum Kind: String, Codable, Hashable, Sendable {
        /// It is in the later snapshot only.
        case added
        /// It is in the earlier snapshot only.
        case removed
        /// It is in both, with different fields.
        case changed
    }

    /// What happened.
    public var change: Kind
    /// The entity.
    public var entity: EntityReference
    /// Where it is in the earlier snapshot (removed, changed).
    public var before: EvidencePointer?
    /// Where it is in the later snapshot (added, changed).
    public var after: EvidencePointer?
    /// For changed entities: every field that differs.
    public var fields: [FieldChange]

    /// Makes a change.
    public init(
        change: Kind, entity: EntityReference, before: EvidencePointer?, after: EvidencePointer?,
        fields: [FieldChange] = []
    ) {
        self.change = change
        self.entity = entity
        self.before = before
        self.after = after
        self.fields = fields
    }
}

/// One field of an entity with different values in the two snapshots.
public struct FieldChange: Codable, Hashable, Sendable {
    /// A JSON pointer relative to the entity, such as `/status` or `/tags/0/value`.
    public var path: String
    /// The earlier value; absent when the field was added.
    public var old: JSONValue?
    /// The later value; absent when the field was removed.
    public var new: JSONValue?

    /// Makes a field change.
    public init(path: String, old: JSONValue?, new: JSONValue?) {
        self.path = path
        self.old = old
        self.new = new
    }
}

/// Every entity change between two snapshots of one account.
public struct SnapshotDiff: Codable, Hashable, Sendable {
    /// Regions collected in both snapshots: only there can absence mean anything.
    public var comparedRegions: [String]
    /// Regions collected in one snapshot only; entities there are not compared.
    public var regionsCollectedOnce: [String]
    /// Every change, by kind of entity, then id.
    public var changes: [EntityChange]

    /// Makes a diff.
    public init(comparedRegions: [String], regionsCollectedOnce: [String], changes: [EntityChange]) {
        self.comparedRegions = comparedRegions
        self.regionsCollectedOnce = regionsCollectedOnce
        self.changes = changes
    }

    /// How many entities were added.
    public var addedCount: Int { changes.count { $0.change == .added } }
    /// How many were removed.
    public var removedCount: Int { changes.count { $0.change == .removed } }
    /// How many changed.
    public var changedCount: Int { changes.count { $0.change == .changed } }
}
