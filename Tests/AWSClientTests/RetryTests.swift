import Foundation
import Testing

@testable import AWSClient

/// Fault injection through a test transport: 500s, throttling, dropped connections and slow answers are retried
/// to success; exhausted retries give a typed error with the attempts made.
@Suite struct RetryTests {
    static let ok = """
        <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn>
        <UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>
        <ResponseMetadata><RequestId>ok-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>
        """

    static func throttle(_ code: String, status: Int = 400) -> HTTPResponse {
        HTTPResponse(
            statusCode: status,
            body: Data(
                "<ErrorResponse><Error><Code>\(code)</Code><Message>slow down</Message></Error></ErrorResponse>".utf8))
    }

    enum Fault: String, CaseIterable, Sendable {
        case serverError, throttling, throttlingException, requestLimitExceeded, tooManyRequests, http429, reset,
            refused, slow
    }

    @Test(arguments: Fault.allCases)
    func faultsAreRetriedToSuccess(_ fault: Fault) async throws {
        let transport = MockTransport { _, index in
            if index < 3 {
                switch fault {
                case .serverError: return HTTPResponse(statusCode: 500, body: Data("oops".utf8))
                case .throttling: return Self.throttle("Throttling")
                case .throttlingException: return Self.throttle("ThrottlingException")
                case .requestLimitExceeded: return Self.throttle("RequestLimitExceeded", status: 503)
                case .tooManyRequests: return Self.throttle("TooManyRequestsException")
                case .http429: return HTTPResponse(statusCode: 429)
                case .reset: throw AWSClientError(.connectionLost, "reset by peer")
                case .refused: throw AWSClientError(.connectionFailed, "refused")
                case .slow:
                    try await Task.sleep(for: .seconds(5))
                    return HTTPResponse(statusCode: 200, body: Data(Self.ok.utf8))
                }
            }
            return HTTPResponse(statusCode: 200, body: Data(Self.ok.utf8))
        }
        let clock = TestClock()
        let aws = try testClient(
            transport: transport, clock: clock,
            retry: RetryPolicy(maxAttempts: 5, attemptTimeout: .milliseconds(200)))
        let answer = try await aws.sts.getCallerIdentity()
        #expect(answer.output.account == "123456789012")
        #expect(answer.raw.attempts == 3)
        #expect(answer.raw.requestId == "ok-1")
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps.count == 2)
    }

    @Test func exhaustedRetriesGiveATypedErrorWithTheAttempts() async throws {
        let transport = MockTransport { _, _ in Self.throttle("Throttling") }
        let aws = try testClient(transport: transport, retry: RetryPolicy(maxAttempts: 4))
        let error = await #expect(throws: AWSClientError(.retriesExhausted, "")) {
            _ = try await aws.iam.listUsers().allPages()
        }
        #expect(error?.attempts == 4)
        #expect((error?.underlying as? AWSServiceError)?.code == "Throttling")
        #expect(transport.requests.count == 4)
    }

    @Test func nonRetryableErrorsFailAtOnce() async throws {
        let transport = MockTransport { _, _ in
            HTTPResponse(
                statusCode: 403,
                body: Data(
                    "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>d1</RequestId></ErrorResponse>"
                        .utf8))
        }
        let aws = try testClient(transport: transport)
        let error = await #expect(throws: AWSServiceError(code: "AccessDenied")) {
            _ = try await aws.iam.getRole(roleName: "x")
        }
        #expect(error?.requestId == "d1" && error?.operation == "GetRole" && error?.service == "iam")
        #expect(transport.requests.count == 1)
    }

    @Test func retryAfterIsHonoured() async throws {
        let transport = MockTransport { _, index in
            index == 1
                ? HTTPResponse(statusCode: 503, headers: ["Retry-After": "7"])
                : HTTPResponse(statusCode: 200, body: Data(Self.ok.utf8))
        }
        let clock = TestClock()
        let aws = try testClient(transport: transport, clock: clock)
        _ = try await aws.sts.getCallerIdentity()
        #expect(clock.sleeps == [.seconds(7)])
    }

    @Test func backoffIsCappedExponentialWithFullJitter() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        #expect(policy.delay(afterAttempt: 1, random: 0.999_999) < .milliseconds(101))
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 10, random: 0.5) == .seconds(1))
        #expect(policy.delay(afterAttempt: 4, random: 0) == .zero)
        #expect(policy.delay(afterAttempt: 2, retryAfter: .seconds(3), random: 0.5) == .seconds(3))
        #expect(
            RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:10 GMT", now: Date(timeIntervalSince1970: 1_445_412_480))
                == .seconds(10))
    }

    @Test func theTimeLimitStopsRetries() async throws {
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 500) }
        let aws = try testClient(
            transport: transport,
            retry: RetryPolicy(
                maxAttempts: 100, baseDelay: .seconds(10), maxDelay: .seconds(10), totalTimeout: .seconds(30)))
        let error = await #expect(throws: AWSClientError(.retriesExhausted, "")) {
            _ = try await aws.sts.getCallerIdentity()
        }
        #expect((error?.attempts ?? 0) < 10)
    }

    @Test func expiredTokensAreRefreshedOnce() async throws {
        let transport = MockTransport { _, index in
            index == 1
                ? HTTPResponse(
                    statusCode: 403,
                    body: Data(
                        "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>expired</Message></Error></ErrorResponse>"
                            .utf8))
                : HTTPResponse(statusCode: 200, body: Data(Self.ok.utf8))
        }
        let aws = try testClient(transport: transport)
        let answer = try await aws.sts.getCallerIdentity()
        #expect(answer.raw.attempts == 2)
    }

    @Test func lookupEventsIsPacedAtTwoPerSecond() async throws {
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 200, body: Data(#"{"Events":[]}"#.utf8)) }
        let clock = TestClock()
        let aws = try testClient(transport: transport, clock: clock)
        for _ in 0..<5 { _ = try await aws.cloudTrail.lookupEvents().allPages() }
        let waited = clock.sleeps.reduce(Duration.zero, +)
        #expect(waited >= .seconds(2))
        #expect(transport.requests.count == 5)
        // Another region has its own budget.
        _ = try await aws.inRegion("eu-west-1").cloudTrail.lookupEvents().allPages()
        #expect(clock.sleeps.reduce(Duration.zero, +) == waited)
    }

    @Test func concurrentLookupEventsStayWithinTheLimit() async throws {
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 200, body: Data(#"{"Events":[]}"#.utf8)) }
        let aws = try AWS(
            AWSConfiguration(
                region: "us-east-1", environment: [:], transport: transport,
                callsPerSecond: ["LookupEvents": 20],
                credentialProvider: StaticCredentialProvider(TestKeys.credentials)))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 { group.addTask { _ = try await aws.cloudTrail.lookupEvents().allPages() } }
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - start >= .milliseconds(440))
    }

    @Test func aSkewedClockIsCorrectedFromTheDateHeader() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_764_374_400))  // 2025-11-29T00:00:00Z
        let transport = MockTransport { request, index in
            if index == 1 {
                return HTTPResponse(
                    statusCode: 403, headers: ["Date": "Sat, 29 Nov 2025 01:00:00 GMT"],
                    body: Data(
                        "<ErrorResponse><Error><Code>RequestExpired</Code><Message>too old</Message></Error></ErrorResponse>"
                            .utf8))
            }
            #expect(request.headers["X-Amz-Date"] == "20251129T010000Z")
            return HTTPResponse(statusCode: 200, body: Data(Self.ok.utf8))
        }
        let aws = try testClient(transport: transport, clock: clock)
        let answer = try await aws.sts.getCallerIdentity()
        #expect(answer.raw.attempts == 2)
        #expect(transport.requests.first?.headers["X-Amz-Date"] == "20251129T000000Z")
        // The correction is kept for later calls.
        _ = try await aws.inRegion("eu-west-1").sts.getCallerIdentity()
        #expect(transport.requests.last?.headers["X-Amz-Date"] == "20251129T010000Z")
    }
}
