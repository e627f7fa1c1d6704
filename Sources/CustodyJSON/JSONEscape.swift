/// The one decoder of JSON string escapes, used by every reader: the scanner decoding a string as
/// it checks it, the tape, the tree parser, the CloudTrail reader and the caller scan.
///
/// `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r` and `\t` become their character; `\uXXXX` its code
/// point, and a high surrogate followed by `\u` and a low one the character the pair spells. A
/// surrogate that is not part of such a pair (a high one alone, a low one alone or first) becomes
/// U+FFFD, the replacement character: UTF-8 text cannot hold it. The decoded bytes are never
/// more than the escaped ones, so a buffer as long as the input always has room.
package enum JSONEscape {
    /// The value of a hex digit, or nil.
    @inline(__always)
    package static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The four hex digits at `bytes[at..<at + 4]` as a number, or nil when they are not four hex
    /// digits before `count`.
    @inline(__always)
    static func hexQuad(_ bytes: UnsafePointer<UInt8>, at: Int, count: Int) -> UInt32? {
        guard at + 4 <= count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(bytes[at + offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The length of the escape at `bytes[i]` (a backslash) of text `count` bytes long: 2, or 6
    /// for `\uXXXX`; nil when it is cut short or no JSON escape.
    @inline(__always)
    package static func escapeLength(_ bytes: UnsafePointer<UInt8>, at i: Int, count: Int) -> Int? {
        guard i + 1 < count else { return nil }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"): return hexQuad(bytes, at: i + 2, count: count) == nil ? nil : 6
        default: return nil
        }
    }

    /// Decodes the escape at `bytes[i]` (a backslash) of text `count` bytes long into `out[o...]`,
    /// moving `i` past it and `o` past what it wrote; false, moving neither, when it is cut short
    /// or no JSON escape (`escapeLength` is nil).
    @inline(__always)
    package static func decodeEscape(
        _ bytes: UnsafePointer<UInt8>, at i: inout Int, count: Int, into out: UnsafeMutablePointer<UInt8>,
        at o: inout Int
    ) -> Bool {
        guard i + 1 < count else { return false }
        let escape = bytes[i + 1]
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out[o] = escape
        case UInt8(ascii: "b"): out[o] = 0x08
        case UInt8(ascii: "f"): out[o] = 0x0c
        case UInt8(ascii: "n"): out[o] = 0x0a
        case UInt8(ascii: "r"): out[o] = 0x0d
        case UInt8(ascii: "t"): out[o] = 0x09
        case UInt8(ascii: "u"):
            guard var scalar = hexQuad(bytes, at: i + 2, count: count) else { return false }
            i += 6
            if (0xD800..<0xDC00).contains(scalar), i + 1 < count, bytes[i] == UInt8(ascii: "\\"),
                bytes[i + 1] == UInt8(ascii: "u"), let low = hexQuad(bytes, at: i + 2, count: count),
                (0xDC00..<0xE000).contains(low)
            {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                i += 6
            }
            // At most as many bytes as the escape took: 1-3 for `\uXXXX` (6), 4 for a pair (12).
            for byte in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! {
                out[o] = byte
                o += 1
            }
            return true
        default: return false
        }
        i += 2
        o += 1
        return true
    }

    /// The decoded bytes of string content (the bytes between the quotes).
    ///
    /// Plain bytes are copied eight at a time while looking for the next backslash in the same
    /// word; the result is never longer than the content, so it is written into one allocation.
    package static func decode(_ content: UnsafeBufferPointer<UInt8>) -> [UInt8] {
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
                // Content that was not checked: what is no escape is copied as written.
                if !decodeEscape(base, at: &i, count: count, into: out, at: &o) {
                    out[o] = base[i]
                    i += 1
                    o += 1
                }
            }
            written = o
        }
    }
}
