import CustodyJSON
import Foundation
import Testing

/// The one tokenizer: what it accepts, how deep it nests, and how it walks an object.
@Suite struct JSONScannerTests {
    /// Parses `text` as a whole document with the tree parser.
    static func document(_ text: String) throws(JSONScanStop) -> JSONValue {
        try Array(text.utf8).withUnsafeBufferPointer { buffer throws(JSONScanStop) in
            try JSONScanner.parseDocument(buffer)
        }
    }

    /// Whether `skipValue` accepts `text` as one value and nothing after it.
    static func skips(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            scanner.skipWhitespace()
            return (try? scanner.skipValue(depth: 0)) != nil && (try? scanner.expectEnd()) != nil
        }
    }

    /// `depth` arrays inside one another, with an object innermost.
    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth - 1) + #"{"a":1}"# + String(repeating: "]", count: depth - 1)
    }

    static let invalid = [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "1e", "+1", ".5", "NaN", "tru", "nul",
        "\"a\\x\"", "\"\\u12G4\"", "\"tab\there\"", "\"\u{1}\"", "[1] 2", "{'a':1}", "\"open",
    ]

    @Test(arguments: invalid)
    func refusesWhatIsNotJSON(text: String) {
        #expect(!Self.skips(text))
        #expect(throws: JSONScanStop.self) { try Self.document(text) }
        #expect(JSONTape.parse(Array(text.utf8)) == nil)
    }

    @Test func refusesBytesThatAreNotUTF8() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22],
        ] {
            #expect(JSONTape.parse(bytes) == nil, "\(bytes)")
            let parsed = bytes.withUnsafeBufferPointer { try? JSONScanner.parseDocument($0) }
            #expect(parsed == nil, "\(bytes)")
        }
    }

    @Test func nestingUpToTheLimitIsReadAndBeyondIsRefusedByEveryReader() throws {
        let deepest = Self.nested(JSONScanner.maximumDepth)
        let tooDeep = Self.nested(JSONScanner.maximumDepth + 1)
        #expect(Self.skips(deepest))
        #expect(!Self.skips(tooDeep))
        #expect(try Self.document(deepest) != .null)
        #expect(throws: JSONScanStop.self) { try Self.document(tooDeep) }
        #expect(JSONTape.parse(Array(deepest.utf8)) != nil)
        #expect(JSONTape.parse(Array(tooDeep.utf8)) == nil)
    }

    /// Why `skipValue` stops on `text`, or nil when it reads a value.
    static func stop(_ text: String, atEnd: Bool) -> JSONScanStop? {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, atEnd: atEnd)
            do throws(JSONScanStop) {
                try scanner.skipValue(depth: 0)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test(arguments: [#"{"a":"b"#, "[1,2", "tr", #""\u00"#, "\"caf", "12"])
    func aValueCutShortNeedsMoreUnlessTheInputEnded(text: String) {
        guard case .needMore? = Self.stop(text, atEnd: false) else {
            Issue.record("\(text) needs more when more may come")
            return
        }
        if text == "12" {
            #expect(Self.stop(text, atEnd: true) == nil, "a number at the end of the input is complete")
        } else if case .invalid(let reason, _)? = Self.stop(text, atEnd: true) {
            #expect(reason.hasPrefix("the text ends inside"))
        } else {
            Issue.record("\(text) is cut short when nothing more comes")
        }
    }

    @Test func forEachMemberHandsOverEveryMemberInOrder() throws {
        let text = #"{ "a" : 1, "b\u0063": {"x":[true]}, "a": "again" }"#
        var seen: [String] = []
        try Array(text.utf8).withUnsafeBufferPointer { buffer throws(JSONScanStop) in
            var scanner = JSONScanner(buffer)
            try scanner.forEachMember(depth: 1) { scanner, key throws(JSONScanStop) in
                seen.append(scanner.string(key))
                try scanner.skipValue(depth: 1)
            }
            #expect(scanner.index == buffer.count)
        }
        #expect(seen == ["a", "bc", "a"])
    }
}
