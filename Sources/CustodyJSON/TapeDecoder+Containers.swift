extension TapeDecoder {
    /// An object's members, looked up by name: a repeated name is its last occurrence.
    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let tape: JSONTape
        let node: Int
        var codingPath: [any CodingKey] { [] }

        /// Each name once, in the order of the last occurrences.
        var allKeys: [Key] {
            var out: [Key] = []
            var names: [String] = []
            var child = node + 1
            for _ in 0..<tape.nodes[node].count {
                if let name = tape.string(child) { names.append(name) }
                child = Int(tape.nodes[child + 1].next)
            }
            var seen = Set<String>()
            for name in names.reversed() where seen.insert(name).inserted {
                if let key = Key(stringValue: name) { out.append(key) }
            }
            return out.reversed()
        }

        /// The value node of `key` (its last occurrence), or nil.
        func find(_ key: Key) -> Int? { tape.member(node, key.stringValue) }

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
