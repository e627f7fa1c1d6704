import CustodyJSON
import Testing

/// `FlatJSON` writes exactly what `CanonicalJSON` writes for objects of string fields.
@Suite struct FlatJSONTests {
    static let awkward: [String] = [
        "", "plain", "with \"quotes\" and \\backslashes\\", "a/slash",
        "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1B}\u{1F}",
        "\u{7F}\u{80}\u{2028}\u{2029}\u{202E}", "é日本😀", "aws-cli/2.13.5 Python/3.11.4", "\u{FEFF}bom",
    ]

    @Test(arguments: awkward)
    func aValueIsEscapedAsFoundationEscapesIt(value: String) throws {
        let fields = ["value": value, "key \u{1}": value]
        #expect(FlatJSON.encode(fields) == (try CanonicalJSON.encode(fields)))
    }

    @Test func keysAreSortedAsTheCanonicalEncoderSortsThem() throws {
        let fields = ["b": "1", "a": "2", "B": "3", "_": "4", "aa": "5", "é": "6", "Z9": "7", "": "8"]
        #expect(FlatJSON.encode(fields) == (try CanonicalJSON.encode(fields)))
        #expect(FlatJSON.encode([:]) == (try CanonicalJSON.encode([String: String]())))
    }

    @Test func randomObjectsMatchTheCanonicalEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = (0..<0x80).compactMap(Unicode.Scalar.init) + ["é", "😀", "\u{2028}", "日"]
        for _ in 0..<300 {
            var fields: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                let key = String(
                    String.UnicodeScalarView((0..<Int.random(in: 0...4)).map { _ in alphabet.randomElement()! }))
                fields[key] = String(
                    String.UnicodeScalarView((0..<Int.random(in: 0...12)).map { _ in alphabet.randomElement()! }))
            }
            #expect(FlatJSON.encode(fields) == (try CanonicalJSON.encode(fields)), "\(fields)")
        }
    }
}
