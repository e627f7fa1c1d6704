#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a scan stopped before the end of a value.
enum JSONScanStop: Error {
    /// The bytes end before the value does, and more input may follow.
    case needMore
    /// The text is not JSON: what is wrong, and the offset from the scanner's first byte.
    case invalid(String, at: Int)
}

/// A string token: the bytes between its quotes.
struct JSONStringToken {
    /// Offset of the first byte after the opening quote.
    var start: Int
    /// Offset of the closing quote.
    var end: Int
    /// Whether a backslash occurs, so the bytes need decoding.
    var hasEscapes: Bool
}

/// A validating JSON scanner over bytes in memory (RFC 8259: UTF-8, no comments, no NaN).
///
/// It checks every byte and builds nothing, so finding where a record ends costs one pass. When
/// the bytes run out inside a value it stops with `needMore`, unless `atEnd` says no more input
/// will come, in which case the text is truncated. Nesting is limited to `maximumDepth`.
struct JSONScanner {
    /// The bytes.
    let bytes: UnsafePointer<UInt8>
    /// How many there are.
    let count: Int
    /// Whether the input ends with these bytes.
    let atEnd: Bool
    /// The next byte to read.
    var index = 0

    /// Deeper nesting than this is refused rather than risking the stack; CloudTrail nests a few dozen levels.
    static let maximumDepth = 512

    init(bytes: UnsafePointer<UInt8>, count: Int, atEnd: Bool) {
        self.bytes = bytes
        self.count = count
        self.atEnd = atEnd
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>, atEnd: Bool = true) {
        // An empty buffer may have no base address; any valid pointer will do since nothing is read.
        self.init(bytes: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: buffer.count, atEnd: atEnd)
    }

    // MARK: - Pieces

    /// The stop for running out of bytes inside `what`.
    func ranOut(_ what: String) -> JSONScanStop {
        atEnd ? .invalid("the text ends inside \(what)", at: index) : .needMore
    }

    func invalid(_ reason: String) -> JSONScanStop { .invalid(reason, at: index) }

    /// A byte for messages: the character, or its code for control and non-ASCII bytes.
    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7f { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x0a, 0x0d, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte`, which must come next.
    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONScanStop) {
        guard index < count else { throw ranOut(what) }
        guard bytes[index] == byte else {
            throw invalid("expected '\(Character(Unicode.Scalar(byte)))' \(what) but found \(describe(bytes[index]))")
        }
        index += 1
    }

    // MARK: - Values

    /// Skips one value, checking it.
    mutating func skipValue(depth: Int) throws(JSONScanStop) {
        guard index < count else { throw ranOut("a value") }
        switch bytes[index] {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "{"): try skipObject(depth: depth + 1)
        case UInt8(ascii: "["): try skipArray(depth: depth + 1)
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        default: throw invalid("expected a value but found \(describe(bytes[index]))")
        }
    }

    mutating func skipObject(depth: Int) throws(JSONScanStop) {
        guard depth <= JSONScanner.maximumDepth else {
            throw invalid("values are nested deeper than \(JSONScanner.maximumDepth) levels")
        }
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
            _ = try scanString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "after a member name")
            skipWhitespace()
            try skipValue(depth: depth)
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

    mutating func skipArray(depth: Int) throws(JSONScanStop) {
        guard depth <= JSONScanner.maximumDepth else {
            throw invalid("values are nested deeper than \(JSONScanner.maximumDepth) levels")
        }
        index += 1
        skipWhitespace()
        guard index < count else { throw ranOut("an array") }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try skipValue(depth: depth)
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

    mutating func skipLiteral(_ literal: StaticString) throws(JSONScanStop) {
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
    mutating func scanNumber() throws(JSONScanStop) -> Int {
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

    /// How many bytes of `word` (eight string bytes, the first lowest) come before the first quote,
    /// backslash, control or non-ASCII byte: 8 when there is none. The lowest flagged byte is
    /// exact, since a borrow only runs upward from a flagged byte.
    @inline(__always) static func plainBytes(_ word: UInt64) -> Int {
        let quote = word ^ 0x2222_2222_2222_2222
        let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
        let special =
            ((quote &- 0x0101_0101_0101_0101) & ~quote) | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
            | (word &- 0x2020_2020_2020_2020) | word
        return (special & 0x8080_8080_8080_8080).trailingZeroBitCount >> 3
    }

    /// Checks a string (at its opening quote) and returns its extent; `index` ends after the closing quote.
    mutating func scanString() throws(JSONScanStop) -> JSONStringToken {
        let start = index + 1
        var i = start
        var escapes = false
        let raw = UnsafeRawPointer(bytes)
        while true {
            // Eight plain bytes at a time: no quote, backslash, control or non-ASCII byte among them.
            while i + 8 <= count {
                let plain = Self.plainBytes(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                i += plain
                if plain < 8 { break }
            }
            guard i < count else {
                index = i
                throw ranOut("a string")
            }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                index = i + 1
                return JSONStringToken(start: start, end: i, hasEscapes: escapes)
            } else if byte == UInt8(ascii: "\\") {
                escapes = true
                index = i
                guard i + 1 < count else { throw ranOut("a string") }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= count else { throw ranOut("a string") }
                    for offset in 2..<6 where hexValue(bytes[i + offset]) == nil {
                        index = i + offset
                        throw invalid("expected four hex digits after \\u but found \(describe(bytes[i + offset]))")
                    }
                    i += 6
                default:
                    throw invalid("\\\(Character(Unicode.Scalar(bytes[i + 1]))) is not a JSON escape")
                }
            } else if byte < 0x20 {
                index = i
                throw invalid("a control character (\(describe(byte))) must be escaped inside a string")
            } else if byte < 0x80 {
                i += 1
            } else {
                index = i
                i += try utf8SequenceLength(at: i)
            }
        }
    }

    /// Checks a string as `scanString` does and writes its decoded bytes to `out` in the same
    /// pass, returning how many were written; `out` must have room for the bytes that remain.
    mutating func scanString(decodingInto out: UnsafeMutablePointer<UInt8>) throws(JSONScanStop) -> (
        token: JSONStringToken, decoded: Int
    ) {
        let start = index + 1
        var i = start
        var o = 0
        var escapes = false
        let raw = UnsafeRawPointer(bytes), rawOut = UnsafeMutableRawPointer(out)
        while true {
            // Eight bytes at a time, copied before they are looked at: the decoded text never runs
            // ahead of the input, so a whole word always fits.
            while i + 8 <= count {
                let loaded = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                rawOut.storeBytes(of: loaded, toByteOffset: o, as: UInt64.self)
                let plain = Self.plainBytes(UInt64(littleEndian: loaded))
                i += plain
                o += plain
                if plain < 8 { break }
            }
            guard i < count else {
                index = i
                throw ranOut("a string")
            }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                index = i + 1
                return (JSONStringToken(start: start, end: i, hasEscapes: escapes), o)
            } else if byte == UInt8(ascii: "\\") {
                escapes = true
                index = i
                guard i + 1 < count else { throw ranOut("a string") }
                let escape = bytes[i + 1]
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    out[o] = escape
                case UInt8(ascii: "b"): out[o] = 0x08
                case UInt8(ascii: "f"): out[o] = 0x0c
                case UInt8(ascii: "n"): out[o] = 0x0a
                case UInt8(ascii: "r"): out[o] = 0x0d
                case UInt8(ascii: "t"): out[o] = 0x09
                case UInt8(ascii: "u"):
                    guard i + 6 <= count else { throw ranOut("a string") }
                    for offset in 2..<6 where hexValue(bytes[i + offset]) == nil {
                        index = i + offset
                        throw invalid("expected four hex digits after \\u but found \(describe(bytes[i + offset]))")
                    }
                    var scalar = Self.hexQuad(bytes + i + 2)
                    i += 6
                    // A high surrogate followed by a low one is one character; a lone one is U+FFFD.
                    if (0xD800..<0xDC00).contains(scalar), i + 6 <= count, bytes[i] == UInt8(ascii: "\\"),
                        bytes[i + 1] == UInt8(ascii: "u"), (2..<6).allSatisfy({ hexValue(bytes[i + $0]) != nil })
                    {
                        let low = Self.hexQuad(bytes + i + 2)
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                    }
                    for byte in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! {
                        out[o] = byte
                        o += 1
                    }
                    continue
                default:
                    throw invalid("\\\(Character(Unicode.Scalar(escape))) is not a JSON escape")
                }
                i += 2
                o += 1
            } else if byte < 0x20 {
                index = i
                throw invalid("a control character (\(describe(byte))) must be escaped inside a string")
            } else if byte < 0x80 {
                out[o] = byte
                i += 1
                o += 1
            } else {
                index = i
                let length = try utf8SequenceLength(at: i)
                (out + o).update(from: bytes + i, count: length)
                i += length
                o += length
            }
        }
    }

    private static func hexQuad(_ digits: UnsafePointer<UInt8>) -> UInt32 {
        (0..<4).reduce(0) { $0 << 4 | UInt32(hexValue(digits[$1]) ?? 0) }
    }

    /// The length of the well-formed UTF-8 sequence starting at `i` (a byte ≥ 0x80).
    func utf8SequenceLength(at i: Int) throws(JSONScanStop) -> Int {
        let lead = bytes[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F  // no UTF-16 surrogates
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JSONScanStop.invalid("\(describe(lead)) is not UTF-8", at: i)
        }
        guard i + length <= count else {
            throw atEnd ? JSONScanStop.invalid("the text ends inside a UTF-8 sequence", at: i) : .needMore
        }
        for offset in 1..<length {
            let byte = bytes[i + offset]
            let (min, max) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= min && byte <= max else {
                throw JSONScanStop.invalid("the bytes at this point are not UTF-8", at: i)
            }
        }
        return length
    }

    // MARK: - Decoding

    /// The text of a string token, escapes decoded; unpaired surrogates become U+FFFD.
    func string(_ token: JSONStringToken) -> String {
        let buffer = UnsafeBufferPointer(start: bytes + token.start, count: token.end - token.start)
        guard token.hasEscapes else { return String(decoding: buffer, as: UTF8.self) }
        return String(decoding: JSONScanner.unescape(buffer), as: UTF8.self)
    }

    /// Whether a string token's text equals `literal` (plain ASCII) without making a `String`.
    func token(_ token: JSONStringToken, equals literal: StaticString) -> Bool {
        guard !token.hasEscapes, token.end - token.start == literal.utf8CodeUnitCount else {
            return token.hasEscapes && string(token) == literal.description
        }
        return memcmp(bytes + token.start, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

    /// Decodes the escapes of checked string content into UTF-8 bytes.
    ///
    /// Plain bytes are copied eight at a time while looking for the next backslash in the same
    /// word; the result is never longer than the content, so it is written into one allocation.
    static func unescape(_ content: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let base = content.baseAddress, !content.isEmpty else { return [] }
        let count = content.count
        let backslash = UInt8(ascii: "\\")
        return [UInt8](unsafeUninitializedCapacity: count) { output, written in
            let out = output.baseAddress!
            let raw = UnsafeRawPointer(base), rawOut = UnsafeMutableRawPointer(out)
            var i = 0
            var o = 0
            while i < count {
                // The output never runs ahead of the input, so a whole word always fits.
                if i + 8 <= count {
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    rawOut.storeBytes(of: word, toByteOffset: o, as: UInt64.self)
                    let x = UInt64(littleEndian: word) ^ 0x5C5C_5C5C_5C5C_5C5C
                    let found = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                    guard found != 0 else {
                        i += 8
                        o += 8
                        continue
                    }
                    let plain = found.trailingZeroBitCount >> 3
                    i += plain
                    o += plain
                } else if base[i] != backslash {
                    out[o] = base[i]
                    i += 1
                    o += 1
                    continue
                }
                // base[i] is a backslash.
                guard i + 1 < count else {
                    out[o] = base[i]
                    o += 1
                    break
                }
                let escape = base[i + 1]
                i += 2
                switch escape {
                case UInt8(ascii: "b"): out[o] = 0x08
                case UInt8(ascii: "f"): out[o] = 0x0c
                case UInt8(ascii: "n"): out[o] = 0x0a
                case UInt8(ascii: "r"): out[o] = 0x0d
                case UInt8(ascii: "t"): out[o] = 0x09
                case UInt8(ascii: "u"):
                    var scalar = hexQuad(content, i)
                    i += 4
                    if (0xD800..<0xDC00).contains(scalar), i + 6 <= count, base[i] == backslash,
                        base[i + 1] == UInt8(ascii: "u")
                    {
                        let low = hexQuad(content, i + 2)
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                    }
                    // At most as many bytes as the escape took: 1-3 for `\uXXXX` (6), 4 for a pair (12).
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    for byte in UTF8.encode(character)! {
                        out[o] = byte
                        o += 1
                    }
                    continue
                default: out[o] = escape  // \" \\ \/
                }
                o += 1
            }
            written = o
        }
    }

    private static func hexQuad(_ content: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 where at + offset < content.count {
            value = value << 4 | UInt32(hexValue(content[at + offset]) ?? 0)
        }
        return value
    }
}

@inline(__always) func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
