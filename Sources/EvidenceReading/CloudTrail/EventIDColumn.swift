#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `eventID` of every event, as bytes in one arena. Each event's id is its own, so interning
/// them would only add a table probe and a `String` per event; a `String` is made when a finding
/// cites the event.
///
/// Id 0 is "absent"; id k is the k-th value appended.
package struct EventIDColumn: Sendable {
    private var arena: [UInt8] = []
    /// Value k is `arena[ends[k - 1]..<ends[k]]`.
    private var ends: [Int] = [0]
    /// The hash of value k, worked out as it is stored (while members are read in parallel)
    /// rather than when duplicates are looked for.
    private var hashes: [UInt64] = [0]

    /// How many values are stored.
    package var count: Int { ends.count - 1 }

    /// Stores `value` and returns its id.
    package mutating func append(_ value: UnsafeBufferPointer<UInt8>) -> Int32 {
        arena.append(contentsOf: value)
        ends.append(arena.count)
        hashes.append(StringTable.hash(value))
        return Int32(ends.count - 1)
    }

    /// Appends every value of `other`; its id k becomes k plus the returned offset.
    package mutating func append(contentsOf other: EventIDColumn) -> Int32 {
        let offset = Int32(count), base = arena.count
        arena += other.arena
        ends.reserveCapacity(ends.count + other.count)
        for end in other.ends.dropFirst() { ends.append(base + end) }
        hashes += other.hashes.dropFirst()
        return offset
    }

    /// The value of `id`, or `nil` for 0.
    package func string(_ id: Int32) -> String? {
        guard id != 0 else { return nil }
        return arena.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[range(id)]), as: UTF8.self)
        }
    }

    /// A hash of the value of `id`.
    package func hash(_ id: Int32) -> UInt64 { hashes[Int(id)] }

    /// Whether `a` and `b` hold the same value.
    package func equal(_ a: Int32, _ b: Int32) -> Bool {
        let first = range(a), second = range(b)
        guard first.count == second.count else { return false }
        return arena.withUnsafeBufferPointer { bytes in
            first.isEmpty
                || memcmp(bytes.baseAddress! + first.lowerBound, bytes.baseAddress! + second.lowerBound, first.count)
                    == 0
        }
    }

    private func range(_ id: Int32) -> Range<Int> { ends[Int(id) - 1]..<ends[Int(id)] }
}
