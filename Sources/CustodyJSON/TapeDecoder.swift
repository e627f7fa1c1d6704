/// Decodes `Decodable` values from a `JSONTape`, as Foundation's `JSONDecoder` does with its
/// default strategies, several times faster, but by the tape's rules: a repeated member is read
/// at its last occurrence (`JSONDecoder` takes the first). Errors carry no coding path: on any
/// error the caller decodes again with Foundation to say where the problem is.
package struct TapeDecoder: Decoder {
    /// The tape.
    package let tape: JSONTape
    /// The node decoded.
    package let node: Int
    /// Always empty: errors carry no path.
    package var codingPath: [any CodingKey] { [] }
    /// Always empty.
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// A decoder of the value at `node`.
    package init(tape: JSONTape, node: Int) {
        self.tape = tape
        self.node = node
    }

    /// Decodes a `T` from the value at `node`.
    package static func decode<T: Decodable>(_ type: T.Type, _ tape: JSONTape, _ node: Int) throws -> T {
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

    /// The error for a value of another type than `type`.
    package static func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: [], debugDescription: "not a \(type)"))
    }

    /// The object at `node`.
    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.nodes[node].kind == .object else { throw Self.mismatch([String: Any].self) }
        return KeyedDecodingContainer(Keyed<Key>(tape: tape, node: node))
    }

    /// The array at `node`.
    package func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.nodes[node].kind == .array else { throw Self.mismatch([Any].self) }
        return Unkeyed(tape: tape, node: node)
    }

    /// The value at `node`.
    package func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(tape: tape, node: node) }
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
