#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The members of one object, found in one pass over it: for each looked-for name, the value
/// node of its last occurrence (as `TapeDecoder` finds it), or nil. Written for
/// `TapeDecodable.init(tape:node:)`: slot `i` is `names[i]`. Lists and optional objects are
/// decoded by the caller, from `elements(_:)` and `present(_:)`, so that the loop is compiled
/// for the element's type in the caller's module (code generic over it would not be, across
/// modules).
package struct TapeObject {
    /// The tape.
    package let tape: JSONTape
    private var values: [Int32]

    /// Reads the object at `node`, looking for `names`.
    /// - Throws: a type mismatch when `node` is not an object.
    package init(_ tape: JSONTape, _ node: Int, _ names: [StaticString]) throws {
        self.tape = tape
        let object = tape.nodes[node]
        guard object.kind == .object else { throw TapeDecoder.mismatch([String: Any].self) }
        values = [Int32](repeating: -1, count: names.count)
        var child = node + 1
        tape.bytes.withUnsafeBufferPointer { bytes in
            for _ in 0..<object.count {
                let key = tape.nodes[child]
                if key.kind == .escapedString {
                    let text = tape.string(child)
                    if let slot = names.firstIndex(where: { $0.description == text }) {
                        values[slot] = Int32(child + 1)
                    }
                } else {
                    let count = Int(key.end - key.start)
                    for (slot, name) in names.enumerated()
                    where name.utf8CodeUnitCount == count
                        && (count == 0 || memcmp(bytes.baseAddress! + Int(key.start), name.utf8Start, count) == 0)
                    {
                        values[slot] = Int32(child + 1)
                        break
                    }
                }
                child = Int(tape.nodes[child + 1].next)
            }
        }
    }

    /// The value node of name `slot`, or nil when the object lacks it.
    package func node(_ slot: Int) -> Int? { values[slot] < 0 ? nil : Int(values[slot]) }

    /// The value node of name `slot` unless it is missing or null, as `decodeIfPresent` reads it.
    package func present(_ slot: Int) -> Int? {
        guard let node = node(slot), tape.nodes[node].kind != .null else { return nil }
        return node
    }

    /// A required member's node.
    /// - Throws: `DecodingError.keyNotFound` when the object lacks it.
    package func required(_ slot: Int) throws -> Int {
        guard let node = node(slot) else {
            throw DecodingError.keyNotFound(
                TapeCodingKey(slot: slot), .init(codingPath: [], debugDescription: "a required member is missing"))
        }
        return node
    }

    /// A required string.
    package func string(_ slot: Int) throws -> String {
        guard let value = tape.string(try required(slot)) else { throw TapeDecoder.mismatch(String.self) }
        return value
    }

    /// A string that may be missing or null.
    package func optionalString(_ slot: Int) throws -> String? {
        guard let node = present(slot) else { return nil }
        guard let value = tape.string(node) else { throw TapeDecoder.mismatch(String.self) }
        return value
    }

    /// A required boolean.
    package func bool(_ slot: Int) throws -> Bool { try TapeDecoder.decode(Bool.self, tape, try required(slot)) }

    /// An integer that may be missing or null.
    package func optionalInt(_ slot: Int) throws -> Int? {
        try present(slot).map { try TapeDecoder.decode(Int.self, tape, $0) }
    }

    /// A required value of any type, as a tree.
    package func value(_ slot: Int) throws -> JSONValue { tape.value(try required(slot)) }

    /// The element nodes of a required list, for the caller to decode
    /// (`try o.elements(slot).map { try T(tape: o.tape, node: $0) }`).
    /// - Throws: `DecodingError` when the member is missing or not an array.
    package func elements(_ slot: Int) throws -> JSONTape.Elements {
        let node = try required(slot)
        guard tape.nodes[node].kind == .array else { throw TapeDecoder.mismatch([Any].self) }
        return tape.elements(node)
    }

    /// A required list of strings.
    package func strings(_ slot: Int) throws -> [String] {
        try tape.list(try required(slot)) { node in
            guard let value = tape.string(node) else { throw TapeDecoder.mismatch(String.self) }
            return value
        }
    }
}

/// The key a missing member's error names.
struct TapeCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(slot: Int) {
        stringValue = "member \(slot)"
        intValue = slot
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.intValue = intValue
        stringValue = String(intValue)
    }
}
