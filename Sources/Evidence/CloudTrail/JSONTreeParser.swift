import CustodyJSON
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONScanner {
    /// Parses the value at `index` into a tree, checking it as `skipValue` does.
    mutating func parseValue(depth: Int = 0) throws(JSONScanStop) -> JSONValue {
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
            let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: index - start), as: UTF8.self)
            // The grammar was checked, so this parses; a literal beyond Double's range becomes ±infinity.
            return .number(Double(text) ?? .nan)
        default: throw invalid("expected a value but found \(describe(bytes[index]))")
        }
    }

    /// Parses the object at `index`; with `names`, only those members are built and the others
    /// are checked and skipped.
    private mutating func parseObject(depth: Int, keeping names: [String]? = nil) throws(JSONScanStop) -> JSONValue {
        guard depth <= JSONScanner.maximumDepth else {
            throw invalid("values are nested deeper than \(JSONScanner.maximumDepth) levels")
        }
        // Members are gathered first and the dictionary made at its final size, rather than
        // grown (and rehashed) member by member.
        var pairs: [(String, JSONValue)] = []
        func object() -> JSONValue {
            var members = [String: JSONValue](minimumCapacity: pairs.count)
            for (key, value) in pairs { members[key] = value }
            return .object(members)
        }
        index += 1
        skipWhitespace()
        guard index < count else { throw ranOut("an object") }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        while true {
            guard index < count else { throw ranOut("an object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw invalid("expected a member name in quotes but found \(describe(bytes[index]))")
            }
            let token = try scanString()
            // With `names`, a member not among them has no key and is skipped.
            let key: String? = if let names { name(token, in: names) } else { string(token) }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "after a member name")
            skipWhitespace()
            // A repeated name keeps its last value, as JavaScript and Python do.
            if let key {
                pairs.append((key, try parseValue(depth: depth)))
            } else {
                try skipValue(depth: depth)
            }
            skipWhitespace()
            guard index < count else { throw ranOut("an object") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return object()
            default: throw invalid("expected ',' or '}' in an object but found \(describe(bytes[index]))")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONScanStop) -> JSONValue {
        guard depth <= JSONScanner.maximumDepth else {
            throw invalid("values are nested deeper than \(JSONScanner.maximumDepth) levels")
        }
        var elements: [JSONValue] = []
        index += 1
        skipWhitespace()
        guard index < count else { throw ranOut("an array") }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < count else { throw ranOut("an array") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw invalid("expected ',' or ']' in an array but found \(describe(bytes[index]))")
            }
        }
    }

    /// Parses the members named in `names` of the object that is the whole text, checking and
    /// skipping the others. A repeated name keeps its last value, as `parseValue` does.
    static func parseMembers(_ buffer: UnsafeBufferPointer<UInt8>, named names: [String]) throws(JSONScanStop)
        -> [String: JSONValue]
    {
        var scanner = JSONScanner(buffer)
        scanner.skipWhitespace()
        guard scanner.index < scanner.count, scanner.bytes[scanner.index] == UInt8(ascii: "{") else {
            throw scanner.invalid("expected an object")
        }
        let value = try scanner.parseObject(depth: 1, keeping: names)
        scanner.skipWhitespace()
        guard scanner.index == scanner.count else {
            throw scanner.invalid("unexpected \(scanner.describe(scanner.bytes[scanner.index])) after the value")
        }
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
    static func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONScanStop) -> JSONValue {
        var scanner = JSONScanner(buffer)
        scanner.skipWhitespace()
        let value = try scanner.parseValue()
        scanner.skipWhitespace()
        guard scanner.index == scanner.count else {
            throw scanner.invalid("unexpected \(scanner.describe(scanner.bytes[scanner.index])) after the value")
        }
        return value
    }
}
