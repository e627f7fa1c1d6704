import Foundation
import Testing

@testable import AWSClient

/// The client only sends allow-listed operations; anything else is refused before a byte leaves the process.
@Suite struct ReadOnlyPolicyTests {
    @Test(arguments: [
        "ListUsers", "GetRole", "DescribeInstances", "LookupEvents", "GenerateCredentialReport", "AssumeRole",
        "GetCallerIdentity", "HeadObject", "ListObjectsV2", "GetAccountAuthorizationDetails",
    ])
    func allowed(_ operation: String) {
        #expect(ReadOnlyPolicy.isAllowed(operation))
    }

    @Test(arguments: [
        "DeleteUser", "CreateAccessKey", "PutObject", "UpdateAssumeRolePolicy", "StopLogging", "TerminateInstances",
        "AttachUserPolicy", "GetSessionToken", "GetFederationToken", "Listen", "Getaway", "Describe", "",
        "ListUsers&Action=DeleteUser", "list_users", "DeleteTrail", "CreateTrail", "PutEventSelectors",
        "DeleteDetector", "DisableOrganizationAdminAccount", "RunInstances", "ModifyInstanceAttribute",
    ])
    func refusedBeforeAnythingIsSent(_ operation: String) async throws {
        #expect(!ReadOnlyPolicy.isAllowed(operation))
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 200) }
        let counter = CallCounter()
        let aws = try testClient(transport: transport).withCredentials(counter)
        for service in [AWSService.iam, .ec2, .cloudTrail, .sts, .organizations] {
            await #expect(throws: AWSClientError(.operationNotAllowed, "")) {
                _ = try await aws.send(service, operation, parameters: ["UserName": "x"])
            }
        }
        await #expect(throws: AWSClientError(.operationNotAllowed, "")) {
            _ = try await aws.send(.s3, operation)
        }
        #expect(transport.requests.isEmpty)
        #expect(counter.count == 0, "credentials were resolved for a refused call")
    }

    @Test func parametersCannotRenameTheAction() async throws {
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 200) }
        let aws = try testClient(transport: transport)
        await #expect(throws: AWSClientError(.invalidConfiguration, "")) {
            _ = try await aws.send(.iam, "ListUsers", parameters: ["Action": "DeleteUser"])
        }
        await #expect(throws: AWSClientError(.invalidConfiguration, "")) {
            _ = try await aws.send(.iam, "ListUsers", parameters: ["version": "2099-01-01"])
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func everyTypedCallIsOnTheList() {
        let operations = [
            "GetAccountAuthorizationDetails", "ListUsers", "ListAccessKeys", "GetAccessKeyLastUsed", "GetLoginProfile",
            "ListMFADevices", "ListSSHPublicKeys", "ListServiceSpecificCredentials", "ListSigningCertificates",
            "ListInstanceProfiles", "ListSAMLProviders", "ListOpenIDConnectProviders", "ListAccountAliases",
            "GenerateCredentialReport", "GetCredentialReport", "ListRoles", "GetRole", "GetCallerIdentity",
            "AssumeRole",
            "AssumeRoleWithWebIdentity", "DescribeRegions", "DescribeInstances", "DescribeVpcEndpoints",
            "DescribeSecurityGroups", "DescribeKeyPairs", "DescribeIamInstanceProfileAssociations", "DescribeTrails",
            "GetTrailStatus", "GetEventSelectors", "LookupEvents", "ListPublicKeys", "DescribeOrganization",
            "ListAccounts", "ListDetectors", "GetDetector", "ListObjectsV2", "GetObject", "HeadObject", "ListRegions",
        ]
        #expect(operations.allSatisfy(ReadOnlyPolicy.isAllowed))
    }
}

/// A credential provider that counts how often it is asked.
final class CallCounter: CredentialProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    var count: Int { lock.withLock { calls } }

    func resolve(for client: AWS) async throws -> CredentialLookup {
        lock.withLock { calls += 1 }
        return .found(ResolvedCredentials(credentials: TestKeys.credentials, source: "counter"))
    }
}
