import Dispatch
import Evidence

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
    private final class Slots<T>: @unchecked Sendable {
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

    private static func fast(_ members: [String: [UInt8]]) -> Snapshot? {
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
        do {
            var snapshot = Snapshot(account: account)
            snapshot.users = try list(tapeOf["iam/users.json"]!)
            snapshot.roles = try list(tapeOf["iam/roles.json"]!)
            snapshot.groups = try list(tapeOf["iam/groups.json"]!)
            snapshot.policies = try list(tapeOf["iam/policies.json"]!)
            snapshot.instanceProfiles = try list(tapeOf["iam/instance-profiles.json"]!)
            snapshot.identityProviders = try TapeDecoder.decode(IdentityProviders.self, tapeOf["iam/identity-providers.json"]!, 0)
            snapshot.credentialReport = members[prefix + "iam/credential-report.csv"]
            for region in regions {
                snapshot.instances += try list(tapeOf["ec2/\(region)/instances.json"]!)
                snapshot.vpcEndpoints += try list(tapeOf["ec2/\(region)/vpc-endpoints.json"]!)
                snapshot.securityGroups += try list(tapeOf["ec2/\(region)/security-groups.json"]!)
                snapshot.keyPairs += try list(tapeOf["ec2/\(region)/key-pairs.json"]!)
                snapshot.detectors += try list(tapeOf["guardduty/\(region)/detectors.json"]!)
            }
            snapshot.trails = try list(tapeOf["cloudtrail/trails.json"]!)
            return snapshot
        } catch {
            return nil
        }
    }

    /// The list at the tape's root, decoded in chunks in parallel when it is long.
    private static func list<T: Decodable>(_ tape: JSONTape) throws -> [T] {
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
