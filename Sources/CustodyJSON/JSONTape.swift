#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON text parsed once into a flat tape of nodes, for decoding many values from it quickly.
///
/// Each node is a value; an object's members follow it as key, value, key, value …, an array's
/// elements follow it, and every node records where the node after its whole subtree is, so a
/// value is skipped in one step. Strings stay bytes until a decoder asks for them.
///
/// The tape is written by `JSONScanner`, so it holds only text that scanner accepts and reads it
/// by the same rules: the same depth limit, the same escapes, and a repeated member name
/// standing for its LAST value wherever a member is looked up (`member(_:_:)`, `TapeObject`,
/// `TapeDecoder`, `value(_:)`). Text it cannot read makes `parse` return nil.
package final class JSONTape: @unchecked Sendable {
    /// What a node is.
    package enum Kind: UInt8, Sendable {
        case null, boolTrue, boolFalse, number, string, escapedString, object, array
    }

    /// One value of the text.
    package struct Node: Sendable {
        /// What the value is.
        package var kind: Kind
        /// Strings: the first byte after the opening quote; numbers: the literal's first byte;
        /// objects and arrays: the first byte after the opening bracket.
        package var start: Int32
        /// Strings: the closing quote; numbers: the byte after the literal; objects and arrays:
        /// the byte after the closing bracket.
        package var end: Int32
        /// The node after this one's subtree.
        package var next: Int32
        /// Objects: members; arrays: elements.
        package var count: Int32
    }

    /// The text.
    package let bytes: [UInt8]
    /// Its values, the outermost first.
    package let nodes: [Node]

    private init(bytes: [UInt8], nodes: [Node]) {
        self.bytes = bytes
        self.nodes = nodes
    }

    /// The tape of `bytes`, or nil when they are not one JSON value (white space around it allowed).
    package static func parse(_ bytes: [UInt8]) -> JSONTape? {
        // Nodes hold offsets as `Int32`: a larger text is left to other readers.
        guard bytes.count < Int(Int32.max) else { return nil }
        var nodes: [Node] = []
        nodes.reserveCapacity(bytes.count / 12)
        let ok = bytes.withUnsafeBufferPointer { buffer -> Bool in
            var scanner = JSONScanner(buffer)
            do throws(JSONScanStop) {
                scanner.skipWhitespace()
                try scanner.appendValue(to: &nodes, depth: 0)
                try scanner.expectEnd()
                return true
            } catch {
                return false
            }
        }
        return ok ? JSONTape(bytes: bytes, nodes: nodes) : nil
    }

    // MARK: Reading nodes

    /// The string at `node`, or nil when it is not one.
    package func string(_ node: Int) -> String? {
        let n = nodes[node]
        switch n.kind {
        case .string:
            return bytes.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)]), as: UTF8.self)
            }
        case .escapedString:
            return bytes.withUnsafeBufferPointer {
                String(
                    decoding: JSONEscape.decode(UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)])),
                    as: UTF8.self)
            }
        default: return nil
        }
    }

    /// Whether the key node `node` spells `key` (keys with escapes are compared decoded).
    package func key(_ node: Int, equals key: String) -> Bool {
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

    /// The value node of member `name` of the object at `node`: its last occurrence; nil when
    /// the object lacks it or `node` is no object.
    package func member(_ node: Int, _ name: String) -> Int? {
        guard nodes[node].kind == .object else { return nil }
        var found: Int?
        var child = node + 1
        for _ in 0..<nodes[node].count {
            if key(child, equals: name) { found = child + 1 }
            child = Int(nodes[child + 1].next)
        }
        return found
    }

    /// The number literal at `node`, or nil.
    package func literal(_ node: Int) -> String? {
        let n = nodes[node]
        guard n.kind == .number else { return nil }
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)]), as: UTF8.self)
        }
    }

    /// The value at `node` as a tree, as `JSONScanner.parseValue` makes it.
    package func value(_ node: Int) -> JSONValue {
        let n = nodes[node]
        switch n.kind {
        case .null: return .null
        case .boolTrue: return .bool(true)
        case .boolFalse: return .bool(false)
        case .number:
            return bytes.withUnsafeBufferPointer {
                .number(JSONScanner.number(UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)])))
            }
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
                // A repeated name: the later member replaces the earlier one.
                members[string(child) ?? ""] = value(child + 1)
                child = Int(nodes[child + 1].next)
            }
            return .object(members)
        }
    }

    /// The bytes of the object or array at `node`, brackets included; nil for other values.
    package func span(_ node: Int) -> Range<Int>? {
        let n = nodes[node]
        guard n.kind == .object || n.kind == .array else { return nil }
        return (Int(n.start) - 1)..<Int(n.end)
    }

    /// The element nodes of the array at `node`, which must be one.
    package func elements(_ node: Int) -> Elements {
        precondition(nodes[node].kind == .array, "elements of a node that is no array")
        return Elements(tape: self, first: node + 1, count: Int(nodes[node].count))
    }

    /// The elements of the array at `node`, each made by `element`.
    /// - Throws: a type mismatch when `node` is not an array, or what `element` throws.
    package func list<T>(_ node: Int, _ element: (Int) throws -> T) throws -> [T] {
        guard nodes[node].kind == .array else { throw TapeDecoder.mismatch([T].self) }
        return try elements(node).map(element)
    }
}
