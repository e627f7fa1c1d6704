#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONScanner {
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
    package mutating func scanString() throws(JSONScanStop) -> JSONStringToken {
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
                guard let length = JSONEscape.escapeLength(bytes, at: i, count: count) else {
                    throw escapeProblem(at: i)
                }
                i += length
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
    /// Escapes are decoded by `JSONEscape`, as every other reader decodes them.
    package mutating func scanString(decodingInto out: UnsafeMutablePointer<UInt8>) throws(JSONScanStop) -> (
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
                guard JSONEscape.decodeEscape(bytes, at: &i, count: count, into: out, at: &o) else {
                    throw escapeProblem(at: i)
                }
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

    /// Why the escape at `i` (a backslash; `index` is there too) is not one: it is cut short, or
    /// no JSON escape.
    private func escapeProblem(at i: Int) -> JSONScanStop {
        guard i + 1 < count else { return ranOut("a string") }
        if bytes[i + 1] == UInt8(ascii: "u") {
            guard i + 6 <= count else { return ranOut("a string") }
            for offset in 2..<6 where JSONEscape.hexValue(bytes[i + offset]) == nil {
                return .invalid(
                    "expected four hex digits after \\u but found \(describe(bytes[i + offset]))", at: i + offset)
            }
        }
        return invalid("\\\(Character(Unicode.Scalar(bytes[i + 1]))) is not a JSON escape")
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

    /// The text of a string token, escapes decoded by `JSONEscape`.
    package func string(_ token: JSONStringToken) -> String {
        let buffer = UnsafeBufferPointer(start: bytes + token.start, count: token.end - token.start)
        guard token.hasEscapes else { return String(decoding: buffer, as: UTF8.self) }
        return String(decoding: JSONEscape.decode(buffer), as: UTF8.self)
    }

    /// Whether a string token's text equals `literal` (plain ASCII) without making a `String`.
    package func token(_ token: JSONStringToken, equals literal: StaticString) -> Bool {
        guard !token.hasEscapes, token.end - token.start == literal.utf8CodeUnitCount else {
            return token.hasEscapes && string(token) == literal.description
        }
        return memcmp(bytes + token.start, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }
}
