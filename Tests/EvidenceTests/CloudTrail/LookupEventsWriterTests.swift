import CustodyTestSupport
import Evidence
import Foundation
import Testing

/// The LookupEvents JSON Lines Custody stores: written, read back, and read by Python.
@Suite struct LookupEventsWriterTests {
    static func sample() throws -> [LookupEventsRecord] {
        let file = "stratus-red-team-detonation-logs/aws.persistence.sts-federation-token.json"
        return try CloudTrailReader.readAll(try CloudTrailFixtures.bytes(file)).records.map {
            try LookupEventsRecord(record: $0)
        }
    }

    @Test func writesOneLineEachInLookupEventsOrder() throws {
        let record = LookupEventsRecord(
            eventId: "e-1", eventName: "CreateUser", readOnly: "false", accessKeyId: "AKIAEXAMPLE",
            eventTime: LookupEventsRecord.eventTime(Date(timeIntervalSince1970: 1_453_844_532)),
            eventSource: "iam.amazonaws.com", username: "alice",
            resources: [.init(resourceType: "AWS::IAM::User", resourceName: "bob")],
            cloudTrailEvent: #"{"eventName":"CreateUser","note":"a/b \"q\" é"}"#)
        let text = String(decoding: LookupEventsWriter.lines([record]), as: UTF8.self)
        #expect(
            text
                == #"{"EventId":"e-1","EventName":"CreateUser","ReadOnly":"false","AccessKeyId":"AKIAEXAMPLE","#
                + #""EventTime":"2016-01-26T21:42:12+00:00","EventSource":"iam.amazonaws.com","Username":"alice","#
                + #""Resources":[{"ResourceType":"AWS::IAM::User","ResourceName":"bob"}],"#
                + #""CloudTrailEvent":"{\"eventName\":\"CreateUser\",\"note\":\"a/b \\\"q\\\" é\"}"}"# + "\n")
    }

    @Test func readsBackTheExactRecordTextOfEveryLine() throws {
        let records = try Self.sample()
        var written: [UInt8] = []
        var writer = LookupEventsWriter { written += $0 }
        for record in records { try writer.write(record) }
        try writer.finish()
        let (read, reader) = CloudTrailReader.readAll(written)
        #expect(reader.issues.isEmpty)
        #expect(reader.shape == .lookupEventsLines)
        #expect(read.map { String(decoding: $0.json, as: UTF8.self) } == records.map(\.cloudTrailEvent))
        #expect(LookupEventsWriter.lines(records) == written)
    }

    @Test func derivesTheSummaryMembersFromTheRecord() throws {
        let record = try #require(try Self.sample().first)
        #expect(record.eventId == "6e882b9d-2af8-4c67-b91f-aeac6a0e5e70")
        #expect(record.eventName == "GetFederationToken")
        #expect(record.eventSource == "sts.amazonaws.com")
        #expect(record.readOnly != nil)
        #expect(record.eventTime?.hasSuffix("+00:00") == true)
    }

    @Test
    func pythonReadsEveryLineAndItsRecord() throws {
        let records = try Self.sample()
        let script = """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                record = json.loads(event["CloudTrailEvent"])
                assert record["eventID"] == event["EventId"], line
                print(record["eventName"])
            """
        let run = try ExternalTool.python3!.run(["-c", script], input: Data(LookupEventsWriter.lines(records)))
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text.split(separator: "\n").map(String.init) == records.compactMap(\.eventName))
    }

    @Test(arguments: [
        (0, "1970-01-01T00:00:00+00:00"), (951_782_400, "2000-02-29T00:00:00+00:00"),
        (1_723_977_731, "2024-08-18T10:42:11+00:00"), (-1, "1969-12-31T23:59:59+00:00"),
    ])
    func printsEventTimeAsTheAWSCLIDoes(seconds: Int, text: String) {
        #expect(LookupEventsRecord.eventTime(Date(timeIntervalSince1970: TimeInterval(seconds))) == text)
    }
}
