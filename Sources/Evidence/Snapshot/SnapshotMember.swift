/// A part of `Snapshot` stored as one member of the snapshot layout (one per collected region for
/// a regional part): where it lies, how it is written, and how it is read back. Every reader and
/// writer of snapshots goes through `SnapshotLayout.table`, so each path is written once.
package protocol SnapshotMember: Sendable {
    /// Where the member lies.
    var place: SnapshotPlace { get }

    /// The member's bytes for `snapshot`, its part in `region` for a regional member; nil when
    /// the snapshot has nothing to store there.
    func bytes(of snapshot: Snapshot, in region: String?) throws -> [UInt8]?

    /// Reads the member's bytes (nil: the archive lacks it) into `snapshot` with Foundation's
    /// decoder, appending a regional part to what the other regions gave.
    /// - Throws: `SnapshotError` naming the member that is missing or cannot be decoded.
    func read(_ bytes: [UInt8]?, in region: String?, into snapshot: inout Snapshot) throws
}

extension SnapshotMember {
    /// The member's path under `snapshot/`, in `region` for a regional member.
    package func path(in region: String? = nil) -> String { place.path(in: region) }
}
