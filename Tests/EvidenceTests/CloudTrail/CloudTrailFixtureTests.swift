import CustodyJSON
import CustodyTestSupport
import Evidence
import Foundation
import Testing

/// Every third-party CloudTrail file reads completely, and agrees with Python's `json` module.
@Suite struct CloudTrailFixtureTests {
    @Test func findsTheFixtures() {
        #expect(CloudTrailFixtures.files.count > 600)
    }

    @Test(arguments: CloudTrailFixtures.files)
    func readsEveryRecordWithoutAnIssue(file: String) throws {
        let (records, reader) = CloudTrailReader.readAll(try CloudTrailFixtures.bytes(file), file: file)
        #expect(reader.issues.isEmpty, "\(reader.issues)")
        #expect(reader.shape != .unrecognised)
        for record in records {
            let event = try record.event()
            // What was found in the one checking pass is what the full parse finds.
            #expect(record.eventTime == event.eventTime)
            #expect(record.eventName == event.eventName)
            #expect(record.eventSource == event.eventSource)
            #expect(record.awsRegion == event.awsRegion)
            #expect(record.recipientAccountId == event.recipientAccountId)
            #expect(record.eventID == event.eventID)
        }
    }

    @Test(arguments: CloudTrailFixtures.files)
    func findsWhatPythonFinds(file: String) throws {
        let expected = try #require(CloudTrailFixtures.python?[file])
        let (records, _) = CloudTrailReader.readAll(try CloudTrailFixtures.bytes(file), file: file)
        #expect(records.count == expected.count)
        for (record, text) in zip(records, expected.records) {
            // Compared as values, through Foundation's parser, so no spelling of a number or escape matters.
            let python = try JSONValue.parse(Data(text.utf8))
            #expect(try record.event().record == python, "record \(record.position.record)")
        }
    }

    @Test
    func countsAsManyRecordsAsPythonAcrossAllFiles() throws {
        let python = try #require(CloudTrailFixtures.python)
        var total = 0
        for file in CloudTrailFixtures.files {
            total += Array(CloudTrailReader(bytes: try CloudTrailFixtures.bytes(file), file: file)).count
        }
        #expect(total == python.values.reduce(0) { $0 + $1.count })
        #expect(total == 1365)
    }

    @Test(arguments: CloudTrailFixtures.files.filter { $0.hasPrefix("stratus") }.prefix(12))
    func readsTheSameInTinyChunksAsAllAtOnce(file: String) throws {
        let bytes = try CloudTrailFixtures.bytes(file)
        let whole = Array(CloudTrailReader(bytes: bytes, file: file))
        let trickled = Array(CloudTrailReader(source: TricklingSource(bytes), file: file, maximumRecordSize: 32 << 10))
        #expect(trickled == whole)
    }

    @Test func keepsTheAnonymisersInvalidAddressAndRegion() throws {
        let file = "stratus-red-team-detonation-logs/aws.persistence.sts-federation-token.json"
        let (records, reader) = CloudTrailReader.readAll(try CloudTrailFixtures.bytes(file))
        #expect(reader.shape == .jsonArray)
        let event = try records[0].event()
        #expect(event.sourceIPAddress == "255.090.254.5")
        #expect(event.awsRegion == "ap-isob-east-1r")
        #expect(records[0].awsRegion == "ap-isob-east-1r")
        #expect(event.eventName == "GetFederationToken")
    }

    @Test(
        arguments: [
            ("stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.json", CloudTrailShape.jsonArray, 1),
            ("panther-analysis/panther_cloudtrail_test_events.jsonl", .jsonLines, 464),
            ("panther-analysis/test_scenarios/enrichment-example/victim_cloudtrail.records.json", .cloudTrailLog, nil),
            ("aws-cli-examples/lookup-events.json", .lookupEvents, 1),
            ("traildiscover-logExamples/CreateSession.json.cloudtrail", .singleRecord, 1),
            ("traildiscover-logExamples/ChangeResourceRecordSets.json.cloudtrail", .jsonArray, 0),
        ] as [(String, CloudTrailShape, Int?)])
    func detectsTheShapeFromTheContent(file: String, shape: CloudTrailShape, count: Int?) throws {
        let (records, reader) = CloudTrailReader.readAll(try CloudTrailFixtures.bytes(file))
        #expect(reader.shape == shape)
        if let count { #expect(records.count == count) }
    }

    @Test func takesRecordsOutOfPanthersLogEnvelopes() throws {
        let (records, _) = CloudTrailReader.readAll(
            try CloudTrailFixtures.bytes("panther-analysis/panther_cloudtrail_test_events.jsonl"))
        #expect(records.allSatisfy { $0.envelope == .member("log") })
        #expect(records[0].eventName == "UpdateFunctionConfiguration20150331v2")
        #expect(records[0].position == CloudTrailPosition(record: 1, line: 1, byte: 0))
        #expect(records[1].position.line == 2)
    }

    @Test func recognisesJSONThatIsNotCloudTrail() throws {
        let (records, reader) = CloudTrailReader.readAll(
            try CloudTrailFixtures.bytes("panther-analysis/eventName_counts.json"))
        #expect(records.isEmpty)
        #expect(reader.shape == .unrecognised)
        #expect(reader.issues.map(\.kind) == [.notARecord])
    }
}
