import Foundation

/// Takes the secrets out of an answer before it is stored: the text of every XML element, and the
/// string value of every JSON member, named like a credential's secret part (`SecretAccessKey`,
/// `SessionToken`, `Token`, `Password`, `PasswordData`, `PrivateKey`, `KeyMaterial`).
///
/// Names are compared without regard to case (`secretAccessKey` as SSO writes it) and without a
/// namespace prefix (`<sts:SessionToken>`); elements may carry attributes. JSON members are found
/// also inside a JSON string (`"{\"SessionToken\":\"…\"}"`). An element or string that never ends
/// is redacted to the end of the body. The body is scanned as bytes, never parsed, so a body that
/// is not well-formed loses its secrets too.
enum CredentialRedaction {
    /// The names whose values are secret, lowercased.
    static let secretNames: Set<[UInt8]> = Set(
        ["secretaccesskey", "sessiontoken", "token", "password", "passworddata", "privatekey", "keymaterial"].map {
            Array($0.utf8)
        })

    /// What an XML element's text becomes.
    static let xmlReplacement = Array("&lt;redacted&gt;".utf8)
    /// What a JSON string's content becomes.
    static let jsonReplacement = Array("<redacted>".utf8)

    /// `body` without the secrets.
    static func redact(_ body: Data) -> Data {
        Data(redactJSON(redactXML(Array(body))))
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: ":"):
            return true
        default: return false
        }
    }

    private static func isSecret(_ name: ArraySlice<UInt8>) -> Bool {
        let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
        guard local.count <= 16 else { return false }
        return secretNames.contains(local.map { $0 | 0x20 })  // ASCII letters lowercased; digits unchanged
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }

    /// Replaces the text of secret elements.
    static func redactXML(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard let open = bytes[i...].firstIndex(of: UInt8(ascii: "<")) else {
                out += bytes[i...]
                break
            }
            var end = open + 1
            while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
            let name = bytes[(open + 1)..<end]
            guard !name.isEmpty, isSecret(name) else {
                out += bytes[i..<end]
                i = end
                continue
            }
            // The rest of the start tag: attributes, whose quoted values may hold `>`.
            var quote: UInt8?
            var close = end
            while close < bytes.count {
                let byte = bytes[close]
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    break
                }
                close += 1
            }
            guard close < bytes.count, bytes[close - 1] != UInt8(ascii: "/") else {
                // A start tag that never ends holds no text; an empty element holds none either.
                out += bytes[i..<min(close + 1, bytes.count)]
                i = close + 1
                continue
            }
            out += bytes[i...close]
            out += xmlReplacement
            guard let endTag = endTag(of: name, in: bytes, from: close + 1) else { return out }
            i = endTag
        }
        return out
    }

    /// Where `</name>` (spaces allowed before `>`) starts after `start`.
    private static func endTag(of name: ArraySlice<UInt8>, in bytes: [UInt8], from start: Int) -> Int? {
        var at = start
        while let found = bytes[at...].firstIndex(of: UInt8(ascii: "<")) {
            at = found + 1
            guard at < bytes.count, bytes[at] == UInt8(ascii: "/"), bytes[(at + 1)...].starts(with: name) else {
                continue
            }
            var after = at + 1 + name.count
            while after < bytes.count, isSpace(bytes[after]) { after += 1 }
            if after < bytes.count, bytes[after] == UInt8(ascii: ">") { return found }
        }
        return nil
    }

    /// Replaces the string values of secret members, in JSON and in JSON quoted inside a JSON string.
    static func redactJSON(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard let quote = bytes[i...].firstIndex(of: UInt8(ascii: "\"")) else {
                out += bytes[i...]
                break
            }
            // `\"name\"` is a member of JSON quoted inside a string; `"name"` of plain JSON.
            let quoted = quote > 0 && bytes[quote - 1] == UInt8(ascii: "\\")
            var end = quote + 1
            while end < bytes.count, isNameByte(bytes[end]), bytes[end] != UInt8(ascii: ":") { end += 1 }
            let name = bytes[(quote + 1)..<end]
            guard !name.isEmpty, isSecret(name), let valueStart = stringValue(in: bytes, afterName: end, quoted: quoted)
            else {
                out += bytes[i..<end]
                i = end
                continue
            }
            out += bytes[i..<valueStart]
            out += jsonReplacement
            guard let valueEnd = closingQuote(in: bytes, from: valueStart, quoted: quoted) else { return out }
            i = valueEnd
        }
        return out
    }

    /// Where the content of the string value after a member name ending at `at` starts, if the
    /// name is closed, followed by `:` and a string.
    private static func stringValue(in bytes: [UInt8], afterName at: Int, quoted: Bool) -> Int? {
        var at = at
        func take(_ mark: UInt8) -> Bool {
            if quoted {
                guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == mark else { return false }
                at += 2
            } else {
                guard at < bytes.count, bytes[at] == mark else { return false }
                at += 1
            }
            return true
        }
        func skipSpaces() { while at < bytes.count, isSpace(bytes[at]) { at += 1 } }
        guard take(UInt8(ascii: "\"")) else { return nil }
        skipSpaces()
        guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
        at += 1
        skipSpaces()
        return take(UInt8(ascii: "\"")) ? at : nil
    }

    /// Where the quote that closes a string whose content starts at `start` is: in plain JSON a
    /// `"` after an even number of backslashes; quoted inside a string, `\"` whose backslash is
    /// the last of 1, 5, 9 … (an escaped backslash is two of them there, an escaped quote three).
    private static func closingQuote(in bytes: [UInt8], from start: Int, quoted: Bool) -> Int? {
        var backslashes = 0
        for index in start..<bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if quoted ? backslashes % 4 == 1 : backslashes % 2 == 0 {
                    return quoted ? index - 1 : index
                }
            }
            backslashes = byte == UInt8(ascii: "\\") ? backslashes + 1 : 0
        }
        return nil
    }
}
