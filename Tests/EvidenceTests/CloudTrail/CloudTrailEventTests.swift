import CustodyJSON
import Evidence
import Foundation
import Testing

/// The typed view of a record, and what it keeps.
@Suite struct CloudTrailEventTests {
    /// The record of the AWS CLI's `lookup-events` example: an assumed role signing in to the console.
    static func cliExample() throws -> CloudTrailEvent {
        let (records, _) = CloudTrailReader.readAll(try CloudTrailFixtures.bytes("aws-cli-examples/lookup-events.json"))
        return try records[0].event()
    }

    @Test func readsTheTypedMembersOfAnAssumedRoleSignIn() throws {
        let event = try Self.cliExample()
        #expect(event.eventVersion == "1.02")
        #expect(event.eventTime == "2016-01-26T21:42:12Z")
        #expect(event.eventDate == Date(timeIntervalSince1970: 1_453_844_532))
        #expect(event.eventSource == "signin.amazonaws.com")
        #expect(event.eventName == "ConsoleLogin")
        #expect(event.awsRegion == "us-east-1")
        #expect(event.sourceIPAddress == "72.21.198.70")
        #expect(event.eventType == "AwsConsoleSignIn")
        #expect(event.recipientAccountId == "123456789012")
        #expect(event.requestParameters == .null)
        #expect(event.responseElements == ["ConsoleLogin": "Success"])
        #expect(event.additionalEventData?["MFAUsed"] == "No")
        let identity = try #require(event.userIdentity)
        #expect(identity.type == "AssumedRole")
        #expect(identity.principalId == "AROAJIKPFTA72SWU4L7T4:my-session-name")
        #expect(identity.arn == "arn:aws:sts::123456789012:assumed-role/my-role/my-session-name")
        #expect(identity.accountId == "123456789012")
        let session = try #require(identity.sessionContext)
        #expect(session.attributes?.creationDate == "2016-01-26T21:42:12Z")
        #expect(session.attributes?.mfaAuthenticated == false)
        #expect(session.sessionIssuer?.type == "Role")
        #expect(session.sessionIssuer?.userName == "my-role")
        #expect(session.sessionIssuer?.arn == "arn:aws:iam::123456789012:role/my-role")
    }

    @Test func readsAnIAMUsersCallWithTLSDetails() throws {
        let file = "stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.json"
        let event = try CloudTrailReader.readAll(try CloudTrailFixtures.bytes(file)).records[0].event()
        #expect(event.eventName == "StopLogging")
        #expect(event.readOnly == false)
        #expect(event.managementEvent == true)
        #expect(event.eventCategory == "Management")
        #expect(event.userIdentity?.userName == "christophe")
        #expect(event.userIdentity?.accessKeyId == "AKIAGGWFBBHBE7D3M9WI")
        #expect(event.tlsDetails?.tlsVersion == "TLSv1.3")
        #expect(event.tlsDetails?.clientProvidedHostHeader == "cloudtrail.apiso-centralnorth-2r.amazonaws.com")
        #expect(event.requestParameters?["name"] == "stratus-red-team-ct-stop-trail-buykxbqejv")
        #expect(event.responseElements == .null)
    }

    @Test func keepsUnknownMembersAndOddValuesAsTheyAre() throws {
        let text =
            #"{"eventVersion":"9.99","eventTime":"not a time","readOnly":"true","awsRegion":"ap-isob-east-1r","#
            + #""sourceIPAddress":"255.090.254.5","recipientAccountId":12345,"newMember2031":{"x":[1,null]},"#
            + #""resources":[{"ARN":"arn:aws:s3:::b","accountId":"1","type":"AWS::S3::Bucket"},"odd"]}"#
        let event = try CloudTrailEvent(json: Array(text.utf8))
        #expect(event.eventTime == "not a time")
        #expect(event.eventDate == nil)
        #expect(event.readOnly == true)
        #expect(event["readOnly"] == "true")
        #expect(event.awsRegion == "ap-isob-east-1r")
        #expect(event.sourceIPAddress == "255.090.254.5")
        #expect(event.recipientAccountId == nil)
        #expect(event["recipientAccountId"] == 12345)
        #expect(event["newMember2031"] == ["x": [1, .null]])
        #expect(event.resources?.map(\.arn) == ["arn:aws:s3:::b"])
        #expect(event.members.count == 8)
    }

    /// A leap second falls only at the end of a UTC day, and a time must lie in years 0 to 9999 once in UTC.
    @Test(arguments: ["2024-01-02T12:34:60Z", "0000-01-01T00:00:00+01:00", "2024-02-30T00:00:00Z"])
    func anEventTimeTheCalendarDoesNotHaveIsNoTime(text: String) throws {
        let record = try #require(
            CloudTrailReader.readAll(Array(#"{"Records":[{"eventTime":"\#(text)"}]}"#.utf8)).records.first)
        #expect(record.eventTime == text)
        #expect(record.eventTimeSeconds == nil)
        #expect(try record.event().eventDate == nil)
    }

    @Test func encodesAsTheRecordItself() throws {
        let event = try Self.cliExample()
        let encoded = try JSONEncoder().encode(event)
        #expect(try JSONValue.parse(encoded) == event.record)
        #expect(try JSONDecoder().decode(CloudTrailEvent.self, from: encoded) == event)
    }

    @Test func refusesTextThatIsNotARecord() {
        #expect(throws: CloudTrailEventError(.invalidJSON, "")) { try CloudTrailEvent(json: Array("{\"a\":".utf8)) }
        #expect(throws: CloudTrailEventError(.invalidJSON, "")) { try CloudTrailEvent(json: Array("{} {}".utf8)) }
        #expect(throws: CloudTrailEventError(.notAnObject, "")) { try CloudTrailEvent(json: Array("[1]".utf8)) }
    }
}
