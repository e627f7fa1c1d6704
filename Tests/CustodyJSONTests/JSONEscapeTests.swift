import CustodyJSON
import Testing

/// Every reader decodes escapes with `JSONEscape`: the same text for the same escapes, and a
/// surrogate that is not half of a pair becomes U+FFFD everywhere.
@Suite struct JSONEscapeTests {
    static let cases: [(escaped: String, text: String)] = [
        (#"plain"#, "plain"),
        (#"\"\\\/\b\f\n\r\t"#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#"caf\u00e9 \u20AC"#, "café €"),
        (#"\ud83d\ude00"#, "😀"),
        (#"\uD83D\uDE00 long enough to take the eight-byte path"#, "😀 long enough to take the eight-byte path"),
        (#"\ud800"#, "\u{FFFD}"),
        (#"\ud800x"#, "\u{FFFD}x"),
        (#"\udc00"#, "\u{FFFD}"),
        (#"\udc00\ud800"#, "\u{FFFD}\u{FFFD}"),
        (#"\ud800\u0041"#, "\u{FFFD}A"),
        (#"\ud800\n"#, "\u{FFFD}\n"),
        (#"\ud800\ud800\udc00"#, "\u{FFFD}𐀀"),
        (#"\u0000"#, "\u{0}"),
    ]

    /// `escaped` decoded by each reader: the scanner, the scanner decoding as it checks, the
    /// decoder alone, the tape and the tree parser.
    static func readings(_ escaped: String) throws -> [String] {
        let quoted = Array("\"\(escaped)\"".utf8)
        let tape = try #require(JSONTape.parse(quoted))
        return try quoted.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            let token = try scanner.scanString()
            var decoding = JSONScanner(buffer)
            let output = UnsafeMutablePointer<UInt8>.allocate(capacity: buffer.count)
            defer { output.deallocate() }
            let written = try decoding.scanString(decodingInto: output).decoded
            let content = UnsafeBufferPointer(rebasing: buffer[token.start..<token.end])
            return [
                scanner.string(token),
                String(decoding: UnsafeBufferPointer(start: output, count: written), as: UTF8.self),
                String(decoding: JSONEscape.decode(content), as: UTF8.self),
                try #require(tape.string(0)),
                try #require(try JSONScanner.parseDocument(buffer).stringValue),
            ]
        }
    }

    @Test(arguments: cases.indices)
    func everyReaderDecodesTheSame(index: Int) throws {
        let (escaped, text) = Self.cases[index]
        #expect(try Self.readings(escaped) == Array(repeating: text, count: 5), "\(escaped)")
    }

    @Test func uncheckedTextIsDecodedWithoutReadingPastIt() {
        for (content, expected) in [(#"a\"#, #"a\"#), (#"\u12"#, #"\u12"#), (#"\uZZZZ"#, #"\uZZZZ"#)] {
            let decoded = Array(content.utf8).withUnsafeBufferPointer { JSONEscape.decode($0) }
            #expect(String(decoding: decoded, as: UTF8.self) == expected)
        }
    }
}
