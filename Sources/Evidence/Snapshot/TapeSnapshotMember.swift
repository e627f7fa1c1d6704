package import CustodyJSON

/// A JSON member of the snapshot layout, which the fast reader (`SnapshotReading`) decodes from
/// its tape.
package protocol TapeSnapshotMember: SnapshotMember {
    /// Decodes `tape` (the member's) into `snapshot`, appending a regional part. Elements of a
    /// list whose bytes equal an element of `base` (the same member of an earlier snapshot) take
    /// the value decoded from it. Returns what it decoded, the `base` for a later snapshot.
    /// - Throws: `DecodingError` when the member does not have the shape of its type.
    func decode(_ tape: JSONTape, reusing base: SnapshotReading.Decoded?, into snapshot: inout Snapshot) throws
        -> SnapshotReading.Decoded
}
