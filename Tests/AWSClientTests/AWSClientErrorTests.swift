import Testing

@testable import AWSClient

/// Errors of the AWS client say what went wrong and what to do; an answer of AWS keeps AWS's own code.
@Suite struct AWSClientErrorTests {
    @Test func descriptionEndsWithTheLastAttemptsError() {
        let last = AWSServiceError(
            code: "Throttling", message: "Rate exceeded", statusCode: 400, service: "iam", operation: "ListUsers")
        let error = AWSClientError(
            .retriesExhausted, "iam ListUsers failed 5 times in a row; giving up.", remedy: "Run again later.",
            underlying: last, attempts: 5)
        #expect(
            error.description
                == "iam ListUsers failed 5 times in a row; giving up. Run again later. Last error: iam ListUsers failed "
                + "with Throttling (HTTP 400): Rate exceeded.")
        #expect(error == AWSClientError(.retriesExhausted, ""))
    }

    @Test func aCancelledCallIsNamedInWordsNotBySwiftsTypeName() {
        let error = AWSClientError(
            .retriesExhausted, "ec2 DescribeInstances failed.", underlying: CancellationError(), attempts: 1)
        #expect(!error.description.contains("CancellationError"), "\(error.description)")
        #expect(error.description.contains("cancelled before AWS answered"))
        #expect(!FailureText.describe(CancellationError()).contains("CancellationError"))
    }

    @Test func anAuthenticationFailureIsNotADenial() {
        let authentication = AWSServiceError(
            code: "AuthFailure", message: "AWS was not able to validate the provided access credentials",
            statusCode: 401, service: "ec2", operation: "DescribeInstances")
        #expect(!authentication.isAccessDenied)
        #expect(authentication.isCredentialProblem)
        let denied = AWSServiceError(
            code: "UnauthorizedOperation", message: "You are not authorized to perform this operation.",
            statusCode: 403, service: "ec2", operation: "DescribeInstances")
        #expect(denied.isAccessDenied && !denied.isCredentialProblem)
    }

    @Test func serviceErrorsAreEqualByAWSCodeAndLeaveTheRemedyToTheCaller() {
        let error = AWSServiceError(code: "AccessDenied", message: "not allowed", requestId: "r-1", statusCode: 403)
        #expect(error == AWSServiceError(code: "AccessDenied"))
        #expect(error != AWSServiceError(code: "AccessDeniedException"))
        #expect(error.remedy == nil && error.underlying == nil)
        #expect(error.description == "AWS failed with AccessDenied (HTTP 403): not allowed. Request id r-1.")
    }
}
