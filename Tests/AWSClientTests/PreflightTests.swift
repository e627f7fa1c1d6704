import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// `custody preflight`'s logic: per target the provider, caller, role, regions and probes, and a one-line fix
/// for a wrong secret, an unknown profile and an unassumable role.
@Suite struct PreflightTests {
    static func configuration(_ folder: TemporaryFolder, transport: MockTransport, endpoint: String? = nil)
        -> AWSConfiguration
    {
        AWSConfiguration(
            region: "us-east-1", endpointURL: endpoint, environment: testEnvironment(folder),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)), transport: transport, clock: TestClock())
    }

    static func error(_ code: String, status: Int = 403, message: String = "no") -> HTTPResponse {
        HTTPResponse(
            statusCode: status,
            body: Data(
                "<ErrorResponse><Error><Code>\(code)</Code><Message>\(message)</Message></Error><RequestId>q</RequestId></ErrorResponse>"
                    .utf8))
    }

    @Test func aWrongSecretGetsOneLineSayingWhatToFix() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "credentials",
            "[ir]\naws_access_key_id = AKIAWRONGSECRET00001\naws_secret_access_key = \(TestKeys.secret)\n")
        let transport = MockTransport { _, _ in Self.error("SignatureDoesNotMatch", message: "signature mismatch") }
        let report = await PreflightRunner(
            options: PreflightOptions(profiles: ["ir"]), configuration: Self.configuration(folder, transport: transport)
        ).run()
        #expect(report.exitCode == 1)
        let target = try #require(report.targets.first)
        #expect(target.credentialSource == "shared-credentials-file (profile ir)")
        #expect(target.problems.count == 1)
        #expect(target.problems[0].contains("secret access key does not match access key AKIAWRONGSECRET00001"))
        #expect(!target.problems[0].contains("\n"))
        var text = ""
        report.render(into: &text)
        #expect(text.contains("NOT READY") && !text.contains(TestKeys.secret))
    }

    @Test func anUnknownProfileIsNamed() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 500) }
        let report = await PreflightRunner(
            options: PreflightOptions(profiles: ["typo"]),
            configuration: Self.configuration(folder, transport: transport)
        ).run()
        #expect(report.exitCode == 1)
        #expect(report.targets.first?.problems.first?.contains("The profile 'typo' is in neither") == true)
        #expect(transport.requests.isEmpty)
    }

    @Test func anUnassumableRoleSaysWhatToFix() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("credentials", "[default]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n")
        let transport = MockTransport { request, _ in
            let action = PaginationAndProtocolTests.form(request)["Action"]
            if action == "AssumeRole" {
                return Self.error("AccessDenied", message: "not authorized to perform sts:AssumeRole")
            }
            return HTTPResponse(
                statusCode: 200,
                body: Data(
                    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/ir</Arn><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"
                        .utf8))
        }
        let report = await PreflightRunner(
            options: PreflightOptions(accounts: ["222233334444"], roleName: "Responder"),
            configuration: Self.configuration(folder, transport: transport)
        ).run()
        #expect(report.exitCode == 1)
        #expect(report.targets.count == 1)
        let target = try #require(report.targets.first)
        #expect(target.target == "account 222233334444 as role Responder")
        #expect(target.roleAssumed == "arn:aws:iam::222233334444:role/Responder")
        #expect(
            target.problems == [
                "Cannot assume arn:aws:iam::222233334444:role/Responder: AccessDenied. Let the caller in the role's trust "
                    + "policy, allow it sts:AssumeRole on the role, and check the role name and account id."
            ])
    }

    @Test func regionsAreParsed() throws {
        #expect(try PreflightOptions.regions("all") == .all)
        #expect(try PreflightOptions.regions(nil) == .home)
        #expect(try PreflightOptions.regions("us-east-1, eu-west-1") == .list(["us-east-1", "eu-west-1"]))
        #expect(throws: AWSClientError(.invalidConfiguration, "")) {
            _ = try PreflightOptions.regions("us-east-1,narnia")
        }
    }

    @Test
    func againstMotoEveryProbeIsListed() async throws {
        let server = try await MotoServer.start(freeActions: 5)
        defer { server.stop() }
        try await server.bootstrap()
        let trust =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#
        try await server.call(
            .iam, "CreateRole", ["RoleName": "Responder", "AssumeRolePolicyDocument": trust],
            account: MotoServer.accountB)
        try await server.call(
            .iam, "AttachRolePolicy",
            ["RoleName": "Responder", "PolicyArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"],
            account: MotoServer.accountB)
        try await server.call(.iam, "CreateUser", ["UserName": "alice"])
        try await server.call(.iam, "CreateAccessKey", ["UserName": "alice"])
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "credentials",
            "[ir]\naws_access_key_id = \(server.admin.accessKeyId)\naws_secret_access_key = \(server.admin.secretAccessKey)\n"
        )
        let configuration = AWSConfiguration(
            region: "us-east-1", endpointURL: server.endpoint, environment: testEnvironment(folder),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), attemptTimeout: .seconds(30)))
        let report = await PreflightRunner(
            options: PreflightOptions(profiles: ["ir"], accounts: [MotoServer.accountB], roleName: "Responder"),
            configuration: configuration
        ).run()
        #expect(report.targets.map(\.target) == ["profile ir", "account \(MotoServer.accountB) as role Responder"])
        let admin = report.targets[0]
        #expect(admin.credentialSource == "shared-credentials-file (profile ir)")
        #expect(admin.callerArn == "arn:aws:iam::\(MotoServer.accountA):user/admin")
        #expect(admin.enabledRegions.contains("us-east-1") && admin.probedRegions == ["us-east-1"])
        let status = { (report: PreflightTargetReport, operation: String) in
            report.probes.first { $0.operation == operation }?.status
        }
        for operation in [
            "GetAccountAuthorizationDetails", "ListUsers", "ListAccessKeys", "GetAccessKeyLastUsed", "ListRoles",
            "GenerateCredentialReport", "GetCredentialReport", "DescribeInstances", "DescribeSecurityGroups",
            "DescribeTrails",
        ] {
            #expect(
                status(admin, operation) == .ok,
                "\(operation): \(admin.probes.first { $0.operation == operation }?.detail ?? "")")
        }
        // moto has no LookupEvents (HTTP 500): a failure the report names, so the target is not ready.
        #expect(status(admin, "LookupEvents") == .failed)
        #expect(!admin.ready && report.exitCode == 1)

        let role = report.targets[1]
        #expect(role.account == MotoServer.accountB)
        #expect(
            role.credentialSource?.hasPrefix("assume-role (arn:aws:iam::\(MotoServer.accountB):role/Responder") == true)
        #expect(status(role, "ListUsers") == .ok)
        #expect(status(role, "DescribeInstances") == .denied)
        var text = ""
        report.render(into: &text)
        #expect(text.contains("AccessDenied  ec2:DescribeInstances in us-east-1"))
        let json = try JSONValue.parse(try report.json())
        #expect(json["targets"]?[1]?["ready"] == false)
        #expect(!text.contains(server.admin.secretAccessKey))
        #expect(!String(decoding: try report.json(), as: UTF8.self).contains(server.admin.secretAccessKey))
    }
}
