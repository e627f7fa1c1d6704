/// Interns strings given as UTF-8 bytes: each distinct value is stored once and named by a small
/// integer, so a million events cost a few integers each and equal values compare as integers.
///
/// Id 0 is "absent". Lookups hash the bytes (FNV-1a) into an open-addressing table; the bytes of
/// every value live in one arena, and a `String` is made once per distinct value.
package struct StringTable {
    private var arena: [UInt8] = []
    private var starts: [Int32] = [0]
    private var ends: [Int32] = [0]
    private var hashes: [UInt64] = [0]
    private(set) var strings: [String] = [""]
    private var slots: [Int32]
    private var mask: Int

    package init() {
        slots = Array(repeating: 0, count: 1024)
        mask = 1023
    }

    /// How many values are stored, "absent" included.
    package var count: Int { strings.count }

    /// The value of `id` (`""` for 0).
    package subscript(id: Int32) -> String { strings[Int(id)] }

    /// Whether the value of `id` is empty (as it is for 0), without making a `String`.
    package func isEmptyValue(_ id: Int32) -> Bool { starts[Int(id)] == ends[Int(id)] }

    /// The value of `id`, or `nil` for 0.
    package func optional(_ id: Int32) -> String? { id == 0 ? nil : strings[Int(id)] }

    /// The id of `bytes`, adding it when new.
    package mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        intern(bytes, hash: Self.hash(bytes), string: nil)
    }

    /// Adds every value of `other`, reusing its hashes and strings, and returns the id here of
    /// each of its ids (0 stays 0).
    package mutating func merge(_ other: StringTable) -> [Int32] {
        var map = [Int32](repeating: 0, count: other.count)
        other.arena.withUnsafeBufferPointer { bytes in
            for id in 1..<other.count {
                let value = UnsafeBufferPointer(rebasing: bytes[Int(other.starts[id])..<Int(other.ends[id])])
                map[id] = intern(value, hash: other.hashes[id], string: other.strings[id])
            }
        }
        return map
    }

    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, string: String?) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id == 0 { break }
            if hashes[Int(id)] == hash && equal(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(strings.count)
        starts.append(Int32(arena.count))
        arena.append(contentsOf: bytes)
        ends.append(Int32(arena.count))
        hashes.append(hash)
        strings.append(string ?? String(decoding: bytes, as: UTF8.self))
        slots[slot] = id
        if strings.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `string`, adding it when new.
    package mutating func intern(_ string: String) -> Int32 {
        var string = string
        return string.withUTF8 { intern($0) }
    }

    /// The id of `string` when it is stored, else 0.
    package func lookup(_ string: String) -> Int32 {
        var string = string
        return string.withUTF8 { bytes in
            let hash = Self.hash(bytes)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let id = slots[slot]
                if id == 0 { return 0 }
                if hashes[Int(id)] == hash && equal(Int(id), bytes) { return id }
                slot = (slot + 1) & mask
            }
        }
    }

    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[id]), end = Int(ends[id])
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            bytes.count == 0 || memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        for id in 1..<strings.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    /// Eight bytes at a time (a multiply-xorshift over little-endian words, the tail zero-padded,
    /// the length mixed in): ids, ARNs and times are tens of bytes and a byte-at-a-time FNV-1a
    /// was the table's main cost.
    package static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = bytes.count
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return hash ^ (hash >> 29) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 32
            offset += 8
        }
        if offset < count {
            var word: UInt64 = 0
            for shift in 0..<(count - offset) { word |= UInt64(base[offset + shift]) << (8 * UInt64(shift)) }
            hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 32
        }
        hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
