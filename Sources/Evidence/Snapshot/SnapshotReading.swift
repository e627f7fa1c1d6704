package import CustodyJSON
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a snapshot back from its archive members as `SnapshotLayout.snapshot(from:)` does, only
/// faster: each member is parsed once into a `JSONTape`, members in parallel, and large lists
/// are decoded in chunks on every core. Anything the fast path cannot read is read again by
/// `SnapshotLayout` with Foundation's decoder, so the errors are the ones it gives.
package enum SnapshotReading {
    /// The snapshot in `members` (path → bytes).
    /// - Throws: `SnapshotError`, as `SnapshotLayout.snapshot(from:)` throws it.
    package static func snapshot(from members: [String: [UInt8]]) throws -> Snapshot {
        guard let parsed = parse(members), let snapshot = try? assemble(parsed, reusing: nil).snapshot else {
            return try SnapshotLayout.snapshot(from: members)
        }
        return snapshot
    }

    /// Both snapshots of a diff (path → bytes each), or nil when either needs the slow path. A
    /// list element of `after` whose bytes equal an element of the same member of `before` is not
    /// decoded again: it takes the earlier value, which those same bytes decoded to. Between two
    /// collections most entities are unchanged, so the later snapshot costs a parse and a hash.
    package static func snapshots(before: [String: [UInt8]], after: [String: [UInt8]]) -> (
        before: Snapshot, after: Snapshot
    )? {
        guard let old = parse(before), let new = parse(after),
            let first = try? assemble(old, reusing: nil),
            let second = try? assemble(new, reusing: first.decoded)
        else { return nil }
        return (first.snapshot, second.snapshot)
    }

    /// A member's tape and the value decoded from it (`[Element]` for a list).
    package struct Decoded {
        /// The member's tape.
        package let tape: JSONTape
        /// What it decoded to.
        package let values: Any
    }

    /// A snapshot's members parsed into tapes, with the account decoded.
    private struct Parsed {
        var account: AccountInfo
        /// The members after the account, in archive order (`SnapshotLayout.files(regions:)`).
        var files: [(member: any SnapshotMember, region: String?, path: String)]
        /// Each file's bytes: nil when the archive lacks it.
        var bytes: [[UInt8]?]
        /// Each JSON file's tape.
        var tapes: [JSONTape?]
    }

    private static func parse(_ members: [String: [UInt8]]) -> Parsed? {
        let prefix = SnapshotLayout.prefix
        guard let accountBytes = members[prefix + SnapshotLayout.account.path()],
            let accountTape = JSONTape.parse(accountBytes),
            let account = try? AccountInfo(tape: accountTape, node: 0)
        else { return nil }
        let files = SnapshotLayout.files(regions: account.collectedRegions.sorted())
        let bytes = files.map { members[prefix + $0.path] }
        let isJSON = files.map { $0.member is any TapeSnapshotMember }
        for index in files.indices where isJSON[index] && bytes[index] == nil { return nil }
        // Parse every JSON member into a tape, members in parallel.
        let tapes = Slots<JSONTape>(files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            if isJSON[index], let input = bytes[index] { tapes[index] = JSONTape.parse(input) }
        }
        for index in files.indices where isJSON[index] && tapes[index] == nil { return nil }
        return Parsed(account: account, files: files, bytes: bytes, tapes: tapes.values)
    }

    /// The snapshot of `parsed`, and what each member decoded to (by path), taking values from
    /// `base` (an earlier snapshot's) for list elements with the same bytes.
    private static func assemble(_ parsed: Parsed, reusing base: [String: Decoded]?) throws -> (
        snapshot: Snapshot, decoded: [String: Decoded]
    ) {
        var snapshot = Snapshot(account: parsed.account)
        var decoded: [String: Decoded] = [:]
        for (index, file) in parsed.files.enumerated() {
            if let member = file.member as? any TapeSnapshotMember, let tape = parsed.tapes[index] {
                decoded[file.path] = try member.decode(tape, reusing: base?[file.path], into: &snapshot)
            } else {
                try file.member.read(parsed.bytes[index], in: file.region, into: &snapshot)
            }
        }
        return (snapshot, decoded)
    }

    /// The list at `tape`'s root; elements whose bytes equal one of `base`'s elements take that
    /// element's value from `baseValues` (decoded from those bytes), the rest are decoded.
    static func list<T: TapeDecodable & Sendable>(_ tape: JSONTape, reusing base: JSONTape, _ baseValues: [T]) throws
        -> [T]
    {
        guard tape.nodes.first?.kind == .array else { throw TapeDecoder.mismatch([T].self) }
        guard base.nodes.first?.kind == .array, Int(base.nodes[0].count) == baseValues.count, !baseValues.isEmpty else {
            return try list(tape)
        }
        let index = ElementIndex(base)
        let elements = Array(tape.elements(0))
        return try map(elements.count) { position in
            let node = elements[position]
            if let match = index.match(tape, node) { return baseValues[match] }
            return try T(tape: tape, node: node)
        }
    }

    /// The list at the tape's root, decoded in chunks in parallel when it is long.
    static func list<T: TapeDecodable & Sendable>(_ tape: JSONTape) throws -> [T] {
        guard tape.nodes.first?.kind == .array else { throw TapeDecoder.mismatch([T].self) }
        let elements = Array(tape.elements(0))
        return try map(elements.count) { try T(tape: tape, node: elements[$0]) }
    }

    /// A list's elements by their bytes, to find an equal element of another tape.
    private struct ElementIndex: @unchecked Sendable {
        let tape: JSONTape
        let elements: [Int]
        /// Hash of an element's bytes → its position (the first, should bytes repeat).
        let positions: [Int: Int]

        init(_ tape: JSONTape) {
            self.tape = tape
            elements = Array(tape.elements(0))
            var positions: [Int: Int] = [:]
            positions.reserveCapacity(elements.count)
            for (position, node) in elements.enumerated() {
                guard let hash = Self.hash(tape, node) else { continue }
                if positions[hash] == nil { positions[hash] = position }
            }
            self.positions = positions
        }

        static func hash(_ tape: JSONTape, _ node: Int) -> Int? {
            guard let span = tape.span(node) else { return nil }
            // Not a secure hash: a match is confirmed byte for byte, this only has to spread.
            return tape.bytes.withUnsafeBytes { bytes in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(span.count)
                var offset = span.lowerBound
                while offset + 8 <= span.upperBound {
                    hash =
                        (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9e37_79b9_7f4a_7c15
                    hash ^= hash >> 29
                    offset += 8
                }
                while offset < span.upperBound {
                    hash = (hash ^ UInt64(bytes[offset])) &* 0x100_0000_01b3
                    offset += 1
                }
                return Int(truncatingIfNeeded: hash ^ (hash >> 32))
            }
        }

        /// The position of the element with the same bytes as `node` of `other`, if any.
        func match(_ other: JSONTape, _ node: Int) -> Int? {
            guard let hash = Self.hash(other, node), let position = positions[hash],
                let mine = tape.span(elements[position]), let theirs = other.span(node), mine.count == theirs.count
            else { return nil }
            let equal = tape.bytes.withUnsafeBytes { a in
                other.bytes.withUnsafeBytes { b in
                    memcmp(a.baseAddress! + mine.lowerBound, b.baseAddress! + theirs.lowerBound, mine.count) == 0
                }
            }
            return equal ? position : nil
        }
    }

    /// `transform` of `0..<count`, in chunks in parallel when `count` is large.
    private static func map<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) throws -> T) throws -> [T] {
        let chunkSize = 2_048
        guard count > chunkSize else { return try (0..<count).map(transform) }
        let chunks = (count + chunkSize - 1) / chunkSize
        let slots = Slots<[T]>(chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            slots[chunk] = try? ((chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize)).map(transform)
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for chunk in slots.values {
            guard let chunk else { throw TapeDecoder.mismatch([T].self) }
            out += chunk
        }
        return out
    }
}
