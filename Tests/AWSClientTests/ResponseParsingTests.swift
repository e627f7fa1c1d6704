import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// Query and EC2 XML answers recorded by botocore, parsed by Custody and compared with botocore's own parse:
/// every value botocore found must be found, and nothing else.
@Suite struct ResponseParsingTests {
    static let base = "aws-api-responses/botocore-response_parsing/responses/"

    static func decode<T: Decodable>(_ type: T.Type, _ name: String, action: String) throws -> T {
        let service = name.hasPrefix("ec2") ? AWSService.ec2 : AWSService.iam
        return try AWS.decodeXML(T.self, try Resources.data(base + name + ".xml"), action: action, service: service)
    }

    /// The leaf values of a JSON value, normalised (timestamps to epoch seconds), sorted.
    static func leaves(_ value: JSONValue) -> [String] {
        var out: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .null: break
            case .bool(let flag): out.append("b:\(flag)")
            case .number(let number): out.append("n:\(number)")
            case .string(let text):
                if text.count >= 19, text.count <= 30, let date = Timestamps.iso8601(text) {
                    out.append("t:\(date.timeIntervalSince1970)")
                } else {
                    out.append("s:\(text)")
                }
            case .array(let elements): elements.forEach(walk)
            case .object(let members): members.values.forEach(walk)
            }
        }
        walk(value)
        return out.sorted()
    }

    static func ours<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONValue.parse(try encoder.encode(value))
    }

    static func botocore(_ name: String) throws -> JSONValue {
        guard case .object(var members) = try JSONValue.parse(try Resources.data(base + name + ".json")) else {
            return .null
        }
        members["ResponseMetadata"] = nil
        return .object(members)
    }

    static func check<T: Codable>(_ type: T.Type, _ name: String, action: String) throws {
        let parsed = try decode(T.self, name, action: action)
        let expected = leaves(try botocore(name))
        let actual = leaves(try ours(parsed))
        #expect(
            actual == expected,
            "\(name): missing \(Set(expected).subtracting(actual)), extra \(Set(actual).subtracting(expected))")
    }

    @Test func iamListUsers() throws {
        try Self.check(IAM.ListUsersResponse.self, "iam-list-users", action: "ListUsers")
        let users = try Self.decode(IAM.ListUsersResponse.self, "iam-list-users", action: "ListUsers")
        #expect(users.users.map(\.userName) == ["Andrew", "Jackie"])
        #expect(users.isTruncated == false)
    }

    @Test func iamListRolesDecodesTrustPolicies() throws {
        try Self.check(IAM.ListRolesResponse.self, "iam-list-roles", action: "ListRoles")
        let roles = try Self.decode(IAM.ListRolesResponse.self, "iam-list-roles", action: "ListRoles")
        let trust = try #require(roles.roles.first?.assumeRolePolicyDocument?.json)
        #expect(trust["Statement"]?[0]?["Principal"]?["Service"]?[0] == "ec2.amazonaws.com")
    }

    @Test func iamOtherLists() throws {
        try Self.check(IAM.ListAccessKeysResponse.self, "iam-list-access-keys", action: "ListAccessKeys")
        try Self.check(IAM.ListAccountAliasesResponse.self, "iam-list-account-aliases", action: "ListAccountAliases")
        try Self.check(
            IAM.ListInstanceProfilesResponse.self, "iam-list-instance-profiles", action: "ListInstanceProfiles")
        try Self.check(IAM.ListMFADevicesResponse.self, "iam-list-mfa-devices", action: "ListMFADevices")
        try Self.check(
            IAM.ListSigningCertificatesResponse.self, "iam-list-signing-certificates", action: "ListSigningCertificates"
        )
    }

    @Test func ec2Answers() throws {
        try Self.check(EC2.DescribeInstancesResult.self, "ec2-describe-instances", action: "DescribeInstances")
        try Self.check(EC2.DescribeKeyPairsResult.self, "ec2-describe-key-pairs", action: "DescribeKeyPairs")
        try Self.check(EC2.DescribeRegionsResult.self, "ec2-describe-regions", action: "DescribeRegions")
        try Self.check(
            EC2.DescribeSecurityGroupsResult.self, "ec2-describe-security-groups", action: "DescribeSecurityGroups")
        let instances = try Self.decode(
            EC2.DescribeInstancesResult.self, "ec2-describe-instances", action: "DescribeInstances")
        #expect(instances.reservations.first?.instances.first?.state?.name == "stopped")
        #expect(instances.reservations.first?.groups.first?.groupId == "sg-4e970e7e")
    }

    @Test func genericFormOfXML() throws {
        let root = try XMLNode.parse(try Resources.data(Self.base + "iam-list-users.xml"))
        let value = (root.child("ListUsersResult") ?? root).jsonValue
        #expect(value["Users"]?.arrayValue?.count == 2)
        #expect(value["Users"]?[1]?["UserName"] == "Jackie")
        #expect(value["IsTruncated"] == "false")
    }

    @Test func cloudsplainingAuthorizationDetailsAsJSON() throws {
        // Real GetAccountAuthorizationDetails output as the CLI prints it (JSON, policy documents decoded).
        let data = try Resources.data("aws-api-responses/cloudsplaining/get-account-authorization-details.example.json")
        let details = try AWS.decodeJSON(
            IAM.GetAccountAuthorizationDetailsResponse.self, data, action: "GetAccountAuthorizationDetails",
            service: .iam)
        #expect(details.userDetailList.count > 0)
        #expect(details.roleDetailList.count > 0)
        #expect(details.roleDetailList.allSatisfy { $0.assumeRolePolicyDocument?.json != nil })
    }

    @Test func cloudTrailLookupEventsCarriesTheRecordAsAString() throws {
        let body = """
            {"Events":[{"EventId":"e1","EventName":"CreateAccessKey","ReadOnly":"false","EventTime":1.764374400E9,
            "EventSource":"iam.amazonaws.com","Username":"alice","Resources":[{"ResourceType":"AWS::IAM::AccessKey",
            "ResourceName":"AKIAEXAMPLE"}],"CloudTrailEvent":"{\\"eventVersion\\":\\"1.08\\",\\"eventName\\":\\"CreateAccessKey\\"}"}],
            "NextToken":"t2"}
            """
        let page = try AWS.decodeJSON(
            CloudTrail.LookupEventsResponse.self, Data(body.utf8), action: "LookupEvents", service: .cloudTrail)
        let event = try #require(page.events.first)
        #expect(event.eventTime == Date(timeIntervalSince1970: 1_764_374_400))
        #expect(event.record?["eventName"] == "CreateAccessKey")
        #expect(event.resources.first?.resourceName == "AKIAEXAMPLE")
        #expect(page.nextToken == "t2")
    }

    @Test func s3FlattenedListsAndEncodedKeys() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>logs</Name><Prefix>AWSLogs%2F</Prefix>
            <KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
            <NextContinuationToken>tok</NextContinuationToken>
            <Contents><Key>AWSLogs/a+b%2Bc.json.gz</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified>
            <ETag>&quot;abc&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>
            <CommonPrefixes><Prefix>AWSLogs/x/</Prefix></CommonPrefixes></ListBucketResult>
            """
        let parsed = S3.decodingKeys(
            try AWS.decodeXML(S3.ListObjectsV2Output.self, Data(body.utf8), action: "ListObjectsV2", service: .s3))
        #expect(parsed.contents.count == 1)
        #expect(parsed.contents.first?.key == "AWSLogs/a b+c.json.gz")
        #expect(parsed.contents.first?.size == 42)
        #expect(parsed.contents.first?.eTag == "\"abc\"")
        #expect(parsed.commonPrefixes.first?.prefix == "AWSLogs/x/")
        #expect(parsed.prefix == "AWSLogs/")
        #expect(parsed.nextContinuationToken == "tok")
    }

    @Test func policyDocumentsDecodeFromURLEncoding() {
        let document = PolicyDocument(encoded: "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D")
        #expect(document.text == #"{"Version":"2012-10-17","Statement":[]}"#)
        #expect(document.json?["Version"] == "2012-10-17")
        let plain = PolicyDocument(encoded: #"{"a": "100%"}"#)
        #expect(plain.json?["a"] == "100%")
        let broken = PolicyDocument(encoded: "not%20json")
        #expect(broken.json == nil)
        #expect(broken.text == "not json")
    }

    @Test func jsonValueRoundTrips() throws {
        let value = try JSONValue.parse(Data(#"[1, true, "x", null, {"a": 2.5}]"#.utf8))
        #expect(value == [1, true, "x", .null, ["a": 2.5]])
        #expect(value.description == #"[1,true,"x",null,{"a":2.5}]"#)
    }
}
