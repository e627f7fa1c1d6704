import CustodyTestSupport
import Diff
import Testing

/// Panther's hand-written CloudTrail tests, each with its `expected_result`: where Panther's rule
/// and ours mean the same thing, ours fires on the positives and stays silent (or, where our rule
/// judges the act benign, says so at low severity) on the negatives.
@Suite struct PantherTests {
    /// What our rule must do on one of Panther's tests.
    enum Expectation: Sendable {
        /// Fire, at least at this severity.
        case fires(Severity)
        /// Not fire at all.
        case silent
        /// At most a low finding: seen, judged benign.
        case benign
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var pantherRule: String
        var test: String
        var rule: RuleID
        var expectation: Expectation
        var testDescription: String { "\(pantherRule): \(test)" }
    }

    static let cases: [Case] = [
        Case(
            pantherRule: "AWS.IAM.Backdoor.User.Keys", test: "user1 create keys for user2", rule: .accessKeyCreated,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.IAM.Backdoor.User.Keys", test: "jackson create keys for jack", rule: .accessKeyCreated,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.IAM.Backdoor.User.Keys", test: "user1 create keys for user1", rule: .accessKeyCreated,
            expectation: .benign),
        Case(
            pantherRule: "AWS.IAM.Backdoor.User.Keys", test: "CreateKey returns error code", rule: .accessKeyCreated,
            expectation: .silent),
        Case(
            pantherRule: "AWS.IAM.CreateUser", test: "IAM User Created", rule: .userCreated,
            expectation: .fires(.medium)),
        Case(pantherRule: "AWS.IAM.CreateUser", test: "IAM User Not Created", rule: .userCreated, expectation: .silent),
        Case(
            pantherRule: "AWS.IAM.CreateRole", test: "IAM Role Created", rule: .roleCreated, expectation: .fires(.low)),
        Case(pantherRule: "AWS.IAM.CreateRole", test: "IAM Role Not Created", rule: .roleCreated, expectation: .silent),
        Case(
            pantherRule: "AWS.IAM.BackdoorRole", test: "IAM Role Policy Updated to Allow Internet Access",
            rule: .roleTrustChanged, expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.IAM.BackdoorRole", test: "IAM Role Policy Updated Without Internet Access",
            rule: .roleTrustChanged, expectation: .benign),
        Case(
            pantherRule: "AWS.IAM.BackdoorRole", test: "IAM Role Policy Updated With No Policy Document",
            rule: .roleTrustChanged, expectation: .silent),
        Case(
            pantherRule: "AWS.IAM.AttachAdminUserPolicy", test: "IAM User Policy Attached with Administrator Access",
            rule: .privilegedPolicyAttached, expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.IAM.AttachAdminUserPolicy", test: "IAM User Policy Attached without Administrator Access",
            rule: .privilegedPolicyAttached, expectation: .silent),
        Case(
            pantherRule: "AWS.IAM.AttachAdminRolePolicy", test: "IAM Role Policy Attached with Administrator Access",
            rule: .privilegedPolicyAttached, expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.IAM.AttachAdminRolePolicy", test: "IAM Role Policy Attached without Administrator Access",
            rule: .privilegedPolicyAttached, expectation: .silent),
        Case(
            pantherRule: "AWS.User.Login.Profile.Modified", test: "User changed password for other",
            rule: .loginProfileChanged, expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.User.Login.Profile.Modified", test: "ChangeOwnPassword", rule: .loginProfileChanged,
            expectation: .benign),
        Case(
            pantherRule: "AWS.User.Login.Profile.Modified", test: "User changed password for other reset required",
            rule: .loginProfileChanged, expectation: .benign),
        Case(
            pantherRule: "AWS.EC2.SecurityGroupModified", test: "Security Group Modified", rule: .securityGroupOpened,
            expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.EC2.SecurityGroupModified", test: "Security Group Not Modified",
            rule: .securityGroupOpened, expectation: .silent),
        Case(
            pantherRule: "AWS.EC2.SecurityGroupModified", test: "Error Mofidying Security Group",
            rule: .securityGroupOpened, expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.Stopped", test: "CloudTrail Was Stopped", rule: .trailImpaired,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.CloudTrail.Stopped", test: "CloudTrail Was Started", rule: .trailImpaired,
            expectation: .silent),
        // Not "Error Stopping CloudTrail": Panther leaves refused calls out, and here a refused attempt to stop
        // logging is a medium finding (`CloudTrailFixtureTests.refusedAttemptsToImpairLoggingAreMediumFindings`).
        Case(
            pantherRule: "AWS.CloudTrail.EventSelectorsDisabled", test: "Event Selector Disabled", rule: .trailImpaired,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.CloudTrail.EventSelectorsDisabled", test: "Event Selector Enabled", rule: .trailImpaired,
            expectation: .benign),
        Case(
            pantherRule: "AWS.CloudTrail.EventSelectorsDisabled", test: "Uninteresting Event Type",
            rule: .trailImpaired, expectation: .silent),
        Case(
            pantherRule: "AWS.STS.GetSessionToken.Misuse", test: "GetSessionToken by IAM User",
            rule: .sessionTokenIssued, expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.STS.GetSessionToken.Misuse", test: "GetSessionToken Failed", rule: .sessionTokenIssued,
            expectation: .benign),
        Case(
            pantherRule: "AWS.STS.GetSessionToken.Misuse", test: "GetSessionToken by Assumed Role",
            rule: .sessionTokenIssued, expectation: .silent),
        Case(
            pantherRule: "AWS.STS.GetSessionToken.Misuse", test: "Unrelated STS Event", rule: .sessionTokenIssued,
            expectation: .silent),
        Case(
            pantherRule: "AWS.Console.GetSigninToken.Abuse", test: "Suspicious GetSigninToken",
            rule: .federationTokenIssued, expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.Console.GetSigninToken.Abuse", test: "Legitimate SSO Portal GetSigninToken",
            rule: .federationTokenIssued, expectation: .silent),
        Case(
            pantherRule: "AWS.Console.LoginWithoutMFA", test: "No MFA Login - IAM User", rule: .consoleLogin,
            expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.Console.LoginWithoutMFA", test: "No MFA Login - Root User", rule: .consoleLogin,
            expectation: .fires(.high)),
        Case(pantherRule: "AWS.Console.LoginWithoutMFA", test: "MFA Login", rule: .consoleLogin, expectation: .silent),
        Case(
            pantherRule: "AWS.Console.LoginWithoutMFA", test: "MFA Login - SAML", rule: .consoleLogin,
            expectation: .silent),
        Case(
            pantherRule: "AWS.Console.LoginWithoutMFA", test: "AWS SSOv2 Login", rule: .consoleLogin,
            expectation: .silent),
        Case(
            pantherRule: "AWS.Console.LoginWithoutMFA", test: "No MFA - IAM Role and External IDP", rule: .consoleLogin,
            expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.AttemptToLeaveOrg", test: "Failed Attempt to Leave Org",
            rule: .organizationLeft, expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.SecretsManager.RetrieveSecrets", test: "GetSecretValue Denied", rule: .secretsRead,
            expectation: .fires(.low)),
        Case(
            pantherRule: "AWS.SSM.DecryptSSMParams", test: "Single Secret Accessed in Single Event", rule: .secretsRead,
            expectation: .fires(.low)),
        Case(
            pantherRule: "AWS.SSM.DecryptSSMParams", test: "Accessed Parameters Aren't Encrypted", rule: .secretsRead,
            expectation: .silent),
        Case(
            pantherRule: "AWS.SSM.DecryptSSMParams", test: "Unrelated Event", rule: .secretsRead, expectation: .silent),
        Case(
            pantherRule: "AWS.EC2.ManyPasswordReadAttempts", test: "Successful Attempt", rule: .secretsRead,
            expectation: .fires(.low)),
        Case(
            pantherRule: "AWS.EC2.Startup.Script.Change", test: "ModifyInstanceAttributeUserdata",
            rule: .instanceCommand, expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.SSM.DistributedCommand", test: "Unrelated Event", rule: .instanceCommand,
            expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.SnapshotMadePublic", test: "Snapshot Made Publicly Accessible",
            rule: .resourceShared, expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.CloudTrail.SnapshotMadePublic", test: "Snapshot Mader Available to Single Person",
            rule: .resourceShared, expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.CloudTrail.SnapshotMadePublic", test: "Snapshot Not Made Publicly Accessible",
            rule: .resourceShared, expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.SnapshotMadePublic", test: "Error Making Snapshot Publicly Accessible",
            rule: .resourceShared, expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.AMIModifiedForPublicAccess", test: "AMI Made Public", rule: .resourceShared,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.CloudTrail.AMIModifiedForPublicAccess", test: "AMI Not Made Public",
            rule: .resourceShared, expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.AMIModifiedForPublicAccess", test: "AMI Launch Permissions Not Modified",
            rule: .resourceShared, expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.AMIModifiedForPublicAccess", test: "Error Making AMI Public",
            rule: .resourceShared, expectation: .benign),
        Case(
            pantherRule: "AWS.RDS.SnapshotShared", test: "Snapshot shared with another account", rule: .resourceShared,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.RDS.SnapshotShared", test: "Snapshot shared with no accounts", rule: .resourceShared,
            expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.ResourceMadePublic", test: "S3 Made Publicly Accessible",
            rule: .resourceShared, expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.CloudTrail.ResourceMadePublic", test: "S3 Not Made Publicly Accessible",
            rule: .resourceShared, expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.ResourceMadePublic", test: "S3 Failed to make Publicly Accessible",
            rule: .resourceShared, expectation: .benign),
        Case(
            pantherRule: "AWS.CloudTrail.ResourceMadePublic",
            test: "All Restrictive Conditions Types (Should Not Alert)", rule: .resourceShared, expectation: .silent),
        Case(
            pantherRule: "AWS.VPCFlow.LogsDeleted", test: "Logs Deleted", rule: .flowLogsDeleted,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.CloudTrail.DNSLogsDeleted", test: "Logs Deleted", rule: .dnsQueryLogsRemoved,
            expectation: .fires(.high)),
        Case(
            pantherRule: "AWS.Bedrock.DeleteModelInvocationLoggingConfiguration",
            test: "Model Invocation Logging Configuration Deleted", rule: .modelInvocationLogsDeleted,
            expectation: .fires(.high)),
        // No snapshot names the trails' buckets here: a bucket named like a trail's is at most medium.
        Case(
            pantherRule: "AWS.CloudTrail.ShortLifecycle", test: "1-Day Lifecycle Rule on Known CT Bucket",
            rule: .trailBucketImpaired, expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.CloudTrail.ShortLifecycle", test: "Disabled 1-Day Lifecycle Rule on Known CT Bucket",
            rule: .trailBucketImpaired, expectation: .silent),
        Case(
            pantherRule: "AWS.CloudTrail.ShortLifecycle", test: "730-Day Lifecycle Rule on Known CT Bucket",
            rule: .trailBucketImpaired, expectation: .benign),
        Case(
            pantherRule: "AWS.Lambda.UpdateFunctionCode", test: "IAM User Updates Lambda Code", rule: .lambdaBackdoored,
            expectation: .fires(.medium)),
        Case(
            pantherRule: "AWS.Lambda.UpdateFunctionConfiguration",
            test: "Lambda Update Function Configuration without Layers", rule: .lambdaBackdoored, expectation: .silent),
    ]

    @Test(arguments: cases)
    func agreesWithPantherWhereTheRulesMeanTheSame(_ fixture: Case) async throws {
        let entry = try #require(
            Fixtures.panther.first { $0.rule == fixture.pantherRule && $0.test == fixture.test }, "no such Panther test"
        )
        let folder = try TemporaryFolder()
        let log = try await Fixtures.log(records: [entry.log], folder: folder)
        let found = DiffEngine.hunt(events: log).findings.filter { $0.rule == fixture.rule }
        switch fixture.expectation {
        case .fires(let severity):
            #expect(entry.expected)
            #expect(found.contains { $0.severity >= severity }, "\(found.map { "\($0.severity) \($0.title)" })")
        case .silent:
            #expect(found.isEmpty, "\(found.map { "\($0.severity) \($0.title)" })")
        case .benign:
            #expect(found.allSatisfy { $0.severity == .low }, "\(found.map { "\($0.severity) \($0.title)" })")
        }
    }
}
