public import Evidence

/// A snapshot read from an archive, with where each of its entities lies: the member, the
/// member's SHA-256 and the entity's JSON pointer.
public struct LoadedSnapshot: Sendable {
    /// The snapshot, in the order its members hold it.
    public var snapshot: Snapshot
    /// The archive's path.
    public var archive: String
    /// SHA-256 of each member, from the manifest.
    public var memberHashes: [String: String]
    /// When the snapshot was taken: the collection's start (ISO 8601).
    public var takenAt: String

    /// Makes a loaded snapshot.
    public init(snapshot: Snapshot, archive: String, memberHashes: [String: String] = [:], takenAt: String) {
        self.snapshot = snapshot
        self.archive = archive
        self.memberHashes = memberHashes
        self.takenAt = takenAt
    }

    /// A pointer to `member` (under `snapshot/`) at `jsonPointer`.
    package func pointer(_ member: String, _ jsonPointer: String) -> EvidencePointer {
        let path = SnapshotLayout.prefix + member
        return EvidencePointer(archive: archive, member: path, sha256: memberHashes[path], jsonPointer: jsonPointer)
    }
}
