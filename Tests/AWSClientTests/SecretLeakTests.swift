import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// Secret keys and session tokens never appear in a log line, an error, a `description`, a dump or any output:
/// this runs the paths that produce text with recognisable secrets and scans everything they wrote.
@Suite struct SecretLeakTests {
    final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var all: String { lock.withLock { lines.joined(separator: "\n") } }
    }

    static let secrets = [
        TestKeys.secret, TestKeys.token, "eyJ-web-identity-SECRET-token", "assumed-SECRET-value", "assumed-TOKEN-value",
    ]

    @Test func noSecretReachesAnyOutput() async throws {
        let capture = Capture()
        let log: @Sendable (String) -> Void = { capture.add($0) }
        let credentials = TestKeys.credentials
        capture.add("\(credentials)")
        capture.add(String(reflecting: credentials))
        var dumped = ""
        dump(credentials, to: &dumped)
        capture.add(dumped)
        capture.add("\(ResolvedCredentials(credentials: credentials, source: "test"))")
        capture.add(String(decoding: try JSONEncoder().encode(credentials), as: UTF8.self))

        // An error body that echoes the secret and the token back, as a hostile or buggy endpoint might.
        let echo = MockTransport { _, index in
            if index == 1 { return HTTPResponse(statusCode: 503) }
            return HTTPResponse(
                statusCode: 403,
                body: Data(
                    "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>expected key \(TestKeys.secret) token \(TestKeys.token)</Message></Error></ErrorResponse>"
                        .utf8))
        }
        let aws = try testClient(transport: echo, log: log)
        do {
            _ = try await aws.sts.getCallerIdentity()
        } catch {
            capture.add("\(error)")
            capture.add(String(reflecting: error))
            capture.add(PreflightAdvice.line(for: error, accessKeyId: TestKeys.accessKeyId, source: "test"))
        }

        // STS answers carrying credentials: stored body, parsed output, its encoding.
        let assumed = """
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAX</AccessKeyId>
            <SecretAccessKey>assumed-SECRET-value</SecretAccessKey><SessionToken>assumed-TOKEN-value</SessionToken>
            <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
            """
        let sts = try testClient(transport: MockTransport.xml(assumed), log: log)
        let answer = try await sts.sts.assumeRole(roleArn: "arn:aws:iam::1:role/R", roleSessionName: "s")
        capture.add(String(decoding: answer.raw.body, as: UTF8.self))
        capture.add("\(answer.output)")
        capture.add("\(answer.raw)")
        capture.add(String(decoding: try JSONEncoder().encode(answer.output), as: UTF8.self))
        let web = try await sts.sts.assumeRoleWithWebIdentity(
            roleArn: "arn:aws:iam::1:role/W", roleSessionName: "s", webIdentityToken: "eyJ-web-identity-SECRET-token")
        capture.add("\(web.raw.parameters)")
        capture.add("\(web.raw)")

        // Credential chain failures and a failing credential_process.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("config", "[profile p]\ncredential_process = /bin/false \(TestKeys.secret)\n")
        let chain = try AWS(
            AWSConfiguration(
                profile: "p", environment: testEnvironment(folder),
                transport: MockTransport { _, _ in HTTPResponse(statusCode: 500) },
                log: log))
        do { _ = try await chain.credentials() } catch { capture.add("\(error)") }

        // Preflight, text and JSON, with a wrong secret.
        _ = try folder.write(
            "credentials", "[ir]\naws_access_key_id = AKIAX\naws_secret_access_key = \(TestKeys.secret)\n")
        let report = await PreflightRunner(
            options: PreflightOptions(profiles: ["ir"]),
            configuration: AWSConfiguration(
                environment: testEnvironment(folder), retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)),
                transport: echo, log: log)
        ).run()
        var text = ""
        report.render(into: &text)
        capture.add(text)
        capture.add(String(decoding: try report.json(), as: UTF8.self))

        let everything = capture.all
        #expect(everything.contains(TestKeys.accessKeyId), "the scan saw the output")
        for secret in Self.secrets {
            #expect(!everything.contains(secret), "a secret leaked into: \(everything.prefix(2000))")
        }
    }
}
