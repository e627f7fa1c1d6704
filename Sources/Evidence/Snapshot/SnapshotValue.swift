package import CustodyJSON

/// One value stored as one JSON member: the account, the identity providers.
package struct SnapshotValue<Value: Codable & Sendable & TapeDecodable>: TapeSnapshotMember {
    /// Where the value lies.
    package let place: SnapshotPlace
    /// The value in a snapshot.
    let field: any WritableKeyPath<Snapshot, Value> & Sendable

    /// A value stored at `path`.
    init(_ path: String, _ field: any WritableKeyPath<Snapshot, Value> & Sendable) {
        place = .global(path)
        self.field = field
    }

    /// The value as canonical JSON.
    package func bytes(of snapshot: Snapshot, in region: String?) throws -> [UInt8]? {
        try CanonicalJSON.encode(snapshot[keyPath: field])
    }

    /// Decodes the value with Foundation's decoder.
    /// - Throws: `SnapshotError` naming the member that is missing or cannot be decoded.
    package func read(_ bytes: [UInt8]?, in region: String?, into snapshot: inout Snapshot) throws {
        snapshot[keyPath: field] = try SnapshotLayout.decode(Value.self, bytes, path: path(in: region))
    }

    /// Decodes the value from its tape.
    /// - Throws: `DecodingError` when it does not have the shape of `Value`.
    package func decode(_ tape: JSONTape, reusing base: SnapshotReading.Decoded?, into snapshot: inout Snapshot) throws
        -> SnapshotReading.Decoded
    {
        let value = try Value(tape: tape, node: 0)
        snapshot[keyPath: field] = value
        return SnapshotReading.Decoded(tape: tape, values: value)
    }
}
