import CustodyJSON
import CustodyTestSupport
@testable import Diff
import Evidence
import Foundation
import Testing
import EvidenceReading

/// In a LookupEvents line the record is a JSON string inside JSON, so its strings are escaped
/// twice. The members the log reads for every event must come out with both levels undone, equal
/// to what the full parse of the record gives.
@Suite struct LookupEventsFieldEscapesTests {
    /// String values as written in the record's JSON text (one level of escapes), each hostile in
    /// one way: escapes alone, escapes of every kind, and no escapes but odd bytes.
    static let hostile: [String] = [
        #"line one\nline two"#,
        #"tab\there\r\nand\bback\ffeed"#,
        #"say \"hi\" now"#,
        #"back\\slash\\"#,
        #"\\"#,
        #"\\n is not a newline"#,
        #"\u0041\u00e9\u4e2d\ud83d\ude00\u2028\u0000\u001f"#,
        #"slash \/ escaped"#,
        "raw non-ASCII Zürich 東京 😀",
        #"mixed \"\\\n\u0007 Zürich \ud83d\ude00"#,
        #"ends with a quote\""#,
        #"lone \ud800 surrogate \udc00"#,
        "plain-value",
    ]

    static func record(_ value: String, _ n: Int) -> String {
        let time = String(format: "2026-05-01T10:%02d:00Z", n)
        return #"""
            {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDA\#(n)","arn":"arn:aws:iam::111122223333:user/\#(value)","accountId":"111122223333","accessKeyId":"AKIA\#(value)","userName":"\#(value)"},"eventTime":"\#(time)","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"\#(value)","userAgent":"\#(value)","errorCode":"\#(value)","vpcEndpointId":"vpce-\#(value)","requestParameters":null,"responseElements":null,"eventID":"id-\#(n)-\#(value)","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}
            """#
    }

    @Test func stringMembersEqualTheFullParse() async throws {
        let texts = Self.hostile.enumerated().map { n, value in Self.record(value, n) }
        let events = try texts.map { try CloudTrailEvent(json: Array($0.utf8)) }
        let lines = LookupEventsWriter.lines(
            texts.enumerated().map { n, text in
                LookupEventsRecord(
                    eventId: "id-\(n)", eventName: "ListBuckets", readOnly: "true", accessKeyId: nil, eventTime: nil,
                    eventSource: "s3.amazonaws.com", username: nil, resources: [], cloudTrailEvent: text)
            })
        // Both levels of escapes are in the line: the record's `\n` is `\\n` there, its `\"` is `\\\"`.
        #expect(String(decoding: lines, as: UTF8.self).contains(#"line one\\nline two"#))
        let folder = try TemporaryFolder()
        let path = try folder.write("cloudtrail/us-east-1/events.jsonl", lines)
        let log = await EventLog.read(files: [path], account: "111122223333", archive: "escapes")
        #expect(log.count == events.count)
        #expect(log.sources.first?.shape == .lookupEventsLines)
        for index in 0..<log.count {
            let reference = log.reference(at: index)
            let event = events[index]  // one a minute, in order
            #expect(reference.eventID == event.eventID)
            let identity = event.userIdentity
            #expect(reference.eventTime == event.eventTime)
            #expect(reference.eventSource == event.eventSource)
            #expect(reference.eventName == event.eventName)
            #expect(reference.region == event.awsRegion)
            #expect(reference.principal == identity?.arn)
            #expect(reference.principalType == identity?.type)
            #expect(reference.accessKeyId == identity?.accessKeyId)
            #expect(reference.sourceIPAddress == event.sourceIPAddress)
            #expect(reference.userAgent == event.userAgent)
            #expect(reference.vpcEndpointId == event.members["vpcEndpointId"]?.stringValue)
            #expect(reference.errorCode == event.errorCode)
            #expect(reference.account == event.members["recipientAccountId"]?.stringValue)
            // Members the rules read that a reference does not show.
            let row = log.rows[index]
            #expect(log.string(row.userName) == identity?.userName)
            #expect(log.string(row.principalId) == identity?.principalId)
            #expect(log.eventIDs.string(row.eventID) == event.eventID)
        }
        // The values really are hostile: the full parse undid the escapes.
        #expect(events[0].userAgent == "line one\nline two")
        #expect(events[2].userAgent == "say \"hi\" now")
        #expect(events[6].userAgent == "A\u{e9}\u{4e2d}\u{1F600}\u{2028}\u{0}\u{1f}")
    }
}
