package import CustodyJSON

/// A list of entities stored as one JSON array (`iam/users.json`), or as one per collected
/// region holding that region's entities (`ec2/<region>/instances.json`).
package struct SnapshotList<Element: Codable & Sendable & TapeDecodable>: TapeSnapshotMember {
    /// Where the list lies.
    package let place: SnapshotPlace
    /// The list in a snapshot.
    let field: any WritableKeyPath<Snapshot, [Element]> & Sendable
    /// A regional entity's region.
    let region: (any KeyPath<Element, String> & Sendable)?

    /// A list stored at `path`.
    init(_ path: String, _ field: any WritableKeyPath<Snapshot, [Element]> & Sendable) {
        place = .global(path)
        self.field = field
        region = nil
    }

    /// A list stored per region, at `<folder>/<region>/<file>`.
    init(
        folder: String, file: String, _ field: any WritableKeyPath<Snapshot, [Element]> & Sendable,
        region: any KeyPath<Element, String> & Sendable
    ) {
        place = .regional(folder: folder, file: file)
        self.field = field
        self.region = region
    }

    /// The list as canonical JSON; a regional member's holds the entities of `region`.
    package func bytes(of snapshot: Snapshot, in region: String?) throws -> [UInt8]? {
        guard let region, let regionOf = self.region else { return try CanonicalJSON.encode(snapshot[keyPath: field]) }
        return try CanonicalJSON.encode(snapshot[keyPath: field].filter { $0[keyPath: regionOf] == region })
    }

    /// Decodes the list with Foundation's decoder and appends it.
    /// - Throws: `SnapshotError` naming the member that is missing or cannot be decoded.
    package func read(_ bytes: [UInt8]?, in region: String?, into snapshot: inout Snapshot) throws {
        append(try SnapshotLayout.decode([Element].self, bytes, path: path(in: region)), to: &snapshot)
    }

    /// Decodes the list from its tape, in parallel chunks when it is long, reusing `base`'s values
    /// for elements with the same bytes, and appends it.
    /// - Throws: `DecodingError` when an element does not have the shape of `Element`.
    package func decode(_ tape: JSONTape, reusing base: SnapshotReading.Decoded?, into snapshot: inout Snapshot) throws
        -> SnapshotReading.Decoded
    {
        let values: [Element]
        if let base, let baseValues = base.values as? [Element] {
            values = try SnapshotReading.list(tape, reusing: base.tape, baseValues)
        } else {
            values = try SnapshotReading.list(tape)
        }
        append(values, to: &snapshot)
        return SnapshotReading.Decoded(tape: tape, values: values)
    }

    /// Appends `values` to the list in `snapshot`: the first region's, or a global list, becomes
    /// the list, sharing its storage rather than copying every element.
    private func append(_ values: [Element], to snapshot: inout Snapshot) {
        if snapshot[keyPath: field].isEmpty {
            snapshot[keyPath: field] = values
        } else {
            snapshot[keyPath: field] += values
        }
    }
}
