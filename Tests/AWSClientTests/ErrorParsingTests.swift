import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// AWS errors in every protocol's shape become ``AWSServiceError`` with code, message and request id.
@Suite struct ErrorParsingTests {
    static let base = "aws-api-responses/botocore-response_parsing/errors/"

    @Test(arguments: ["ec2-describe-instances", "iam-get-user", "sts-get-session-token"])
    func botocoreRecordedErrors(_ name: String) throws {
        let expected = try JSONValue.parse(try Resources.data(Self.base + name + ".json"))
        let response = HTTPResponse(statusCode: 400, body: try Resources.data(Self.base + name + ".xml"))
        let service: AWSService = name.hasPrefix("ec2") ? .ec2 : name.hasPrefix("iam") ? .iam : .sts
        let error = AWSErrorParser.parse(response, service: service, operation: "Op")
        #expect(error.code == expected["Error"]?["Code"]?.stringValue)
        #expect(error.message == expected["Error"]?["Message"]?.stringValue)
        #expect(error.requestId == expected["ResponseMetadata"]?["RequestId"]?.stringValue)
    }

    @Test func jsonErrorsFromTypeAndHeader() {
        let body = Data(
            #"{"__type":"com.amazonaws.cloudtrail.v20131101#TrailNotFoundException","Message":"Unknown trail"}"#.utf8)
        let error = AWSErrorParser.parse(
            HTTPResponse(statusCode: 400, headers: ["x-amzn-RequestId": "r1"], body: body), service: .cloudTrail,
            operation: "GetTrailStatus")
        #expect(error == AWSServiceError(code: "TrailNotFoundException"))
        #expect(error.message == "Unknown trail")
        #expect(error.requestId == "r1")
        let header = AWSErrorParser.parse(
            HTTPResponse(
                statusCode: 403, headers: ["x-amzn-ErrorType": "AccessDeniedException:http://internal.amazon.com/"],
                body: Data(#"{"message":"no"}"#.utf8)), service: .guardDuty, operation: "ListDetectors")
        #expect(header.code == "AccessDeniedException")
        #expect(header.isAccessDenied)
    }

    @Test func s3ErrorsAndBodilessAnswers() {
        let body = Data(
            "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R2</RequestId></Error>"
                .utf8)
        let error = AWSErrorParser.parse(
            HTTPResponse(statusCode: 404, body: body), service: .s3, operation: "GetObject")
        #expect(error.code == "NoSuchKey" && error.requestId == "R2")
        let head = AWSErrorParser.parse(
            HTTPResponse(statusCode: 403, headers: ["x-amz-request-id": "R3"]), service: .s3, operation: "HeadObject")
        #expect(head.code == "Forbidden" && head.requestId == "R3")
        let html = AWSErrorParser.parse(
            HTTPResponse(statusCode: 502, body: Data("<html>Bad gateway".utf8)), service: .iam, operation: "ListUsers")
        #expect(html.code == "HTTP502" && html.isRetryable)
        let page = AWSErrorParser.parse(
            HTTPResponse(
                statusCode: 500,
                body: Data("<!doctype html>\n<html>\n<title>500 Internal Server Error</title>\n<h1>Oops</h1>".utf8)),
            service: .cloudTrail, operation: "LookupEvents")
        #expect(page.code == "InternalError" && page.message == "500 Internal Server Error Oops")
    }

    @Test(arguments: [
        ("Throttling", 400, true), ("ThrottlingException", 400, true), ("RequestLimitExceeded", 503, true),
        ("TooManyRequestsException", 429, true), ("Whatever", 429, true), ("InternalError", 500, true),
        ("ServiceUnavailable", 503, true), ("AccessDenied", 403, false), ("ValidationError", 400, false),
        ("SignatureDoesNotMatch", 403, false),
    ])
    func retryableCodes(_ code: String, _ status: Int, _ retryable: Bool) {
        #expect(AWSServiceError(code: code, statusCode: status).isRetryable == retryable)
    }
}
