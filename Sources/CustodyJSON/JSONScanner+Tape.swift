extension JSONScanner {
    /// Checks the value at `index` as `skipValue` does and appends its nodes to `nodes` (the
    /// value, then its members or elements); `depth` is the nesting level of its container.
    mutating func appendValue(to nodes: inout [JSONTape.Node], depth: Int) throws(JSONScanStop) {
        guard index < count else { throw ranOut("a value") }
        let at = nodes.count
        func leaf(_ kind: JSONTape.Kind, _ start: Int, _ end: Int) {
            nodes.append(JSONTape.Node(kind: kind, start: Int32(start), end: Int32(end), next: Int32(at + 1), count: 0))
        }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let token = try scanString()
            leaf(token.hasEscapes ? .escapedString : .string, token.start, token.end)
        case UInt8(ascii: "{"):
            nodes.append(JSONTape.Node(kind: .object, start: Int32(index + 1), end: 0, next: 0, count: 0))
            var members: Int32 = 0
            try forEachMember(depth: depth + 1) { scanner, key throws(JSONScanStop) in
                nodes.append(
                    JSONTape.Node(
                        kind: key.hasEscapes ? .escapedString : .string, start: Int32(key.start), end: Int32(key.end),
                        next: Int32(nodes.count + 1), count: 0))
                try scanner.appendValue(to: &nodes, depth: depth + 1)
                members += 1
            }
            nodes[at].count = members
            nodes[at].end = Int32(index)
            nodes[at].next = Int32(nodes.count)
        case UInt8(ascii: "["):
            nodes.append(JSONTape.Node(kind: .array, start: Int32(index + 1), end: 0, next: 0, count: 0))
            var elements: Int32 = 0
            try forEachElement(depth: depth + 1) { scanner throws(JSONScanStop) in
                try scanner.appendValue(to: &nodes, depth: depth + 1)
                elements += 1
            }
            nodes[at].count = elements
            nodes[at].end = Int32(index)
            nodes[at].next = Int32(nodes.count)
        case UInt8(ascii: "t"):
            try skipLiteral("true")
            leaf(.boolTrue, 0, 0)
        case UInt8(ascii: "f"):
            try skipLiteral("false")
            leaf(.boolFalse, 0, 0)
        case UInt8(ascii: "n"):
            try skipLiteral("null")
            leaf(.null, 0, 0)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = try scanNumber()
            leaf(.number, start, index)
        default: throw invalid("expected a value but found \(describe(bytes[index]))")
        }
    }
}
