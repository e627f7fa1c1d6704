import CustodyJSON
import Evidence
import Foundation
import Testing

/// CloudTrail records and snapshot members are read by the one scanner of `CustodyJSON`, so they
/// read JSON by the same rules: a repeated member is its last occurrence, nesting stops at the
/// same depth, and escapes (a lone surrogate among them) decode to the same text.
@Suite struct JSONReadingRulesTests {
    /// `record` as a LookupEvents event holds it: the text of a JSON string.
    static func lookupEvent(_ record: String) throws -> String {
        let string = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        return #"{"EventId":"e","CloudTrailEvent":\#(string)}"#
    }

    /// The one record read from `text`, as a file and as a LookupEvents line.
    static func records(_ text: String) throws -> [CloudTrailRecord] {
        try [text, try lookupEvent(text)].map { input in
            let (records, reader) = CloudTrailReader.readAll(input)
            #expect(reader.issues.isEmpty, "\(reader.issues)")
            return try #require(records.first)
        }
    }

    static let duplicated = #"""
        {"eventVersion":"1.09","eventName":"First","eventTime":"2026-01-01T00:00:00Z","eventName":"Last",
         "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"},"userIdentity":{"type":"Root"},
         "requestParameters":{"userName":"x","userName":"y"}}
        """#

    @Test func aRepeatedMemberOfARecordIsItsLastOccurrenceAsOnTheTape() throws {
        let tape = try #require(JSONTape.parse(Array(Self.duplicated.utf8)))
        #expect(tape.member(0, "eventName").flatMap(tape.string) == "Last")
        for record in try Self.records(Self.duplicated) {
            #expect(record.eventName == "Last")
            let event = try record.event()
            #expect(event.record == tape.value(0))
            #expect(event["userIdentity"] == ["type": "Root"])
            #expect(event["requestParameters"]?["userName"] == "y")
            let some = try record.event(members: ["eventName", "userIdentity"])
            #expect(some["eventName"] == "Last")
            #expect(some["userIdentity"] == event["userIdentity"])
        }
    }

    @Test func aRepeatedMemberOfASnapshotEntityIsItsLastOccurrence() throws {
        var members = Dictionary(
            uniqueKeysWithValues: try SnapshotLayout.members(of: SnapshotSample.snapshot).map { ($0.path, $0.bytes) })
        let path = SnapshotLayout.prefix + SnapshotLayout.users.path()
        let users = String(decoding: try #require(members[path]), as: UTF8.self)
        members[path] = Array(
            users.replacingOccurrences(of: #"{"accessKeys""#, with: #"{"userName":"first","accessKeys""#).utf8)
        let read = try SnapshotReading.snapshot(from: members)
        #expect(read.users.map(\.userName) == SnapshotSample.snapshot.normalised().users.map(\.userName))
        let bytes = try #require(members[path])
        let tape = try #require(JSONTape.parse(bytes))
        #expect(read.users.map { JSONValue.string($0.userName) } == tape.value(0).arrayValue?.map { $0["userName"] })
    }

    /// A record whose `requestParameters` nest arrays so that the deepest value lies `depth`
    /// levels down, counting the record itself.
    static func record(nestedTo depth: Int) -> String {
        let inner = String(repeating: "[", count: depth - 1) + "1" + String(repeating: "]", count: depth - 1)
        return #"{"eventVersion":"1.09","eventName":"Deep","requestParameters":\#(inner)}"#
    }

    @Test func recordsAndTheTapeStopAtTheSameDepth() throws {
        let deepest = Self.record(nestedTo: JSONScanner.maximumDepth)
        #expect(try Self.records(deepest).allSatisfy { (try? $0.event()) != nil })
        #expect(JSONTape.parse(Array(deepest.utf8)) != nil)

        let tooDeep = Self.record(nestedTo: JSONScanner.maximumDepth + 1)
        let (records, reader) = CloudTrailReader.readAll(tooDeep)
        #expect(records.isEmpty)
        #expect(reader.issues.first?.reason.contains("nested deeper than \(JSONScanner.maximumDepth) levels") == true)
        #expect(JSONTape.parse(Array(tooDeep.utf8)) == nil)
    }

    @Test func escapesDecodeAlikeInRecordsAndOnTheTape() throws {
        let text = #"{"eventVersion":"1.09","eventName":"caf\u00e9 \ud83d\ude00 \ud800 \udc00\ud800x","eventTime":"t"}"#
        let expected = "café 😀 \u{FFFD} \u{FFFD}\u{FFFD}x"
        let tape = try #require(JSONTape.parse(Array(text.utf8)))
        #expect(tape.member(0, "eventName").flatMap(tape.string) == expected)
        for record in try Self.records(text) {
            #expect(record.eventName == expected)
            #expect(try record.event()["eventName"] == .string(expected))
        }
    }
}
