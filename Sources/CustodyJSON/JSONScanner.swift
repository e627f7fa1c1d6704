/// The one JSON tokenizer of Custody: a validating scanner over bytes in memory (RFC 8259:
/// UTF-8, no comments, no NaN), on which every reader of JSON text is built — the CloudTrail
/// reader, the tree parser (`parseDocument`), the snapshot tape (`JSONTape`) and the scans of a
/// record's members.
///
/// It checks every byte and builds nothing, so finding where a record ends costs one pass. When
/// the bytes run out inside a value it stops with `needMore`, unless `atEnd` says no more input
/// will come, in which case the text is truncated; a caller that reads a stream scans again from
/// the value's start once more bytes are in (the scanner holds no other state than `index`).
///
/// Rules every reader built on it shares:
/// - Nesting: at most `maximumDepth` objects and arrays inside one another.
/// - A repeated member name: the LAST occurrence wins, as Python's `json`, `jq` and JavaScript
///   read it. (Foundation's `JSONDecoder` keeps the first; it is used only where this scanner's
///   readers give up, to say what is wrong.)
/// - Escapes are decoded by `JSONEscape`; a lone UTF-16 surrogate (`\uD800` not followed by a
///   low one, or a low one alone) becomes U+FFFD.
package struct JSONScanner {
    /// The bytes.
    package let bytes: UnsafePointer<UInt8>
    /// How many there are.
    package let count: Int
    /// Whether the input ends with these bytes.
    package let atEnd: Bool
    /// The next byte to read.
    package var index = 0

    /// Deeper nesting than this is refused rather than risking the stack; CloudTrail nests a few
    /// dozen levels, a snapshot fewer than ten.
    package static let maximumDepth = 512

    /// A scanner of `count` bytes at `bytes`; `atEnd` says whether more input may follow them.
    package init(bytes: UnsafePointer<UInt8>, count: Int, atEnd: Bool) {
        self.bytes = bytes
        self.count = count
        self.atEnd = atEnd
    }

    /// A scanner of `buffer`, the whole input unless `atEnd` says otherwise.
    package init(_ buffer: UnsafeBufferPointer<UInt8>, atEnd: Bool = true) {
        // An empty buffer may have no base address; any valid pointer will do since nothing is read.
        self.init(bytes: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: buffer.count, atEnd: atEnd)
    }

    // MARK: - Pieces

    /// The stop for running out of bytes inside `what`.
    package func ranOut(_ what: String) -> JSONScanStop {
        atEnd ? .invalid("the text ends inside \(what)", at: index) : .needMore
    }

    /// The stop for text that is not JSON at `index`.
    package func invalid(_ reason: String) -> JSONScanStop { .invalid(reason, at: index) }

    /// A byte for messages: the character, or its code for control and non-ASCII bytes.
    package func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7f { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// Moves past spaces, tabs and line ends.
    @inline(__always)
    package mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x0a, 0x0d, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte`, which must come next.
    @inline(__always)
    package mutating func expect(_ byte: UInt8, _ what: String) throws(JSONScanStop) {
        guard index < count else { throw ranOut(what) }
        guard bytes[index] == byte else {
            throw invalid("expected '\(Character(Unicode.Scalar(byte)))' \(what) but found \(describe(bytes[index]))")
        }
        index += 1
    }

    /// Refuses an object or array at nesting level `depth` (the outermost is 1) beyond `maximumDepth`.
    @inline(__always)
    package func checkDepth(_ depth: Int) throws(JSONScanStop) {
        guard depth <= JSONScanner.maximumDepth else {
            throw invalid("values are nested deeper than \(JSONScanner.maximumDepth) levels")
        }
    }

    // MARK: - Containers

    /// Reads the object at `index` (its opening brace), at nesting level `depth`, handing each
    /// member to `member`: the scanner stands at the value (white space skipped, possibly past
    /// the last byte) and `member` must consume it, with `skipValue(depth: depth)` if nothing else.
    /// Members come in the order written, so keeping the last of a repeated name is keeping the
    /// one seen last. Nothing is allocated.
    package mutating func forEachMember(
        depth: Int, _ member: (inout JSONScanner, JSONStringToken) throws(JSONScanStop) -> Void
    ) throws(JSONScanStop) {
        try checkDepth(depth)
        index += 1
        skipWhitespace()
        guard index < count else { throw ranOut("an object") }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            guard index < count else { throw ranOut("an object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw invalid("expected a member name in quotes but found \(describe(bytes[index]))")
            }
            let key = try scanString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "after a member name")
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            guard index < count else { throw ranOut("an object") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw invalid("expected ',' or '}' in an object but found \(describe(bytes[index]))")
            }
        }
    }

    /// Reads the array at `index` (its opening bracket), at nesting level `depth`, handing each
    /// element to `element`, which must consume it as `forEachMember`'s `member` does.
    package mutating func forEachElement(
        depth: Int, _ element: (inout JSONScanner) throws(JSONScanStop) -> Void
    ) throws(JSONScanStop) {
        try checkDepth(depth)
        index += 1
        skipWhitespace()
        guard index < count else { throw ranOut("an array") }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard index < count else { throw ranOut("an array") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return
            default: throw invalid("expected ',' or ']' in an array but found \(describe(bytes[index]))")
            }
        }
    }

    // MARK: - Values

    /// Skips one value, checking it; `depth` is the nesting level of the container holding it (0 at the top).
    package mutating func skipValue(depth: Int) throws(JSONScanStop) {
        guard index < count else { throw ranOut("a value") }
        switch bytes[index] {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "{"):
            try forEachMember(depth: depth + 1) { scanner, _ throws(JSONScanStop) in
                try scanner.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            try forEachElement(depth: depth + 1) { scanner throws(JSONScanStop) in
                try scanner.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        default: throw invalid("expected a value but found \(describe(bytes[index]))")
        }
    }

    /// Consumes `literal` (`true`, `false` or `null`), which must come next.
    package mutating func skipLiteral(_ literal: StaticString) throws(JSONScanStop) {
        let length = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        for offset in 0..<length {
            guard index + offset < count else {
                index += offset
                throw ranOut("'\(literal)'")
            }
            guard bytes[index + offset] == text[offset] else {
                index += offset
                throw invalid("expected '\(literal)' but found \(describe(bytes[index]))")
            }
        }
        index += length
    }

    /// Checks a number and returns where it starts; `index` ends after it.
    package mutating func scanNumber() throws(JSONScanStop) -> Int {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count else { throw ranOut("a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < count && isDigit(bytes[index]) { index += 1 }
        } else {
            throw invalid("expected a digit but found \(describe(bytes[index]))")
        }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count else { throw ranOut("a number") }
            guard isDigit(bytes[index]) else {
                throw invalid("expected a digit after '.' but found \(describe(bytes[index]))")
            }
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            guard index < count else { throw ranOut("a number") }
            if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count else { throw ranOut("a number") }
            guard isDigit(bytes[index]) else {
                throw invalid("expected a digit in an exponent but found \(describe(bytes[index]))")
            }
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        // A number that touches the end of the bytes may go on in the next chunk.
        if index == count && !atEnd { throw JSONScanStop.needMore }
        return start
    }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
