#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the caller's members that every rule reads in a record's `userIdentity` object, down to
/// `sessionContext.sessionIssuer`, in one pass over its bytes without building the JSON tree.
/// (The reader notes where the top-level members lie while checking the record.)
///
/// Text that is not JSON ends the scan early with what was found so far; the reader has already
/// checked each record's syntax.
struct EventScanner {
    /// Where a string value lies: the bytes between its quotes.
    struct Span {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    /// The members found.
    struct Fields {
        var identityType, principalId, arn, accountId, accessKeyId, userName, invokedBy: Span?
        var sessionCreationDate: Span?
        var mfaAuthenticated: Bool?
        var issuerType, issuerArn, issuerUserName, issuerAccountId: Span?
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Scans a `userIdentity` object (its bytes, braces included).
    static func scanIdentity(_ bytes: UnsafeBufferPointer<UInt8>) -> Fields {
        var scanner = EventScanner(bytes)
        var fields = Fields()
        scanner.skipWhitespace()
        _ = scanner.object(level: .identity, into: &fields)
        return fields
    }

    /// Which object is being read.
    private enum Level {
        case identity, sessionContext, attributes, issuer
    }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    @inline(__always) private mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09 else { return }
            index += 1
        }
    }

    /// Reads a string starting at its opening quote; leaves `index` after the closing quote.
    private mutating func string() -> Span? {
        guard index < bytes.count, bytes[index] == Self.quote else { return nil }
        let start = index + 1
        var cursor = start
        let base = bytes.baseAddress!
        while cursor < bytes.count {
            guard let found = memchr(base + cursor, Int32(Self.quote), bytes.count - cursor) else { return nil }
            let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            var slashes = 0
            var back = at - 1
            while back >= start && bytes[back] == Self.backslash {
                slashes += 1
                back -= 1
            }
            if slashes % 2 == 0 {
                index = at + 1
                // Any escape counts (`\n`, `\u00e9`), not only those before a quote.
                let escaped = at > start && memchr(base + start, Int32(Self.backslash), at - start) != nil
                return Span(start: start, end: at, escaped: escaped)
            }
            cursor = at + 1
        }
        return nil
    }

    /// Skips any value; returns false when the text is not JSON.
    private mutating func skipValue() -> Bool {
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case Self.quote:
            return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == Self.quote {
                    guard string() != nil else { return false }
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                }
                index += 1
            }
            return false
        default:
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte <= 0x20 {
                    return true
                }
                index += 1
            }
            return true
        }
    }

    /// Reads `true`, `false`, `"true"` or `"false"`; skips anything else.
    private mutating func boolean() -> Bool? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        if first == Self.quote {
            guard let span = string() else { return nil }
            if matches(span, "true") { return true }
            if matches(span, "false") { return false }
            return nil
        }
        let start = index
        guard skipValue() else { return nil }
        if index - start == 4 && first == UInt8(ascii: "t") { return true }
        if index - start == 5 && first == UInt8(ascii: "f") { return false }
        return nil
    }

    private func matches(_ span: Span, _ literal: StaticString) -> Bool {
        let count = span.end - span.start
        guard count == literal.utf8CodeUnitCount else { return false }
        return memcmp(bytes.baseAddress! + span.start, literal.utf8Start, count) == 0
    }

    /// Reads an object at `index`, storing the wanted members; false when the text is not JSON.
    private mutating func object(level: Level, into fields: inout Fields) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return skipValue() }
        index += 1
        while true {
            skipWhitespace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return true
            }
            guard let key = string() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { return false }
            if !member(key, level: level, into: &fields) { return false }
            skipWhitespace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return true
            } else {
                return false
            }
        }
    }

    /// Reads one member's value.
    private mutating func member(_ key: Span, level: Level, into fields: inout Fields) -> Bool {
        let isString = bytes[index] == Self.quote
        func take(_ keyPath: WritableKeyPath<Fields, Span?>) -> Bool {
            guard isString, let span = string() else { return skipValue() }
            fields[keyPath: keyPath] = span
            return true
        }
        switch level {
        case .identity:
            switch key.end - key.start {
            case 4 where matches(key, "type"): return take(\.identityType)
            case 3 where matches(key, "arn"): return take(\.arn)
            case 11 where matches(key, "principalId"): return take(\.principalId)
            case 9 where matches(key, "accountId"): return take(\.accountId)
            case 11 where matches(key, "accessKeyId"): return take(\.accessKeyId)
            case 8 where matches(key, "userName"): return take(\.userName)
            case 9 where matches(key, "invokedBy"): return take(\.invokedBy)
            case 14 where matches(key, "sessionContext"): return object(level: .sessionContext, into: &fields)
            default: return skipValue()
            }
        case .sessionContext:
            if matches(key, "attributes") { return object(level: .attributes, into: &fields) }
            if matches(key, "sessionIssuer") { return object(level: .issuer, into: &fields) }
            return skipValue()
        case .attributes:
            if matches(key, "creationDate") { return take(\.sessionCreationDate) }
            if matches(key, "mfaAuthenticated") {
                fields.mfaAuthenticated = boolean()
                return true
            }
            return skipValue()
        case .issuer:
            switch key.end - key.start {
            case 4 where matches(key, "type"): return take(\.issuerType)
            case 3 where matches(key, "arn"): return take(\.issuerArn)
            case 8 where matches(key, "userName"): return take(\.issuerUserName)
            case 9 where matches(key, "accountId"): return take(\.issuerAccountId)
            default: return skipValue()
            }
        }
    }

    /// The value of an escaped JSON string's content.
    static func unescape(_ content: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.count)
        var i = 0
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= content.count else { return nil }
            var value: UInt32 = 0
            for j in at..<(at + 4) {
                let c = content[j]
                let digit: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        func append(scalar: UInt32) {
            let scalar = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while i < content.count {
            let c = content[i]
            guard c == backslash, i + 1 < content.count else {
                out.append(c)
                i += 1
                continue
            }
            let next = content[i + 1]
            i += 2
            switch next {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "u"):
                guard var value = hex(i) else { continue }
                i += 4
                if value >= 0xD800 && value < 0xDC00, i + 6 <= content.count, content[i] == backslash,
                    content[i + 1] == UInt8(ascii: "u"), let low = hex(i + 2), low >= 0xDC00 && low < 0xE000
                {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                append(scalar: value)
            default: out.append(next)
            }
        }
        return out
    }
}
