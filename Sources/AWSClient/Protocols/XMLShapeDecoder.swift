import Foundation

/// CodingKeys of generated shapes say which list members are flattened (repeated elements with the member's own
/// name, as S3 writes `Contents`) rather than wrapped (`<Users><member>…</member></Users>`).
protocol AWSShapeCodingKeys: CodingKey {
    static var flattened: Set<String> { get }
}

/// Decodes a shape from an AWS XML answer: element children by wire name, wrapped lists from any child element
/// (`member` for Query, `item` for EC2), flattened lists from repeated elements, timestamps, base64 blobs and
/// URL-encoded policy documents from text.
enum XMLShapeDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from node: XMLNode) throws -> T {
        try value(type, node: node, path: [])
    }

    static func value<T: Decodable>(_ type: T.Type, node: XMLNode, path: [any CodingKey]) throws -> T {
        let text = node.text.trimmingCharacters(in: .whitespacesAndNewlines)
        func mismatch() -> DecodingError {
            DecodingError.typeMismatch(
                T.self, .init(codingPath: path, debugDescription: "'\(text)' is not a \(T.self)."))
        }
        switch type {
        case is String.Type: return node.text as! T
        case is Int.Type:
            guard let value = Int(text) else { throw mismatch() }
            return value as! T
        case is Int64.Type:
            guard let value = Int64(text) else { throw mismatch() }
            return value as! T
        case is Double.Type:
            guard let value = Double(text) else { throw mismatch() }
            return value as! T
        case is Bool.Type:
            switch text.lowercased() {
            case "true": return true as! T
            case "false": return false as! T
            default: throw mismatch()
            }
        case is Date.Type:
            guard let value = Timestamps.parse(text) else { throw mismatch() }
            return value as! T
        case is Data.Type:
            guard let value = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { throw mismatch() }
            return value as! T
        case is PolicyDocument.Type:
            return PolicyDocument(encoded: text) as! T
        default:
            return try T(from: NodeDecoder(node: node, codingPath: path))
        }
    }
}

private struct NodeDecoder: Decoder {
    let node: XMLNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedNodeContainer(items: node.children, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: XMLNode
    let codingPath: [any CodingKey]

    var allKeys: [Key] { node.children.compactMap { Key(stringValue: $0.name) } }

    private func isFlattened(_ key: Key) -> Bool {
        (Key.self as? any AWSShapeCodingKeys.Type)?.flattened.contains(key.stringValue) ?? false
    }

    func contains(_ key: Key) -> Bool { node.children.contains { $0.name == key.stringValue } }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let path = codingPath + [key]
        if isFlattened(key) {
            let items = node.children.filter { $0.name == key.stringValue }
            return try XMLShapeDecoder.value(type, node: XMLNode(name: key.stringValue, children: items), path: path)
        }
        guard let child = node.child(key.stringValue) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No <\(key.stringValue)>."))
        }
        return try XMLShapeDecoder.value(type, node: child, path: path)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decode(Double.self, key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { Int8(try decode(Int.self, key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { Int16(try decode(Int.self, key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { Int32(try decode(Int.self, key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { UInt(try decode(Int.self, key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { UInt8(try decode(Int.self, key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { UInt16(try decode(Int.self, key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { UInt32(try decode(Int.self, key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { UInt64(try decode(Int64.self, key)) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        guard let child = node.child(key.stringValue) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No <\(key.stringValue)>."))
        }
        return try XMLShapeDecoder.value(type, node: child, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let child = node.child(key.stringValue) ?? XMLNode(name: key.stringValue)
        return KeyedDecodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let child = node.child(key.stringValue) ?? XMLNode(name: key.stringValue)
        return UnkeyedNodeContainer(items: child.children, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder { NodeDecoder(node: node, codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(node: node.child(key.stringValue) ?? XMLNode(name: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) {
        stringValue = "\(index)"
        intValue = index
    }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let items: [XMLNode]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [XMLNode], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "No more items."))
        }
        let value = try XMLShapeDecoder.value(
            type, node: items[currentIndex], path: codingPath + [IndexKey(currentIndex)])
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let node = items[currentIndex]
        currentIndex += 1
        return KeyedDecodingContainer(KeyedNodeContainer<NestedKey>(node: node, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let node = items[currentIndex]
        currentIndex += 1
        return UnkeyedNodeContainer(items: node.children, codingPath: codingPath)
    }

    mutating func superDecoder() throws -> any Decoder {
        let node = items[currentIndex]
        currentIndex += 1
        return NodeDecoder(node: node, codingPath: codingPath)
    }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
    let node: XMLNode
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try XMLShapeDecoder.value(type, node: node, path: codingPath)
    }
}
