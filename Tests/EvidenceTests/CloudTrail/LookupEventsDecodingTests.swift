import CustodyJSON
import Evidence
import Foundation
import Testing

/// A LookupEvents event holds its record as a JSON string, which the reader checks and decodes in
/// one pass. What it yields must be exactly the string's value (as Foundation decodes it), however
/// the escapes fall, and however the input arrives in pieces; what the check refuses stays refused.
@Suite struct LookupEventsDecodingTests {
    /// Values for a record's `userAgent`, each hostile in one way, with plain runs of every length
    /// around them so escapes land at every offset of an eight-byte word.
    static let values: [String] = {
        let odd = [
            "quote \" backslash \\ slash /", "controls \u{8}\u{c}\n\r\t\u{0}\u{1f}", "Zürich 東京 😀 \u{2028}",
            "\"\"\"\\\\\\", "ends with a backslash \\", "",
        ]
        return odd + (0..<17).map { String(repeating: "a", count: $0) + "\"é" + String(repeating: "b", count: 16 - $0) }
    }()

    /// A LookupEvents line whose `CloudTrailEvent` is `record` as Foundation writes a JSON string.
    static func line(_ record: String) throws -> String {
        let encoded = try JSONSerialization.data(
            withJSONObject: ["CloudTrailEvent": record, "EventName": "Call"], options: [.sortedKeys])
        return String(decoding: encoded, as: UTF8.self)
    }

    static func record(_ n: Int, userAgent: String) throws -> String {
        let members: [String: Any] = [
            "eventVersion": "1.09", "eventTime": "2024-08-18T10:42:10Z", "eventSource": "iam.amazonaws.com",
            "eventName": "Call\(n)", "eventID": "id-\(n)", "userAgent": userAgent,
        ]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: members, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A source that hands over at most `step` bytes per read, so records straddle every refill.
    struct Trickle: CloudTrailByteSource {
        var bytes: [UInt8]
        var offset = 0
        let step: Int

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = min(step, buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count)]))
            }
            offset += count
            return count
        }
    }

    @Test(arguments: [1 << 20, 7, 1])
    func yieldsExactlyTheStringsValue(step: Int) throws {
        let records = try Self.values.enumerated().map { try Self.record($0.offset, userAgent: $0.element) }
        let text = try records.map(Self.line).joined(separator: "\n")
        let reader = CloudTrailReader(source: Trickle(bytes: Array(text.utf8), step: step), file: "lines")
        let read = Array(reader)
        #expect(reader.issues.isEmpty, "\(reader.issues)")
        #expect(read.map(\.json) == records.map { Array($0.utf8) })
        #expect(try read.map { try $0.event().userAgent } == Self.values)
        #expect(reader.shape == .lookupEventsLines)
    }

    @Test func decodesEscapesFoundationDoesNotWrite() throws {
        // \u escapes (a pair, a lone surrogate of each kind) and \/ spelled by hand.
        let escaped =
            #"{\"eventName\":\"A\",\"eventTime\":\"2024-08-18T10:42:10Z\",\"userAgent\":\"\u0041\u00e9\ud83d\ude00 \ud800x \udc00 \/\"}"#
        let reader = CloudTrailReader(bytes: Array(#"{"CloudTrailEvent":"\#(escaped)"}"#.utf8), file: "line")
        let record = try #require(reader.next())
        #expect(try record.event().userAgent == "Aé😀 \u{FFFD}x \u{FFFD} /")
    }

    @Test(arguments: [
        ("a bad escape", #"\x41"#), ("a short \\u escape", #"\u00G1"#), ("a raw control character", "\u{1}"),
        ("bytes that are not UTF-8", "\u{FFFF}"),
    ])
    func refusesWhatIsNotAJSONString(what: String, inside: String) throws {
        var bad = Array(#"{"CloudTrailEvent":"{\"eventName\":\"X"#.utf8)
        bad += inside == "\u{FFFF}" ? [0xFF, 0xFE] : Array(inside.utf8)
        bad += Array(#"\"}"}"#.utf8)
        let good = try Self.line(try Self.record(1, userAgent: "fine"))
        let reader = CloudTrailReader(bytes: bad + Array("\n\(good)\n".utf8), file: "lines")
        let read = Array(reader)
        #expect(read.count == 1, "\(what): the next line is still read")
        #expect(reader.issues.map(\.kind) == [.invalidJSON], "\(what)")
    }

    @Test func locatesTheMembersEveryEventIsReadFor() throws {
        let text =
            #"{"eventTime":"2024-08-18T10:42:10Z","eventName":"Get\u0050arameter","readOnly":true,"awsRegion":"eu-west-1","userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall","readOnly":"false","errorCode":null}"#
        let record = try #require(CloudTrailReader(bytes: Array(text.utf8), file: "r").next())
        func value(_ member: CloudTrailRecord.Member) -> String? {
            record.location(of: member).map { String(decoding: record.json[$0.range], as: UTF8.self) }
        }
        #expect(value(.eventName) == #"Get\u0050arameter"#)
        #expect(record.location(of: .eventName)?.hasEscapes == true)
        #expect(value(.awsRegion) == "eu-west-1")
        #expect(record.location(of: .awsRegion)?.isString == true)
        #expect(record.location(of: .awsRegion)?.hasEscapes == false)
        #expect(value(.userIdentity) == #"{"type":"IAMUser"}"#)
        #expect(record.location(of: .userIdentity)?.isString == false)
        #expect(value(.errorCode) == "null")
        #expect(record.location(of: .errorCode)?.isString == false)
        #expect(record.location(of: .sourceIPAddress) == nil)
        // A repeated member is its last occurrence, as in the full parse.
        #expect(record.readOnly == false)
        #expect(try record.event().readOnly == false)
        // A name with an escape is its decoded self, whatever length its bytes have.
        let escaped = try #require(
            CloudTrailReader(
                bytes: Array(#"{"eventName":"A","read\u004fnly":true,"aws\u0052egion":"r"}"#.utf8), file: "e"
            ).next())
        #expect(escaped.readOnly == true)
        #expect(escaped.location(of: .awsRegion)?.isString == true)
    }

    @Test func parsesOnlyTheNamedMembers() throws {
        let text =
            #"{"eventName":"AssumeRole","requestParameters":{"roleArn":"arn:aws:iam::1:role/r"},"tlsDetails":{"tlsVersion":"TLSv1.3"},"response\u0045lements":null,"requestParameters":{"roleArn":"last"}}"#
        let record = try #require(CloudTrailReader(bytes: Array(text.utf8), file: "r").next())
        let event = try record.event(members: ["requestParameters", "responseElements", "userAgent"])
        #expect(
            event.members == ["requestParameters": .object(["roleArn": .string("last")]), "responseElements": .null])
        #expect(try record.event().members.count == 4)
    }
}
