import CustodyJSON
import Foundation
import Testing

@Suite struct JSONValueTests {
    @Test func roundTripsEveryKind() throws {
        let text = #"{"a":[1,2.5,"x",true,false,null],"b":{"c":"d/e"},"n":-3}"#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value["a"]?[1] == .number(2.5))
        #expect(value["b"]?["c"]?.stringValue == "d/e")
        #expect(String(decoding: try CanonicalJSON.encode(value), as: UTF8.self) == text + "\n")
    }

    @Test func canonicalEncodingSortsKeysWhateverTheInputOrder() throws {
        let one = try JSONValue.parse(Data(#"{"b":1,"a":{"z":1,"y":2}}"#.utf8))
        let two = try JSONValue.parse(Data(#"{"a":{"y":2,"z":1},"b":1}"#.utf8))
        #expect(try CanonicalJSON.encode(one) == CanonicalJSON.encode(two))
    }

    @Test func rejectsWhatIsNotJSON() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data("{nope".utf8)) }
    }
}
