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
    /// `decode(_:reusing:into:)`'s work, made where `Element` is known (the declarations in
    /// `SnapshotLayout`), so that it runs specialized for it: reached through `any
    /// TapeSnapshotMember`, a generic method would decode every element through generic code.
    private let decodeTape: TapeDecoding

    /// Decodes a tape into a snapshot, reusing what an earlier snapshot's tape decoded to.
    private typealias TapeDecoding =
        @Sendable (JSONTape, SnapshotReading.Decoded?, inout Snapshot) throws
        -> SnapshotReading.Decoded

    /// A list stored at `path`.
    init(_ path: String, _ field: any WritableKeyPath<Snapshot, [Element]> & Sendable) {
        place = .global(path)
        self.field = field
        region = nil
        decodeTape = Self.tapeDecoder(field)
    }

    /// A list stored per region, at `<folder>/<region>/<file>`.
    init(
        folder: String, file: String, _ field: any WritableKeyPath<Snapshot, [Element]> & Sendable,
        region: any KeyPath<Element, String> & Sendable
    ) {
        place = .regional(folder: folder, file: file)
        self.field = field
        self.region = region
        decodeTape = Self.tapeDecoder(field)
    }

    /// The list as canonical JSON; a regional member's holds the entities of `region`.
    package func bytes(of snapshot: Snapshot, in region: String?) throws -> [UInt8]? {
        guard let region, let regionOf = self.region else { return try CanonicalJSON.encode(snapshot[keyPath: field]) }
        return try CanonicalJSON.encode(snapshot[keyPath: field].filter { $0[keyPath: regionOf] == region })
    }

    /// Decodes the list with Foundation's decoder and appends it.
    /// - Throws: `SnapshotError` naming the member that is missing or cannot be decoded.
    package func read(_ bytes: [UInt8]?, in region: String?, into snapshot: inout Snapshot) throws {
        Self.append(try SnapshotLayout.decode([Element].self, bytes, path: path(in: region)), to: &snapshot, field)
    }

    /// Decodes the list from its tape, in parallel chunks when it is long, reusing `base`'s values
    /// for elements with the same bytes, and appends it.
    /// - Throws: `DecodingError` when an element does not have the shape of `Element`.
    package func decode(_ tape: JSONTape, reusing base: SnapshotReading.Decoded?, into snapshot: inout Snapshot) throws
        -> SnapshotReading.Decoded
    {
        try decodeTape(tape, base, &snapshot)
    }

    /// What `decode(_:reusing:into:)` does, for this `Element` and `field`.
    private static func tapeDecoder(_ field: any WritableKeyPath<Snapshot, [Element]> & Sendable) -> TapeDecoding {
        { tape, base, snapshot in
            let values: [Element]
            if let base, let baseValues = base.values as? [Element] {
                values = try SnapshotReading.list(tape, reusing: base.tape, baseValues)
            } else {
                values = try SnapshotReading.list(tape)
            }
            append(values, to: &snapshot, field)
            return SnapshotReading.Decoded(tape: tape, values: values)
        }
    }

    /// Appends `values` to the list `field` of `snapshot`: the first region's, or a global list,
    /// becomes the list, sharing its storage rather than copying every element.
    private static func append(
        _ values: [Element], to snapshot: inout Snapshot, _ field: any WritableKeyPath<Snapshot, [Element]> & Sendable
    ) {
        if snapshot[keyPath: field].isEmpty {
            snapshot[keyPath: field] = values
        } else {
            snapshot[keyPath: field] += values
        }
    }
}
