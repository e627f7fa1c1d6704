import CustodyJSON
import Foundation
import Testing

/// A member name written twice in one object stands for its last value, in every reader of the
/// one scanner, as Python's `json`, `jq`, JavaScript and Foundation's `JSONSerialization` read it.
@Suite struct JSONDuplicateMemberTests {
    static let text = #"{"name":"first","n":1,"inner":{"k":"a","k":"b"},"name":"last","n\u0061me":"escaped last"}"#

    /// What Foundation's `JSONSerialization`, a reader independent of this package, makes of `text`.
    static func serialization(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    struct Named: Decodable, Equatable {
        var name: String
        var n: Int
        var inner: [String: String]
    }

    struct Inner: Decodable, TapeDecodable, Equatable {
        var name: String
        var n: Int

        init(name: String, n: Int) {
            self.name = name
            self.n = n
        }

        init(tape: JSONTape, node: Int) throws {
            let object = try TapeObject(tape, node, ["name", "n"])
            self.init(name: try object.string(0), n: try #require(try object.optionalInt(1)))
        }
    }

    @Test func theLastOccurrenceWinsInTheTreeAsInJSONSerialization() throws {
        let reference = try Self.serialization(Self.text)
        #expect(reference["name"] as? String == "escaped last")
        let tree = try JSONScannerTests.document(Self.text)
        #expect(tree["name"] == "escaped last")
        #expect(tree["inner"]?["k"] == "b")
        #expect(tree["n"] == 1)
    }

    @Test func theLastOccurrenceWinsOnTheTape() throws {
        let tape = try #require(JSONTape.parse(Array(Self.text.utf8)))
        #expect(tape.value(0) == (try JSONScannerTests.document(Self.text)))
        #expect(tape.member(0, "name").flatMap(tape.string) == "escaped last")
        #expect(try TapeDecoder.decode(Named.self, tape, 0) == Named(name: "escaped last", n: 1, inner: ["k": "b"]))
        #expect(try Inner(tape: tape, node: 0) == Inner(name: "escaped last", n: 1))
    }

    @Test func onlyTheLastOccurrenceIsChecked() throws {
        let tape = try #require(JSONTape.parse(Array(#"{"name":5,"n":"x","name":"ok","n":2}"#.utf8)))
        #expect(try TapeDecoder.decode(Inner.self, tape, 0) == Inner(name: "ok", n: 2))
        let broken = try #require(JSONTape.parse(Array(#"{"name":"ok","n":2,"name":5}"#.utf8)))
        #expect(throws: DecodingError.self) { try Inner(tape: broken, node: 0) }
    }

    @Test func membersAreListedOnceEach() throws {
        let tape = try #require(JSONTape.parse(Array(#"{"a":1,"b":2,"a":3}"#.utf8)))
        #expect(try TapeDecoder.decode([String: Int].self, tape, 0) == ["a": 3, "b": 2])
    }
}
