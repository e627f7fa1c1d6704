import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// Pagination as `AsyncSequence`, and what each protocol puts on the wire.
@Suite struct PaginationAndProtocolTests {
    static func form(_ request: HTTPRequest) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields[URIEncoding.decode(String(parts[0]))] = parts.count > 1 ? URIEncoding.decode(String(parts[1])) : ""
        }
        return fields
    }

    @Test func iamPagesFollowTheMarker() async throws {
        let transport = MockTransport { request, index in
            let marker = Self.form(request)["Marker"]
            #expect(marker == (index == 1 ? nil : "m\(index - 1)"))
            let truncated = index < 3
            let body = """
                <ListUsersResponse><ListUsersResult><Users><member><UserName>u\(index)</UserName></member></Users>
                <IsTruncated>\(truncated)</IsTruncated>\(truncated ? "<Marker>m\(index)</Marker>" : "")</ListUsersResult>
                <ResponseMetadata><RequestId>r\(index)</RequestId></ResponseMetadata></ListUsersResponse>
                """
            return HTTPResponse(statusCode: 200, body: Data(body.utf8))
        }
        let aws = try testClient(transport: transport)
        var names: [String] = []
        var requestIds: [String] = []
        for try await page in aws.iam.listUsers() {
            names += page.output.users.compactMap(\.userName)
            requestIds.append(page.raw.requestId ?? "")
            #expect(!page.raw.body.isEmpty && page.raw.action == "ListUsers" && page.raw.service == "iam")
        }
        #expect(names == ["u1", "u2", "u3"])
        #expect(requestIds == ["r1", "r2", "r3"])
        let request = try #require(transport.requests.first)
        #expect(request.host == "iam.amazonaws.com" && request.method == "POST")
        #expect(Self.form(request)["Action"] == "ListUsers" && Self.form(request)["Version"] == "2010-05-08")
        #expect(request.headers["Authorization"]?.contains("/us-east-1/iam/aws4_request") == true)
        #expect(request.headers["X-Amz-Security-Token"] == TestKeys.token)
    }

    @Test func aRepeatedTokenEndsIterationWithAnError() async throws {
        let transport = MockTransport { _, _ in
            HTTPResponse(statusCode: 200, body: Data(#"{"Accounts":[],"NextToken":"same"}"#.utf8))
        }
        let aws = try testClient(transport: transport)
        await #expect(throws: AWSClientError(.invalidResponse, "")) {
            _ = try await aws.organizations.listAccounts().allPages()
        }
        #expect(transport.requests.count == 2)
    }

    @Test func ec2ListsAndFilters() async throws {
        let transport = MockTransport.xml(
            "<DescribeInstancesResponse><requestId>e1</requestId><reservationSet/></DescribeInstancesResponse>")
        let aws = try testClient(transport: transport, region: "eu-west-1")
        let pages = try await aws.ec2.describeInstances(
            instanceIds: ["i-1", "i-2"],
            filters: [EC2.Filter(name: "instance-state-name", values: ["running", "stopped"])]
        ).allPages()
        #expect(pages.count == 1 && pages[0].output.reservations.isEmpty)
        let fields = Self.form(try #require(transport.requests.first))
        #expect(fields["InstanceId.1"] == "i-1" && fields["InstanceId.2"] == "i-2")
        #expect(fields["Filter.1.Name"] == "instance-state-name" && fields["Filter.1.Value.2"] == "stopped")
        #expect(fields["Version"] == "2016-11-15")
        #expect(transport.requests.first?.host == "ec2.eu-west-1.amazonaws.com")
    }

    @Test func queryListsUseMember() {
        let fields = QueryEncoding.fields(["Filter": ["User", "Role"], "Nested": ["A": 1]], ec2: false)
        #expect(fields.map { "\($0.0)=\($0.1)" } == ["Filter.member.1=User", "Filter.member.2=Role", "Nested.A=1"])
    }

    @Test func jsonProtocolSendsTheTarget() async throws {
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 200, body: Data(#"{"trailList":[]}"#.utf8)) }
        let aws = try testClient(transport: transport, region: "ap-southeast-2")
        _ = try await aws.cloudTrail.describeTrails()
        let request = try #require(transport.requests.first)
        #expect(
            request.headers["X-Amz-Target"] == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails")
        #expect(request.headers["Content-Type"] == "application/x-amz-json-1.1")
        #expect(try JSONValue.parse(request.body) == ["includeShadowTrails": true])
        #expect(request.host == "cloudtrail.ap-southeast-2.amazonaws.com")
    }

    @Test func genericCallsReturnRawAndParsed() async throws {
        let transport = MockTransport.xml(
            "<ListAccountAliasesResponse><ListAccountAliasesResult><AccountAliases><member>prod</member></AccountAliases>"
                + "<IsTruncated>false</IsTruncated></ListAccountAliasesResult></ListAccountAliasesResponse>")
        let aws = try testClient(transport: transport)
        let answer = try await aws.send(.iam, "ListAccountAliases", parameters: ["MaxItems": 10])
        #expect(answer.output["AccountAliases"] == ["prod"])
        #expect(answer.raw.parameters == ["MaxItems": 10])
        #expect(String(decoding: answer.raw.body, as: UTF8.self).hasPrefix("<ListAccountAliasesResponse>"))
        #expect(answer.raw.requestId == "req-1")
        #expect(answer.raw.statusCode == 200 && answer.raw.region == "us-east-1")
    }

    @Test func guardDutyAndS3UseRESTPaths() async throws {
        let transport = MockTransport { request, _ in
            if request.path.hasPrefix("/detector") {
                return HTTPResponse(statusCode: 200, body: Data(#"{"detectorIds":["d1"],"nextToken":""}"#.utf8))
            }
            return HTTPResponse(
                statusCode: 200,
                headers: [
                    "Content-Length": "0", "x-amz-meta-signature": "abc",
                    "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT",
                ])
        }
        let aws = try testClient(transport: transport, region: "eu-west-1")
        let detectors = try await aws.guardDuty.listDetectors().allItems(\.detectorIds)
        #expect(detectors == ["d1"])
        let head = try await aws.s3.headObject(bucket: "my-bucket", key: "AWSLogs/a b/ü.json.gz")
        #expect(head.output.metadata == ["signature": "abc"])
        #expect(head.output.lastModified == Date(timeIntervalSince1970: 1_445_412_480))
        let requests = transport.requests
        #expect(requests[0].method == "GET" && requests[0].host == "guardduty.eu-west-1.amazonaws.com")
        #expect(requests[1].method == "HEAD" && requests[1].host == "my-bucket.s3.eu-west-1.amazonaws.com")
        #expect(requests[1].path == "/AWSLogs/a%20b/%C3%BC.json.gz")
        #expect(requests[1].headers["x-amz-content-sha256"] == SigV4Signer.emptyPayloadHash)
    }

    @Test func assumeRoleAnswersAreStoredWithoutSecrets() async throws {
        let body = """
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId>
            <SecretAccessKey>\(TestKeys.secret)</SecretAccessKey><SessionToken>\(TestKeys.token)</SessionToken>
            <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>
            <Arn>arn:aws:sts::222233334444:assumed-role/R/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
            </AssumeRoleResult></AssumeRoleResponse>
            """
        let aws = try testClient(transport: MockTransport.xml(body))
        let answer = try await aws.sts.assumeRole(roleArn: "arn:aws:iam::222233334444:role/R", roleSessionName: "s")
        #expect(answer.output.credentials?.secretAccessKey == TestKeys.secret)
        let stored = String(decoding: answer.raw.body, as: UTF8.self)
        #expect(!stored.contains(TestKeys.secret) && !stored.contains(TestKeys.token))
        #expect(stored.contains("ASIAROLE"))
        #expect(!"\(answer.output)".contains(TestKeys.secret))
        let encoded = String(decoding: try JSONEncoder().encode(answer.output), as: UTF8.self)
        #expect(!encoded.contains(TestKeys.secret) && !encoded.contains(TestKeys.token))
    }

    @Test func accountListRegionsPostsJSON() async throws {
        let transport = MockTransport { request, _ in
            #expect(request.method == "POST" && request.path == "/listRegions")
            #expect(request.host == "account.us-east-1.amazonaws.com")
            let body = #"{"Regions":[{"RegionName":"af-south-1","RegionOptStatus":"DISABLED"}]}"#
            return HTTPResponse(statusCode: 200, body: Data(body.utf8))
        }
        let aws = try testClient(transport: transport, region: "eu-west-1")
        let regions = try await aws.accountManagement.listRegions(statuses: ["DISABLED"]).allItems(\.regions)
        #expect(regions.first?.regionName == "af-south-1" && regions.first?.regionOptStatus == "DISABLED")
        let sent = try JSONValue.parse(try #require(transport.requests.first).body)
        #expect(sent == ["RegionOptStatusContains": ["DISABLED"]])
        #expect(transport.requests.first?.headers["Authorization"]?.contains("/us-east-1/account/aws4_request") == true)
    }

    @Test func credentialReportContentIsDecodedFromBase64() throws {
        let csv = "user,arn\n<root_account>,arn:aws:iam::123456789012:root\n"
        let body = """
            <GetCredentialReportResponse><GetCredentialReportResult>
            <Content>\(Data(csv.utf8).base64EncodedString())</Content><ReportFormat>text/csv</ReportFormat>
            <GeneratedTime>2026-11-29T00:00:00Z</GeneratedTime></GetCredentialReportResult></GetCredentialReportResponse>
            """
        let report = try AWS.decodeXML(
            IAM.GetCredentialReportResponse.self, Data(body.utf8), action: "GetCredentialReport", service: .iam)
        #expect(report.content.map { String(decoding: $0, as: UTF8.self) } == csv)
        #expect(report.reportFormat == "text/csv")
    }
}
