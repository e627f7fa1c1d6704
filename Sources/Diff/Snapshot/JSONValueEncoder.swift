import CustodyJSON

/// Encodes any `Encodable` straight into a `JSONValue`, without text in between: the diff turns
/// only the entities that changed into trees, and this keeps that cheap.
enum JSONValueEncoder {
    /// The value's JSON tree (`null` if it cannot be encoded).
    static func encode(_ value: some Encodable) -> JSONValue {
        let box = Box()
        let encoder = TreeEncoder(box: box, codingPath: [])
        do {
            try value.encode(to: encoder)
        } catch {
            return .null
        }
        return box.resolve()
    }

    /// A node being built.
    final class Box {
        var value: JSONValue = .null
        var object: [String: Box]?
        var array: [Box]?

        func resolve() -> JSONValue {
            if let object { return .object(object.mapValues { $0.resolve() }) }
            if let array { return .array(array.map { $0.resolve() }) }
            return value
        }
    }

    struct TreeEncoder: Encoder {
        let box: Box
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if box.object == nil { box.object = [:] }
            return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if box.array == nil { box.array = [] }
            return Unkeyed(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(box: box, codingPath: codingPath) }
    }

    static func leaf(_ value: some Encodable) throws -> Box {
        let box = Box()
        switch value {
        case let value as String: box.value = .string(value)
        case let value as Bool: box.value = .bool(value)
        case let value as Int: box.value = .number(Double(value))
        case let value as Int64: box.value = .number(Double(value))
        case let value as Double: box.value = .number(value)
        case let value as JSONValue: box.value = value
        default:
            try value.encode(to: TreeEncoder(box: box, codingPath: []))
            box.value = box.resolve()
            box.object = nil
            box.array = nil
        }
        return box
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { box.object?[key.stringValue] = Box() }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            box.object?[key.stringValue] = try leaf(value)
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) }
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = Box()
            child.object = [:]
            box.object?[key.stringValue] = child
            return KeyedEncodingContainer(Keyed<NestedKey>(box: child, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Box()
            child.array = []
            box.object?[key.stringValue] = child
            return Unkeyed(box: child, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(box: box, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Box()
            box.object?[key.stringValue] = child
            return TreeEncoder(box: child, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey]
        var count: Int { box.array?.count ?? 0 }

        mutating func encodeNil() throws { box.array?.append(Box()) }
        mutating func encode<T: Encodable>(_ value: T) throws { box.array?.append(try leaf(value)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = Box()
            child.object = [:]
            box.array?.append(child)
            return KeyedEncodingContainer(Keyed<NestedKey>(box: child, codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Box()
            child.array = []
            box.array?.append(child)
            return Unkeyed(box: child, codingPath: codingPath)
        }
        mutating func superEncoder() -> any Encoder {
            let child = Box()
            box.array?.append(child)
            return TreeEncoder(box: child, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey]

        mutating func encodeNil() throws { box.value = .null }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let leafBox = try leaf(value)
            box.value = leafBox.resolve()
        }
    }
}

extension JSONValueEncoder.Box {
    /// The final tree of a top-level box.
    var tree: JSONValue { resolve() }
}
