import CustodyTestSupport
import Diff
import EvidenceArchive
import Foundation
import Testing
import EvidenceReading

/// Every diff rule the lab can produce, each from real API calls on its own entity: the rules
/// scenario (`Scripts/rules-scenario.json`) is played against the local lab, baseline, collect,
/// attack, collect, then `diff` and `hunt`. For each change the finding is on that entity, has the
/// expected severity, and its correlated event is the call that made the change, signed with the
/// leaked key or sent from the attacker's address. Collection runs the built `custody` binary.
///
/// Covered here: `iam.access-key.reactivated`, `iam.login-profile.changed`, `iam.role.trust-changed`,
/// `iam.policy.privileged-attached`, `iam.policy.version-changed`, `iam.group.member-added`,
/// `iam.credential.other-added` (SSH key, virtual MFA device, signing certificate),
/// `iam.identity-provider.changed` (SAML and OIDC), `iam.instance-profile.changed`,
/// `ec2.security-group.opened`, `ec2.key-pair.added`, `logging.trail.impaired` (stopped, selectors,
/// deleted), `guardduty.impaired` (disabled, deleted), `credential-access.secrets`,
/// `exfiltration.resource-shared` (snapshot, image, bucket policy), `execution.instance-command`
/// (SendCommand, user data), `lambda.policy.external-access`, `sts.role-assumed-by-suspect`,
/// `discovery.enumeration`, `auth.denied-burst`, `identity.new-source`, `logging.flow-logs.deleted`,
/// `logging.trail-bucket.impaired` (the trails' bucket policy deleted), a refused DeleteFlowLogs as an
/// attempt under `logging.flow-logs.deleted`, `impact.resource-hijacking` (a GPU instance),
/// `credential-access.user-data`, `lateral.instance-access` (EC2 Instance Connect), and
/// `credentials.instance-role.outside` (a role session of an instance, from the lab's
/// metadata service, used from the attacker's address).
///
/// Covered by the training scenario (`LabScenarioTests`): `iam.access-key.created`,
/// `iam.user.created`, `iam.login-profile.created`, `iam.role.created`,
/// `ec2.instance.launched-with-role`, `ec2.region.first-use`, `ec2.vpc-endpoint.created`,
/// `sts.session-token.issued`, `sts.federation-token.issued`.
///
/// Not produced in the lab, so covered by recorded CloudTrail (`CloudTrailFixtureTests`,
/// `PantherTests`) and hand-made records (`ScenarioDiffTests`) only:
/// - `signin.console-login`: console sign-in has no API; AWS writes the event itself.
/// - `organizations.left`: moto 5.2 has no `LeaveOrganization`.
/// - `iam.roles-anywhere.trust-anchor`: moto 5.2 has no IAM Roles Anywhere.
/// - the service-specific credential of `iam.credential.other-added`
///   (`CreateServiceSpecificCredential`) and the trusted IP sets of `guardduty.impaired`
///   (`CreateIPSet`, `UpdateIPSet`): moto 5.2 implements neither.
/// - `logging.dns-query-logs.removed`: moto 5.2 has no Resolver query logging.
/// - `logging.model-invocation-logs.deleted`: the scenario plays no Bedrock calls.
/// - the lifecycle rules of `logging.trail-bucket.impaired`: the lab's S3 records do not carry the
///   lifecycle configuration.
/// - `lambda.function.backdoored`: the lab records Lambda calls under their plain names
///   (`UpdateFunctionCode`), where CloudTrail writes `UpdateFunctionCode20150331v2`.
/// - `impact.resource-hijacking`: moto 5.2 has no model agreements or entitlements, and the lab records
///   a `bedrock-runtime` call under the `bedrock` control plane's model (both sign as `bedrock`), so
///   an InvokeModel gets no operation name.
/// - serial console access and keys pushed through it (`lateral.instance-access`): moto 5.2
///   has neither.
@Suite(.serialized)
final class LabRuleTests {

    let lab: LabServer
    let folder: TemporaryFolder
    let regions = ["us-east-1", "eu-west-1"]

    init() throws {
        lab = try LabServer(accounts: 3)
        folder = try TemporaryFolder()
    }

    func collect(_ account: String) throws -> String {
        let run = try #require(builtCustody).run(
            [
                "collect", "--case", folder.file("case"), "--profile", "lab-\(account)", "--regions",
                regions.joined(separator: ","), "--cloudtrail", "lookup",
            ],
            environment: ProcessInfo.processInfo.environment.merging(lab.environment) { $1 })
        #expect(run.status == 0, "\(run.error)")
        return try #require(try EvidenceReaderPaths.archives(folder.file("case/\(account)")).last)
    }

    func play(_ phase: String, ids: String) throws -> [String: Any] {
        let run = try lab.runScenario([
            "--data", LabServer.repositoryRoot + "/Scripts/rules-scenario.json", "--phase", phase, "--ids-out", ids,
        ])
        #expect(run.status == 0, "\(run.text)\(run.error)")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ids))) as? [String: Any]
            ?? [:]
    }

    /// One change the scenario made: the rule, the entity (its id, name or ARN), the severity, and
    /// the calls whose event may be the one tied to it (empty: any call of the attacker's).
    struct Expected: CustomStringConvertible {
        var rule: RuleID
        var entity: String
        var severity: Severity
        var events: Set<String>
        var description: String { "\(rule) on \(entity)" }
    }

    func expectations(_ ids: [String: Any]) throws -> [Expected] {
        let changes = try #require(ids["changes"] as? [String: [String: Any]])
        func id(_ rule: String, _ key: String) throws -> String {
            try #require(changes[rule]?[key] as? String, "\(rule).\(key) missing from the ids")
        }
        return [
            Expected(
                rule: .accessKeyReactivated, entity: try id("iam.access-key.reactivated", "accessKeyId"),
                severity: .high, events: ["UpdateAccessKey"]),
            Expected(
                rule: .loginProfileChanged, entity: try id("iam.login-profile.changed", "userName"), severity: .high,
                events: ["UpdateLoginProfile"]),
            Expected(
                rule: .roleTrustChanged, entity: try id("iam.role.trust-changed", "roleId"), severity: .high,
                events: ["UpdateAssumeRolePolicy"]),
            Expected(
                rule: .privilegedPolicyAttached, entity: try id("iam.policy.privileged-attached", "userId"),
                severity: .high, events: ["AttachUserPolicy"]),
            Expected(
                rule: .privilegedPolicyAttached, entity: try id("iam.policy.privileged-attached", "roleId"),
                severity: .high, events: ["PutRolePolicy"]),
            // By ARN: moto's GetAccountAuthorizationDetails leaves PolicyId out, so the snapshot's is empty.
            Expected(
                rule: .policyVersionChanged, entity: try id("iam.policy.version-changed", "policyArn"), severity: .high,
                events: ["CreatePolicyVersion"]),
            Expected(
                rule: .groupMemberAdded, entity: try id("iam.group.member-added", "userId"), severity: .high,
                events: ["AddUserToGroup"]),
            Expected(
                rule: .otherCredentialAdded, entity: try id("iam.credential.other-added", "sshPublicKeyId"),
                severity: .high, events: ["UploadSSHPublicKey"]),
            Expected(
                rule: .otherCredentialAdded, entity: try id("iam.credential.other-added", "mfaSerialNumber"),
                severity: .high,
                events: ["CreateVirtualMFADevice", "EnableMFADevice"]),
            Expected(
                rule: .otherCredentialAdded, entity: try id("iam.credential.other-added", "certificateId"),
                severity: .high, events: ["UploadSigningCertificate"]),
            Expected(
                rule: .identityProviderChanged, entity: try id("iam.identity-provider.changed", "samlProviderArn"),
                severity: .high, events: ["CreateSAMLProvider"]),
            Expected(
                rule: .identityProviderChanged, entity: try id("iam.identity-provider.changed", "oidcProviderArn"),
                severity: .high,
                events: ["CreateOpenIDConnectProvider"]),
            Expected(
                rule: .instanceProfileChanged, entity: try id("iam.instance-profile.changed", "instanceProfileId"),
                severity: .high,
                events: ["AddRoleToInstanceProfile"]),
            Expected(
                rule: .securityGroupOpened, entity: try id("ec2.security-group.opened", "groupId"), severity: .high,
                events: ["AuthorizeSecurityGroupIngress"]),
            Expected(
                rule: .keyPairAdded, entity: try id("ec2.key-pair.added", "keyName"), severity: .high,
                events: ["ImportKeyPair"]),
            Expected(
                rule: .trailImpaired, entity: try id("logging.trail.impaired", "stopped"), severity: .high,
                events: ["StopLogging"]),
            Expected(
                rule: .trailImpaired, entity: try id("logging.trail.impaired", "selectors"), severity: .high,
                events: ["PutEventSelectors"]),
            Expected(
                rule: .trailImpaired, entity: try id("logging.trail.impaired", "deleted"), severity: .high,
                events: ["DeleteTrail"]),
            Expected(
                rule: .guardDutyImpaired, entity: try id("guardduty.impaired", "disabled"), severity: .high,
                events: ["UpdateDetector"]),
            Expected(
                rule: .guardDutyImpaired, entity: try id("guardduty.impaired", "deleted"), severity: .high,
                events: ["DeleteDetector"]),
            Expected(
                rule: .secretsRead, entity: try id("credential-access.secrets", "secretId"), severity: .high,
                events: ["GetSecretValue"]),
            Expected(
                rule: .secretsRead, entity: try id("credential-access.secrets", "parameterName"), severity: .high,
                events: ["GetParameter"]),
            Expected(
                rule: .resourceShared, entity: try id("exfiltration.resource-shared", "snapshotId"), severity: .high,
                events: ["ModifySnapshotAttribute"]),
            Expected(
                rule: .resourceShared, entity: try id("exfiltration.resource-shared", "imageId"), severity: .high,
                events: ["ModifyImageAttribute"]),
            Expected(
                rule: .resourceShared, entity: try id("exfiltration.resource-shared", "bucket"), severity: .high,
                events: ["PutBucketPolicy"]),
            Expected(
                rule: .instanceCommand, entity: try id("execution.instance-command", "sendCommand"), severity: .high,
                events: ["SendCommand"]),
            Expected(
                rule: .instanceCommand, entity: try id("execution.instance-command", "userData"), severity: .high,
                events: ["ModifyInstanceAttribute"]),
            Expected(
                rule: .lambdaExternalAccess, entity: try id("lambda.policy.external-access", "functionName"),
                severity: .high,
                events: ["AddPermission", "AddPermission20150331v2"]),
            Expected(
                rule: .roleAssumedBySuspect, entity: try id("sts.role-assumed-by-suspect", "roleArn"), severity: .high,
                events: ["AssumeRole"]),
            Expected(
                rule: .enumeration, entity: try id("discovery.enumeration", "accessKeyId"), severity: .high, events: []),
            Expected(
                rule: .deniedBurst, entity: try id("auth.denied-burst", "accessKeyId"), severity: .high,
                events: ["AssumeRole"]),
            Expected(rule: .newSource, entity: try id("identity.new-source", "principal"), severity: .high, events: []),
            Expected(
                rule: .flowLogsDeleted, entity: try id("logging.flow-logs.deleted", "flowLogId"), severity: .high,
                events: ["DeleteFlowLogs"]),
            // A refused call: an attempt, raised to high as the suspect actor's.
            Expected(
                rule: .flowLogsDeleted, entity: try id("logging.flow-logs.deleted", "attempt"), severity: .high,
                events: ["DeleteFlowLogs"]),
            Expected(
                rule: .trailBucketImpaired, entity: try id("logging.trail-bucket.impaired", "bucket"), severity: .high,
                events: ["DeleteBucketPolicy"]),
            Expected(
                rule: .resourceHijacking, entity: try id("impact.resource-hijacking", "instanceId"), severity: .high,
                events: ["RunInstances"]),
            Expected(
                rule: .userData, entity: try id("credential-access.user-data", "instanceId"), severity: .high,
                events: ["DescribeInstanceAttribute"]),
            Expected(
                rule: .instanceAccess, entity: try id("lateral.instance-access", "instanceId"),
                severity: .high, events: ["SendSSHPublicKey"]),
            Expected(
                rule: .instanceRoleOutside,
                entity: try id("credentials.instance-role.outside", "instanceId"), severity: .high,
                events: ["DescribeInstances"]),
        ]
    }

    static func on(_ finding: Finding, _ entity: String) -> Bool {
        finding.entity.id == entity || finding.entity.name == entity || finding.entity.arn == entity
    }

    @Test func everyRuleFiresOnItsOwnChangeTiedToTheLeakedKey() async throws {
        let idsPath = folder.file("ids.json")
        var ids = try play("baseline", ids: idsPath)
        let defender = try #require((ids["defender"] as? [String: Any])?["accountId"] as? String)
        let before = try collect(defender)
        ids = try play("attack", ids: idsPath)
        // A collection's window ends at the whole second it starts: let the attack's last second pass.
        try await Task.sleep(for: .seconds(1.1))
        let after = try collect(defender)

        let attacker = try #require(ids["attacker"] as? [String: Any])
        let leaked = try #require(attacker["leakedAccessKeyId"] as? String)
        let ip = try #require(attacker["sourceIp"] as? String)
        let expected = try expectations(ids)
        let reader = EvidenceReader(trust: TrustStore())

        let report = try await reader.diff(before, after)
        for change in expected {
            let candidates = report.findings.filter { $0.rule == change.rule && Self.on($0, change.entity) }
            let finding = try #require(
                candidates.first,
                "no \(change); \(change.rule) fired on \(report.findings.filter { $0.rule == change.rule }.map(\.entity.id))"
            )
            #expect(candidates.count == 1, "\(change) reported \(candidates.count) times")
            #expect(finding.severity == change.severity, "\(change): \(finding.severity), \(finding.reason)")
            let event = try #require(finding.event, "\(change) has no event")
            #expect(event.accessKeyId == leaked || event.sourceIPAddress == ip, "\(change): \(event)")
            if !change.events.isEmpty {
                #expect(
                    change.events.contains(event.eventName ?? ""), "\(change) tied to \(event.eventName ?? "nothing")")
            }
        }

        // The same slice with no snapshot to compare: every change is still found from its event.
        let hunt = try await reader.hunt([folder.file("case/\(defender)")])
        for rule in Set(expected.map(\.rule)).sorted() {
            let found = hunt.findings.filter {
                $0.rule == rule && ($0.event?.accessKeyId == leaked || $0.event?.sourceIPAddress == ip)
            }
            #expect(!found.isEmpty, "hunt found no \(rule) by the attacker")
        }
    }
}
