/// A member kept as the bytes AWS produced, when the snapshot has it: the credential report.
package struct SnapshotFile: SnapshotMember {
    /// Where the file lies.
    package let place: SnapshotPlace
    /// The bytes in a snapshot.
    let field: any WritableKeyPath<Snapshot, [UInt8]?> & Sendable

    /// A file stored at `path`.
    init(_ path: String, _ field: any WritableKeyPath<Snapshot, [UInt8]?> & Sendable) {
        place = .global(path)
        self.field = field
    }

    /// The bytes, as they were collected; nil when the snapshot has none.
    package func bytes(of snapshot: Snapshot, in region: String?) throws -> [UInt8]? { snapshot[keyPath: field] }

    /// Takes the bytes as they are; a missing file is no error.
    package func read(_ bytes: [UInt8]?, in region: String?, into snapshot: inout Snapshot) throws {
        snapshot[keyPath: field] = bytes
    }
}
