#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONScanner {
    /// Parses the value at `index` into a tree, checking it as `skipValue` does.
    package mutating func parseValue(depth: Int = 0) throws(JSONScanStop) -> JSONValue {
        guard index < count else { throw ranOut("a value") }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(string(try scanString()))
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"):
            try skipLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try skipLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try skipLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = try scanNumber()
            return .number(Self.number(UnsafeBufferPointer(start: bytes + start, count: index - start)))
        default: throw invalid("expected a value but found \(describe(bytes[index]))")
        }
    }

    /// The value of a checked number literal: the grammar was checked, so it parses; a literal
    /// beyond `Double`'s range becomes ±infinity.
    static func number(_ literal: UnsafeBufferPointer<UInt8>) -> Double {
        Double(String(decoding: literal, as: UTF8.self)) ?? .nan
    }

    /// Parses the object at `index`, at nesting level `depth`; with `names`, only those members
    /// are built and the others are checked and skipped. A repeated name keeps its last value.
    private mutating func parseObject(depth: Int, keeping names: [String]? = nil) throws(JSONScanStop) -> JSONValue {
        // Members are gathered first and the dictionary made at its final size, rather than
        // grown (and rehashed) member by member.
        var pairs: [(String, JSONValue)] = []
        try forEachMember(depth: depth) { scanner, token throws(JSONScanStop) in
            // With `names`, a member not among them has no key and is skipped.
            let key: String? = if let names { scanner.name(token, in: names) } else { scanner.string(token) }
            if let key {
                pairs.append((key, try scanner.parseValue(depth: depth)))
            } else {
                try scanner.skipValue(depth: depth)
            }
        }
        var members = [String: JSONValue](minimumCapacity: pairs.count)
        for (key, value) in pairs { members[key] = value }
        return .object(members)
    }

    private mutating func parseArray(depth: Int) throws(JSONScanStop) -> JSONValue {
        var elements: [JSONValue] = []
        try forEachElement(depth: depth) { scanner throws(JSONScanStop) in
            elements.append(try scanner.parseValue(depth: depth))
        }
        return .array(elements)
    }

    /// Parses the members named in `names` of the object that is the whole text, checking and
    /// skipping the others. A repeated name keeps its last value, as `parseValue` does.
    package static func parseMembers(_ buffer: UnsafeBufferPointer<UInt8>, named names: [String])
        throws(JSONScanStop) -> [String: JSONValue]
    {
        var scanner = JSONScanner(buffer)
        scanner.skipWhitespace()
        guard scanner.index < scanner.count, scanner.bytes[scanner.index] == UInt8(ascii: "{") else {
            throw scanner.invalid("expected an object")
        }
        let value = try scanner.parseObject(depth: 1, keeping: names)
        try scanner.expectEnd()
        guard case .object(let members) = value else { return [:] }
        return members
    }

    /// The entry of `names` that a member name token spells, compared as bytes unless it has escapes.
    private func name(_ token: JSONStringToken, in names: [String]) -> String? {
        if token.hasEscapes {
            let text = string(token)
            return names.first { $0 == text }
        }
        let length = token.end - token.start
        for name in names where name.utf8.count == length {
            var name = name
            let same = name.withUTF8 { utf8 in memcmp(bytes + token.start, utf8.baseAddress!, length) == 0 }
            if same { return name }
        }
        return nil
    }

    /// Parses a whole text holding exactly one value (white space around it allowed).
    package static func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONScanStop) -> JSONValue {
        var scanner = JSONScanner(buffer)
        scanner.skipWhitespace()
        let value = try scanner.parseValue()
        try scanner.expectEnd()
        return value
    }

    /// Checks that nothing but white space follows the value just read.
    package mutating func expectEnd() throws(JSONScanStop) {
        skipWhitespace()
        guard index == count else { throw invalid("unexpected \(describe(bytes[index])) after the value") }
    }
}
