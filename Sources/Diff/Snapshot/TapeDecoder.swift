import CustodyJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON text parsed once into a flat tape of nodes, for decoding many values from it quickly.
///
/// Each node is a value; an object's members follow it as key, value, key, value …, an array's
/// elements follow it, and every node records where the node after its whole subtree is, so a
/// value is skipped in one step. Strings stay bytes until a decoder asks for them. The tape is
/// made only for text that is already known to be JSON (sealed snapshot members, whose archive
/// verified); text it cannot read makes `parse` return nil, and the caller falls back to
/// Foundation's decoder, whose error then says what is wrong.
final class JSONTape: @unchecked Sendable {
    enum Kind: UInt8 {
        case null, boolTrue, boolFalse, number, string, escapedString, object, array
    }

    struct Node {
        var kind: Kind
        /// Strings: the bytes between the quotes; numbers: the literal.
        var start: Int32
        var end: Int32
        /// The node after this one's subtree.
        var next: Int32
        /// Objects: members; arrays: elements.
        var count: Int32
    }

    let bytes: [UInt8]
    let nodes: [Node]

    private init(bytes: [UInt8], nodes: [Node]) {
        self.bytes = bytes
        self.nodes = nodes
    }

    /// The tape of `bytes`, or nil when they are not one JSON value.
    static func parse(_ bytes: [UInt8]) -> JSONTape? {
        // Nodes hold offsets as `Int32`: a larger text is left to Foundation's decoder.
        guard bytes.count < Int(Int32.max) else { return nil }
        var nodes: [Node] = []
        nodes.reserveCapacity(bytes.count / 12)
        let ok = bytes.withUnsafeBufferPointer { buffer -> Bool in
            var parser = Parser(bytes: buffer)
            parser.skipWhitespace()
            guard parser.value(into: &nodes, depth: 0) else { return false }
            parser.skipWhitespace()
            return parser.index == buffer.count
        }
        return ok ? JSONTape(bytes: bytes, nodes: nodes) : nil
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0a, 0x0d, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func value(into nodes: inout [Node], depth: Int) -> Bool {
            guard index < bytes.count, depth < 512 else { return false }
            let at = nodes.count
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let (start, end, escaped) = string() else { return false }
                nodes.append(
                    Node(
                        kind: escaped ? .escapedString : .string, start: Int32(start), end: Int32(end),
                        next: Int32(at + 1), count: 0))
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                // An object's members are key and value, an array's elements values alone.
                let keyed = bytes[index] == UInt8(ascii: "{")
                let close = keyed ? UInt8(ascii: "}") : UInt8(ascii: "]")
                index += 1
                nodes.append(Node(kind: keyed ? .object : .array, start: Int32(index), end: 0, next: 0, count: 0))
                var count: Int32 = 0
                skipWhitespace()
                if index < bytes.count && bytes[index] == close {
                    index += 1
                } else {
                    while true {
                        skipWhitespace()
                        if keyed {
                            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""),
                                value(into: &nodes, depth: depth + 1)
                            else { return false }
                            skipWhitespace()
                            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                            index += 1
                            skipWhitespace()
                        }
                        guard value(into: &nodes, depth: depth + 1) else { return false }
                        count += 1
                        skipWhitespace()
                        guard index < bytes.count else { return false }
                        if bytes[index] == UInt8(ascii: ",") {
                            index += 1
                        } else if bytes[index] == close {
                            index += 1
                            break
                        } else {
                            return false
                        }
                    }
                }
                nodes[at].count = count
                nodes[at].end = Int32(index)
                nodes[at].next = Int32(nodes.count)
            case UInt8(ascii: "t"):
                guard literal("true") else { return false }
                nodes.append(Node(kind: .boolTrue, start: 0, end: 0, next: Int32(at + 1), count: 0))
            case UInt8(ascii: "f"):
                guard literal("false") else { return false }
                nodes.append(Node(kind: .boolFalse, start: 0, end: 0, next: Int32(at + 1), count: 0))
            case UInt8(ascii: "n"):
                guard literal("null") else { return false }
                nodes.append(Node(kind: .null, start: 0, end: 0, next: Int32(at + 1), count: 0))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                        UInt8(ascii: "e"), UInt8(ascii: "E"):
                        index += 1
                        continue
                    default: break
                    }
                    break
                }
                nodes.append(Node(kind: .number, start: Int32(start), end: Int32(index), next: Int32(at + 1), count: 0))
            default:
                return false
            }
            return true
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count, memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else {
                return false
            }
            index += count
            return true
        }

        /// A string at its opening quote: the content's range and whether it has escapes.
        mutating func string() -> (Int, Int, Bool)? {
            let start = index + 1
            var cursor = start
            var escaped = false
            let raw = UnsafeRawPointer(bytes.baseAddress!)
            while cursor < bytes.count {
                // Eight bytes at a time up to the next quote, backslash or control byte (the lowest
                // flagged byte is exact: a borrow only runs upward from a flagged byte).
                while cursor + 8 <= bytes.count {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: cursor, as: UInt64.self))
                    let quote = word ^ 0x2222_2222_2222_2222, backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                    let found =
                        (((quote &- 0x0101_0101_0101_0101) & ~quote)
                            | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
                            | ((word &- 0x2020_2020_2020_2020) & ~word)) & 0x8080_8080_8080_8080
                    if found != 0 {
                        cursor += found.trailingZeroBitCount >> 3
                        break
                    }
                    cursor += 8
                }
                guard cursor < bytes.count else { return nil }
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "\"") {
                    index = cursor + 1
                    return (start, cursor, escaped)
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    cursor += 2
                    continue
                }
                if byte < 0x20 { return nil }
                cursor += 1
            }
            return nil
        }
    }

    // MARK: Reading nodes

    /// The string at `node`, or nil when it is not one.
    func string(_ node: Int) -> String? {
        let n = nodes[node]
        switch n.kind {
        case .string:
            return bytes.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)]), as: UTF8.self)
            }
        case .escapedString:
            return bytes.withUnsafeBufferPointer {
                String(
                    decoding: EventScanner.unescape(UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)])),
                    as: UTF8.self)
            }
        default: return nil
        }
    }

    /// Whether the key node `node` spells `key` (keys with escapes are compared decoded).
    func key(_ node: Int, equals key: String) -> Bool {
        let n = nodes[node]
        if n.kind == .escapedString { return string(node) == key }
        var key = key
        return key.withUTF8 { utf8 in
            let count = Int(n.end - n.start)
            guard utf8.count == count else { return false }
            return count == 0
                || bytes.withUnsafeBufferPointer {
                    memcmp($0.baseAddress! + Int(n.start), utf8.baseAddress!, count) == 0
                }
        }
    }

    /// The number literal at `node`, or nil.
    func literal(_ node: Int) -> String? {
        let n = nodes[node]
        guard n.kind == .number else { return nil }
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)]), as: UTF8.self)
        }
    }

    /// The value at `node` as a tree.
    func value(_ node: Int) -> JSONValue {
        let n = nodes[node]
        switch n.kind {
        case .null: return .null
        case .boolTrue: return .bool(true)
        case .boolFalse: return .bool(false)
        case .number: return .number(literal(node).flatMap(Double.init) ?? .nan)
        case .string, .escapedString: return .string(string(node) ?? "")
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(n.count))
            var child = node + 1
            for _ in 0..<n.count {
                elements.append(value(child))
                child = Int(nodes[child].next)
            }
            return .array(elements)
        case .object:
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(Int(n.count))
            var child = node + 1
            for _ in 0..<n.count {
                let key = string(child) ?? ""
                members[key] = value(child + 1)
                child = Int(nodes[child + 1].next)
            }
            return .object(members)
        }
    }

    /// The bytes of the object or array at `node`, brackets included; nil for other values.
    func span(_ node: Int) -> Range<Int>? {
        let n = nodes[node]
        guard n.kind == .object || n.kind == .array else { return nil }
        return (Int(n.start) - 1)..<Int(n.end)
    }

    /// The elements of the array at `node`.
    func elements(_ node: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(Int(nodes[node].count))
        var child = node + 1
        for _ in 0..<nodes[node].count {
            out.append(child)
            child = Int(nodes[child].next)
        }
        return out
    }
}

/// Decodes `Decodable` values from a `JSONTape`, as Foundation's `JSONDecoder` does with its
/// default strategies, several times faster. Errors carry no coding path: on any error the
/// caller decodes again with Foundation to say where the problem is.
struct TapeDecoder: Decoder {
    let tape: JSONTape
    let node: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes a `T` from the value at `node`.
    static func decode<T: Decodable>(_ type: T.Type, _ tape: JSONTape, _ node: Int) throws -> T {
        switch type {
        case is String.Type:
            guard let value = tape.string(node) else { throw mismatch(type) }
            return value as! T
        case is JSONValue.Type: return tape.value(node) as! T
        case is Bool.Type:
            switch tape.nodes[node].kind {
            case .boolTrue: return true as! T
            case .boolFalse: return false as! T
            default: throw mismatch(type)
            }
        case is Int.Type:
            guard let literal = tape.literal(node), let value = Int(literal) else { throw mismatch(type) }
            return value as! T
        case is Double.Type:
            guard let literal = tape.literal(node), let value = Double(literal) else { throw mismatch(type) }
            return value as! T
        case let decodable as any TapeDecodable.Type:
            return try decodable.init(tape: tape, node: node) as! T
        default:
            return try T(from: TapeDecoder(tape: tape, node: node))
        }
    }

    static func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: [], debugDescription: "not a \(type)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.nodes[node].kind == .object else { throw Self.mismatch([String: Any].self) }
        return KeyedDecodingContainer(Keyed<Key>(tape: tape, node: node))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.nodes[node].kind == .array else { throw Self.mismatch([Any].self) }
        return Unkeyed(tape: tape, node: node)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(tape: tape, node: node) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let tape: JSONTape
        let node: Int
        var codingPath: [any CodingKey] { [] }

        var allKeys: [Key] {
            var out: [Key] = []
            var child = node + 1
            for _ in 0..<tape.nodes[node].count {
                if let name = tape.string(child), let key = Key(stringValue: name) { out.append(key) }
                child = Int(tape.nodes[child + 1].next)
            }
            return out
        }

        /// The value node of `key`, or nil.
        func find(_ key: Key) -> Int? {
            let name = key.stringValue
            var child = node + 1
            for _ in 0..<tape.nodes[node].count {
                if tape.key(child, equals: name) { return child + 1 }
                child = Int(tape.nodes[child + 1].next)
            }
            return nil
        }

        func contains(_ key: Key) -> Bool { find(key) != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard let value = find(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: ""))
            }
            return tape.nodes[value].kind == .null
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let value = find(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: ""))
            }
            return try TapeDecoder.decode(type, tape, value)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let value = find(key), tape.nodes[value].kind != .null else { return nil }
            return try TapeDecoder.decode(type, tape, value)
        }

        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            guard let value = find(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: ""))
            }
            guard let string = tape.string(value) else { throw TapeDecoder.mismatch(type) }
            return string
        }

        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            guard let value = find(key), tape.nodes[value].kind != .null else { return nil }
            guard let string = tape.string(value) else { throw TapeDecoder.mismatch(type) }
            return string
        }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            guard let value = find(key), tape.nodes[value].kind != .null else { return nil }
            return try TapeDecoder.decode(type, tape, value)
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
            guard let value = find(key), tape.nodes[value].kind != .null else { return nil }
            return try TapeDecoder.decode(type, tape, value)
        }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            guard let value = find(key), tape.nodes[value].kind != .null else { return nil }
            return try TapeDecoder.decode(type, tape, value)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            guard let value = find(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: ""))
            }
            return try TapeDecoder(tape: tape, node: value).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            guard let value = find(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: ""))
            }
            return try TapeDecoder(tape: tape, node: value).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { TapeDecoder(tape: tape, node: node) }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            guard let value = find(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: ""))
            }
            return TapeDecoder(tape: tape, node: value)
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let tape: JSONTape
        let node: Int
        var codingPath: [any CodingKey] { [] }
        var count: Int? { Int(tape.nodes[node].count) }
        var currentIndex = 0
        private var cursor: Int

        init(tape: JSONTape, node: Int) {
            self.tape = tape
            self.node = node
            cursor = node + 1
        }

        var isAtEnd: Bool { currentIndex >= Int(tape.nodes[node].count) }

        private mutating func next() throws -> Int {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "at end"))
            }
            let at = cursor
            cursor = Int(tape.nodes[at].next)
            currentIndex += 1
            return at
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "at end"))
            }
            guard tape.nodes[cursor].kind == .null else { return false }
            _ = try next()
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try TapeDecoder.decode(type, tape, try next())
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try TapeDecoder(tape: tape, node: try next()).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try TapeDecoder(tape: tape, node: try next()).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder { TapeDecoder(tape: tape, node: try next()) }
    }

    struct Single: SingleValueDecodingContainer {
        let tape: JSONTape
        let node: Int
        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool { tape.nodes[node].kind == .null }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try TapeDecoder.decode(type, tape, node) }
    }
}

extension TapeDecoder {
    /// Any integer type at `node`.
    static func integer<T: FixedWidthInteger>(_ tape: JSONTape, _ node: Int) throws -> T {
        guard let literal = tape.literal(node), let value = T(literal) else { throw mismatch(T.self) }
        return value
    }

    static func float(_ tape: JSONTape, _ node: Int) throws -> Float {
        guard let literal = tape.literal(node), let value = Float(literal) else { throw mismatch(Float.self) }
        return value
    }
}

extension TapeDecoder.Single {
    func decode(_ type: Bool.Type) throws -> Bool { try TapeDecoder.decode(type, tape, node) }
    func decode(_ type: String.Type) throws -> String { try TapeDecoder.decode(type, tape, node) }
    func decode(_ type: Double.Type) throws -> Double { try TapeDecoder.decode(type, tape, node) }
    func decode(_ type: Float.Type) throws -> Float { try TapeDecoder.float(tape, node) }
    func decode(_ type: Int.Type) throws -> Int { try TapeDecoder.integer(tape, node) }
    func decode(_ type: Int8.Type) throws -> Int8 { try TapeDecoder.integer(tape, node) }
    func decode(_ type: Int16.Type) throws -> Int16 { try TapeDecoder.integer(tape, node) }
    func decode(_ type: Int32.Type) throws -> Int32 { try TapeDecoder.integer(tape, node) }
    func decode(_ type: Int64.Type) throws -> Int64 { try TapeDecoder.integer(tape, node) }
    func decode(_ type: UInt.Type) throws -> UInt { try TapeDecoder.integer(tape, node) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try TapeDecoder.integer(tape, node) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try TapeDecoder.integer(tape, node) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try TapeDecoder.integer(tape, node) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try TapeDecoder.integer(tape, node) }
}
