@testable import Diff
import Testing

/// The CloudTrail form of every rule, on records nobody on this project wrote: Stratus Red Team's
/// detonation logs and TrailDiscover's examples.
@Suite struct CloudTrailFixtureTests {
    /// A fixture file, the rule it must fire, and the least severity it must have.
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var rule: RuleID
        var severity: Severity
        var testDescription: String { "\(rule) from \(file)" }
    }

    static let cases: [Case] = [
        Case(file: "stratus/aws.persistence.iam-backdoor-user.json", rule: .accessKeyCreated, severity: .high),
        Case(file: "stratus/aws.persistence.iam-create-admin-user.json", rule: .userCreated, severity: .medium),
        Case(
            file: "stratus/aws.persistence.iam-create-admin-user.json", rule: .privilegedPolicyAttached, severity: .high
        ),
        Case(
            file: "stratus/aws.persistence.iam-create-user-login-profile.json", rule: .loginProfileCreated,
            severity: .high),
        Case(
            file: "stratus/aws.privilege-escalation.iam-update-user-login-profile.json", rule: .loginProfileChanged,
            severity: .high),
        Case(file: "stratus/aws.persistence.iam-create-backdoor-role.json", rule: .roleCreated, severity: .high),
        Case(file: "stratus/aws.persistence.iam-backdoor-role.json", rule: .roleTrustChanged, severity: .high),
        Case(file: "traildiscover/UpdateSAMLProvider.json.cloudtrail", rule: .identityProviderChanged, severity: .high),
        Case(
            file: "stratus/aws.exfiltration.ec2-security-group-open-port-22-ingress.json", rule: .securityGroupOpened,
            severity: .high),
        Case(file: "stratus/aws.defense-evasion.cloudtrail-stop.json", rule: .trailImpaired, severity: .high),
        Case(file: "stratus/aws.defense-evasion.cloudtrail-delete.json", rule: .trailImpaired, severity: .high),
        Case(
            file: "stratus/aws.defense-evasion.cloudtrail-event-selectors.json", rule: .trailImpaired, severity: .high),
        Case(file: "stratus/aws.persistence.sts-federation-token.json", rule: .federationTokenIssued, severity: .high),
        Case(file: "stratus/aws.initial-access.console-login-without-mfa.json", rule: .consoleLogin, severity: .medium),
        Case(
            file: "stratus/aws.credential-access.secretsmanager-retrieve-secrets.json", rule: .secretsRead,
            severity: .low),
        Case(
            file: "stratus/aws.credential-access.secretsmanager-batch-retrieve-secrets.json", rule: .secretsRead,
            severity: .low),
        Case(
            file: "stratus/aws.credential-access.ssm-retrieve-securestring-parameters.json", rule: .secretsRead,
            severity: .low),
        Case(file: "stratus/aws.credential-access.ec2-get-password-data.json", rule: .secretsRead, severity: .low),
        Case(
            file: "stratus/aws.persistence.rolesanywhere-create-trust-anchor.json", rule: .rolesAnywhereTrustAnchor,
            severity: .high),
        Case(
            file: "stratus/aws.persistence.lambda-backdoor-function.json", rule: .lambdaExternalAccess, severity: .high),
        Case(file: "stratus/aws.exfiltration.ec2-share-ebs-snapshot.json", rule: .resourceShared, severity: .high),
        Case(file: "stratus/aws.exfiltration.ec2-share-ami.json", rule: .resourceShared, severity: .high),
        Case(file: "stratus/aws.exfiltration.rds-share-snapshot.json", rule: .resourceShared, severity: .high),
        Case(file: "stratus/aws.defense-evasion.organizations-leave.json", rule: .organizationLeft, severity: .medium),
        Case(file: "stratus/aws.execution.ssm-send-command.json", rule: .instanceCommand, severity: .medium),
        Case(file: "stratus/aws.execution.ec2-user-data.json", rule: .instanceCommand, severity: .medium),
        Case(file: "stratus/aws.discovery.ec2-download-user-data.json", rule: .deniedBurst, severity: .medium),
        Case(file: "stratus/aws.defense-evasion.vpc-remove-flow-logs.json", rule: .flowLogsDeleted, severity: .high),
        Case(file: "stratus/aws.defense-evasion.dns-delete-logs.json", rule: .dnsQueryLogsRemoved, severity: .high),
        Case(
            file: "stratus/aws.persistence.lambda-layer-extension.json", rule: .lambdaBackdoored, severity: .medium),
        Case(file: "stratus/aws.persistence.lambda-overwrite-code.json", rule: .lambdaBackdoored, severity: .medium),
        Case(file: "stratus/aws.discovery.ec2-download-user-data.json", rule: .userData, severity: .medium),
        Case(
            file: "stratus/aws.execution.ec2-launch-unusual-instances.json", rule: .resourceHijacking, severity: .medium
        ),
        Case(file: "stratus/aws.impact.bedrock-invoke-model.json", rule: .resourceHijacking, severity: .high),
        Case(file: "stratus/aws.lateral-movement.ec2-instance-connect.json", rule: .instanceAccess, severity: .medium),
        Case(
            file: "stratus/aws.lateral-movement.ec2-serial-console-send-ssh-public-key.json", rule: .instanceAccess,
            severity: .high),
        Case(
            file: "stratus/aws.credential-access.ec2-steal-instance-credentials.json",
            rule: .instanceRoleOutside, severity: .high),
    ]

    /// TrailDiscover's examples of persistence and sharing, mostly refused: nothing was made, so no persistence
    /// finding. A denied call (AccessDenied, UnauthorizedOperation) is a low attempt under the call's rule; one
    /// refused for another reason (no such bucket, a bad parameter) is nothing, and neither is the SSO portal's
    /// console sign-in token. A refused bucket call is on a bucket named like no trail's, and no snapshot says a
    /// trail delivers to it.
    static let refused = [
        "AddPermission20150331v2", "AddRoleToInstanceProfile", "AddUserToGroup", "AssumeRole", "AttachGroupPolicy",
        "AuthorizeSecurityGroupIngress", "CreateAccessKey", "CreateIPSet", "CreateKeyPair", "CreateLoginProfile",
        "CreatePolicyVersion", "CreateRole", "CreateUser", "GetFederationToken",
        "GetSessionToken", "ModifyDBSnapshotAttribute", "ModifyImageAttribute", "ModifySnapshotAttribute",
        "PutBucketAcl",
        "PutBucketPolicy", "UpdateAccessKey", "GetSigninToken", "DeleteBucketPolicy", "CreateFunction20150331",
        "UpdateFunctionCode20150331v2", "UpdateFunctionConfiguration20150331v2",
    ]

    /// TrailDiscover's refused attempts to impair logging or GuardDuty, and the rule each is reported under.
    static let attempts: [(name: String, rule: RuleID)] = [
        ("StopLogging", .trailImpaired), ("DeleteTrail", .trailImpaired), ("UpdateTrail", .trailImpaired),
        ("DeleteDetector", .guardDutyImpaired), ("DeleteFlowLogs", .flowLogsDeleted),
    ]

    @Test(arguments: attempts)
    func refusedAttemptsToImpairLoggingAreMediumFindings(_ name: String, _ rule: RuleID) async throws {
        let log = await Fixtures.log(["traildiscover/\(name).json.cloudtrail"])
        #expect(log.count == 1)
        let findings = DiffEngine.hunt(events: log).findings
        #expect(findings.map(\.rule) == [rule])
        let finding = try #require(findings.first)
        #expect(finding.severity == .medium)
        #expect(finding.title.hasPrefix("Attempt to ") && finding.title.hasSuffix(")"), "\(finding.title)")
        #expect(finding.details["attempt"] == "true")
        #expect(finding.details["errorCode"] == finding.event?.errorCode && finding.details["errorCode"] != nil)
    }

    @Test(arguments: refused)
    func deniedCallsAreLowAttemptsAndOtherRefusalsNothing(_ name: String) async throws {
        let log = await Fixtures.log(["traildiscover/\(name).json.cloudtrail"])
        #expect(log.count == 1)
        let code = try #require(log.rows.first).errorCode
        let denied = log.string(code).map(BehaviourRules.deniedCodes.contains) ?? false
        let findings = DiffEngine.hunt(events: log).findings
        let listed = findings.map { "\($0.rule) \($0.severity) \($0.title)" }
        guard denied else {
            #expect(findings.isEmpty, "\(listed)")
            return
        }
        #expect(findings.count == 1, "\(listed)")
        let finding = try #require(findings.first)
        #expect(EventRules.rulesOfEvent[name]?.contains(finding.rule) == true, "\(listed)")
        #expect(finding.severity == .low && finding.details["attempt"] == "true", "\(listed)")
        #expect(
            finding.title.hasPrefix("Refused attempt: \(name)") || finding.title.hasPrefix("Attempt to"), "\(listed)")
    }

    @Test(arguments: cases)
    func ruleFiresOnTheRecordsOfTheTechnique(_ fixture: Case) async throws {
        let log = await Fixtures.log([fixture.file])
        #expect(log.count > 0)
        let report = DiffEngine.hunt(events: log)
        let found = report.findings.filter { $0.rule == fixture.rule }
        #expect(!found.isEmpty, "rules fired: \(report.findings.map { "\($0.rule) \($0.severity)" })")
        #expect(found.contains { $0.severity >= fixture.severity }, "\(found.map { "\($0.severity): \($0.reason)" })")
        for finding in found {
            #expect(finding.basis == .cloudTrailOnly)
            #expect(finding.event?.eventID != nil && finding.event?.eventTime != nil)
            #expect(!finding.containment.advice.isEmpty)
            #expect(finding.techniques.first?.id.hasPrefix("T") == true)
        }
    }

    @Test func sessionAndFederationTokensCarryTheirExposureWindow() async throws {
        let log = await Fixtures.log(["stratus/aws.persistence.sts-federation-token.json"])
        let report = DiffEngine.hunt(events: log)
        for rule in [RuleID.federationTokenIssued] {
            let finding = try #require(report.findings.first { $0.rule == rule })
            let window = try #require(finding.exposure)
            #expect(window.expiresAt != nil && window.expiresAt! > window.issuedAt)
            #expect(finding.containment.commands.contains { $0.contains("aws:TokenIssueTime") })
        }
    }

    @Test func stratusLogsOfOtherTechniquesReadWithoutCrashing() async throws {
        let log = await Fixtures.log([
            "stratus/aws.impact.bedrock-invoke-model.json", "stratus/aws.lateral-movement.ec2-instance-connect.json",
        ])
        #expect(log.count > 0)
        _ = DiffEngine.hunt(events: log)
    }
}
