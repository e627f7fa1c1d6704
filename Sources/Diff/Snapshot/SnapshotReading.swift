import Dispatch
import Evidence

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a snapshot back from its archive members as `SnapshotLayout.snapshot(from:)` does, only
/// faster: each member is parsed once into a `JSONTape`, and large lists are decoded in chunks on
/// every core. Anything the fast path cannot read is read again by `SnapshotLayout`, so the
/// result and the errors are the same.
enum SnapshotReading {
    /// The snapshot in `members` (path → bytes).
    /// - Throws: `SnapshotError`, as `SnapshotLayout.snapshot(from:)` throws it.
    static func snapshot(from members: [String: [UInt8]]) throws -> Snapshot {
        guard let snapshot = fast(members) else { return try SnapshotLayout.snapshot(from: members) }
        return snapshot
    }

    /// Holds what parallel work produces, each slot written by one task.
    final class Slots<T>: @unchecked Sendable {
        let count: Int
        private let storage: UnsafeMutablePointer<T?>

        init(_ count: Int) {
            self.count = count
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil, count: count)
        }

        deinit {
            storage.deinitialize(count: count)
            storage.deallocate()
        }

        /// Slot `index`; tasks write disjoint slots.
        subscript(index: Int) -> T? {
            get { storage[index] }
            set { storage[index] = newValue }
        }

        var values: [T?] { Array(UnsafeBufferPointer(start: storage, count: count)) }
    }

    /// Both snapshots of a diff (path → bytes each), or nil when either needs the slow path. A
    /// list element of `after` whose bytes equal an element of the same member of `before` is not
    /// decoded again: it takes the earlier value, which those same bytes decoded to. Between two
    /// collections most entities are unchanged, so the later snapshot costs a parse and a hash.
    static func snapshots(before: [String: [UInt8]], after: [String: [UInt8]]) -> (before: Snapshot, after: Snapshot)? {
        guard let old = parse(before), let new = parse(after),
            let first = try? assemble(old, reusing: nil),
            let second = try? assemble(new, reusing: (old.tapes, first.lists))
        else { return nil }
        return (first.snapshot, second.snapshot)
    }

    /// A snapshot's members parsed into tapes, with the account decoded.
    private struct Parsed {
        var account: AccountInfo
        var regions: [String]
        var tapes: [String: JSONTape]
        var credentialReport: [UInt8]?
    }

    private static func fast(_ members: [String: [UInt8]]) -> Snapshot? {
        guard let parsed = parse(members) else { return nil }
        return try? assemble(parsed, reusing: nil).snapshot
    }

    private static func parse(_ members: [String: [UInt8]]) -> Parsed? {
        let prefix = SnapshotLayout.prefix
        guard let accountBytes = members[prefix + "account.json"], let accountTape = JSONTape.parse(accountBytes),
            let account = try? TapeDecoder.decode(AccountInfo.self, accountTape, 0)
        else { return nil }
        var paths = [
            "iam/users.json", "iam/roles.json", "iam/groups.json", "iam/policies.json", "iam/instance-profiles.json",
            "iam/identity-providers.json",
        ]
        let regions = account.collectedRegions.sorted()
        for region in regions {
            paths += [
                "ec2/\(region)/instances.json", "ec2/\(region)/vpc-endpoints.json", "ec2/\(region)/security-groups.json",
                "ec2/\(region)/key-pairs.json", "guardduty/\(region)/detectors.json",
            ]
        }
        paths.append("cloudtrail/trails.json")
        // Parse every member into a tape, members in parallel.
        let tapes = Slots<JSONTape>(paths.count)
        let inputs = paths.map { members[prefix + $0] }
        guard !inputs.contains(where: { $0 == nil }) else { return nil }
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            if let bytes = inputs[index], let tape = JSONTape.parse(bytes) { tapes[index] = tape }
        }
        var tapeOf: [String: JSONTape] = [:]
        for (index, path) in paths.enumerated() {
            guard let tape = tapes[index] else { return nil }
            tapeOf[path] = tape
        }
        return Parsed(
            account: account, regions: regions, tapes: tapeOf, credentialReport: members[prefix + "iam/credential-report.csv"])
    }

    /// The snapshot of `parsed`, and each member's list as decoded (path → `[T]`), taking values
    /// from `base` (an earlier snapshot's tapes and lists) for elements with the same bytes.
    private static func assemble(
        _ parsed: Parsed, reusing base: (tapes: [String: JSONTape], lists: [String: Any])?
    ) throws -> (snapshot: Snapshot, lists: [String: Any]) {
        var lists: [String: Any] = [:]
        func decodeList<T: Decodable & Sendable>(_ path: String) throws -> [T] {
            let tape = parsed.tapes[path]!
            let values: [T]
            if let base, let baseTape = base.tapes[path], let baseValues = base.lists[path] as? [T] {
                values = try list(tape, reusing: baseTape, baseValues)
            } else {
                values = try list(tape)
            }
            lists[path] = values
            return values
        }
        var snapshot = Snapshot(account: parsed.account)
        snapshot.users = try decodeList("iam/users.json")
        snapshot.roles = try decodeList("iam/roles.json")
        snapshot.groups = try decodeList("iam/groups.json")
        snapshot.policies = try decodeList("iam/policies.json")
        snapshot.instanceProfiles = try decodeList("iam/instance-profiles.json")
        snapshot.identityProviders = try TapeDecoder.decode(IdentityProviders.self, parsed.tapes["iam/identity-providers.json"]!, 0)
        snapshot.credentialReport = parsed.credentialReport
        for region in parsed.regions {
            snapshot.instances += try decodeList("ec2/\(region)/instances.json") as [EC2Instance]
            snapshot.vpcEndpoints += try decodeList("ec2/\(region)/vpc-endpoints.json") as [VPCEndpoint]
            snapshot.securityGroups += try decodeList("ec2/\(region)/security-groups.json") as [SecurityGroup]
            snapshot.keyPairs += try decodeList("ec2/\(region)/key-pairs.json") as [KeyPair]
            snapshot.detectors += try decodeList("guardduty/\(region)/detectors.json") as [GuardDutyDetector]
        }
        snapshot.trails = try decodeList("cloudtrail/trails.json")
        return (snapshot, lists)
    }

    /// The list at `tape`'s root; elements whose bytes equal one of `base`'s elements take that
    /// element's value from `baseValues` (decoded from those bytes), the rest are decoded.
    private static func list<T: Decodable & Sendable>(_ tape: JSONTape, reusing base: JSONTape, _ baseValues: [T]) throws -> [T] {
        guard tape.nodes.first?.kind == .array else { throw TapeDecoder.mismatch([T].self) }
        guard base.nodes.first?.kind == .array, Int(base.nodes[0].count) == baseValues.count, !baseValues.isEmpty else {
            return try list(tape)
        }
        let index = ElementIndex(base)
        let elements = tape.elements(0)
        return try map(elements.count) { position in
            let node = elements[position]
            if let match = index.match(tape, node) { return baseValues[match] }
            return try TapeDecoder.decode(T.self, tape, node)
        }
    }

    /// A list's elements by their bytes, to find an equal element of another tape.
    private struct ElementIndex: @unchecked Sendable {
        let tape: JSONTape
        let elements: [Int]
        /// Hash of an element's bytes → its position (the first, should bytes repeat).
        let positions: [Int: Int]

        init(_ tape: JSONTape) {
            self.tape = tape
            elements = tape.elements(0)
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
                    hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9e37_79b9_7f4a_7c15
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

    /// The list at the tape's root, decoded in chunks in parallel when it is long.
    private static func list<T: Decodable & SendableMetatype>(_ tape: JSONTape) throws -> [T] {
        guard tape.nodes.first?.kind == .array else { throw TapeDecoder.mismatch([T].self) }
        let elements = tape.elements(0)
        let chunkSize = 2_048
        guard elements.count > chunkSize else { return try elements.map { try TapeDecoder.decode(T.self, tape, $0) } }
        let chunks = (elements.count + chunkSize - 1) / chunkSize
        let slots = Slots<[T]>(chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * chunkSize)..<min(elements.count, (chunk + 1) * chunkSize)
            slots[chunk] = try? elements[range].map { try TapeDecoder.decode(T.self, tape, $0) }
        }
        var out: [T] = []
        out.reserveCapacity(elements.count)
        for chunk in slots.values {
            guard let chunk else { throw TapeDecoder.mismatch([T].self) }
            out += chunk
        }
        return out
    }
}
