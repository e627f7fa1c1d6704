import CustodyJSON
import CustodyTestSupport
@testable import Diff
import Evidence
import EvidenceArchive
import EvidenceReading
import Testing

/// The eradication check: the findings of the course's exercise in miniature (`ScenarioDiffTests`),
/// judged against later snapshots in which the responder contained, removed or left each thing.
@Suite struct EradicationTests {
    typealias Scenario = ScenarioDiffTests
    static let account = Scenario.account
    /// Between the attack's events (from 2026-05-28T20:26:40Z) and the expiry of its 36-hour session token.
    static let soon = "2026-05-29T06:00:00Z"
    static let alice = 0, test = 1

    func attack() async throws -> DiffReport { try await Scenario().report() }

    func check(
        _ report: DiffReport, _ snapshot: Snapshot, at time: String = soon, coverage: [Manifest.CoverageEntry] = []
    ) -> Eradication {
        Eradication.check(
            findings: report.findings, actors: report.actors,
            newest: LoadedSnapshot(snapshot: snapshot, archive: "newest.tar", takenAt: time), coverage: coverage)
    }

    func result(_ check: Eradication, _ rule: RuleID, _ id: String) -> EradicationResult? {
        check.results.first { $0.rule == rule && ($0.entity.id == id || $0.entity.name == id) }
    }

    func status(_ check: Eradication, _ rule: RuleID, _ id: String) -> EradicationStatus? {
        result(check, rule, id)?.status
    }

    /// The snapshot right after the attack, the console password dated as the attacker set it.
    static var attacked: Snapshot {
        var s = Scenario.after
        for i in s.users.indices where s.users[i].userName == "svc-backup" {
            s.users[i].loginProfile = LoginProfile(createDate: "2026-05-28T20:28:00Z")
        }
        return s
    }

    /// The revocation policy the console writes, denying sessions issued before `time`.
    static func revocation(before time: String) -> InlinePolicy {
        InlinePolicy(
            policyName: "AWSRevokeOlderSessions",
            document: [
                "Version": "2012-10-17",
                "Statement": [
                    [
                        "Effect": "Deny", "Action": ["*"], "Resource": ["*"],
                        "Condition": ["DateLessThan": ["aws:TokenIssueTime": .string(time)]],
                    ]
                ],
            ])
    }

    /// The responder followed the course's containment: keys disabled, sessions revoked, the user,
    /// role, profile and instance removed; the VPC endpoint is left.
    static var contained: Snapshot {
        var s = attacked
        s.users[test].accessKeys = [Scenario.key(Scenario.leaked, "Inactive")]
        s.users[test].inlinePolicies = [revocation(before: "2026-05-29T01:00:00Z")]
        s.users[alice].accessKeys = [
            Scenario.key("AKIAALICESECOND00001"), Scenario.key("AKIABACKDOOR00000001", "Inactive"),
        ]
        s.users.removeAll { $0.userName == "svc-backup" }
        s.roles.removeAll { $0.roleName == "AWSBackupOperatorRole" }
        s.instanceProfiles = []
        s.instances = s.instances.map { instance in
            var instance = instance
            if instance.instanceId == "i-0backdoor" { instance.state = "terminated" }
            return instance
        }
        return s
    }

    // MARK: The whole incident

    @Test func rightAfterTheAttackEverythingRemainsWithTheCommandsToContainIt() async throws {
        let report = try await attack()
        let check = check(report, Self.attacked)
        #expect(check.verdict == .remains)
        for (rule, id) in [
            (RuleID.accessKeyCreated, "AKIABACKDOOR00000001"), (.userCreated, "svc-backup"),
            (.loginProfileCreated, "svc-backup"), (.roleCreated, "AWSBackupOperatorRole"),
            (.instanceLaunchedWithRole, "i-0backdoor"), (.vpcEndpointCreated, "vpce-0hidden"),
            (.sessionTokenIssued, "ASIASESSIONTOKEN0001"),
        ] {
            #expect(
                status(check, rule, id) == .remains, "\(rule) \(id): \(String(describing: result(check, rule, id)))")
        }
        let key = try #require(result(check, .accessKeyCreated, "AKIABACKDOOR00000001"))
        #expect(
            key.commands.contains(
                "aws iam update-access-key --user-name alice --access-key-id AKIABACKDOOR00000001 --status Inactive"))
        // The leaked key is no finding's entity: it is checked as the actor's credential.
        let leaked = try #require(check.results.first { $0.entity.id == Scenario.leaked && $0.rule == nil })
        #expect(leaked.status == .remains && leaked.actor != nil)
        #expect(leaked.commands.first?.contains("--access-key-id \(Scenario.leaked) --status Inactive") == true)
        let session = try #require(result(check, .sessionTokenIssued, "ASIASESSIONTOKEN0001"))
        #expect(session.commands == [Containment.revokeSessions(user: "test")])
        #expect(session.reason.contains(Containment.currentTimePlaceholder))
        // Bursts of calls are no state.
        #expect(check.results.filter { $0.rule == .enumeration }.allSatisfy { $0.status == .notApplicable })
        // What remains comes first, in the findings' order.
        let ranks = check.results.map(\.status.rank)
        #expect(ranks == ranks.sorted())
        #expect(check == self.check(report, Self.attacked), "the same input gives the same check")
    }

    @Test func afterTheCoursesContainmentOnlyTheEndpointRemainsAndDeletingItCompletes() async throws {
        let report = try await attack()
        let check = check(report, Self.contained)
        let remaining = check.results.filter { $0.status == .remains }
        #expect(remaining.map(\.entity.id) == ["vpce-0hidden"], "\(remaining.map { "\($0.title): \($0.reason)" })")
        #expect(check.verdict == .remains)
        #expect(
            remaining.first?.commands.contains(
                "aws ec2 delete-vpc-endpoints --region sa-east-1 --vpc-endpoint-ids vpce-0hidden") == true)
        #expect(status(check, .accessKeyCreated, "AKIABACKDOOR00000001") == .contained)
        #expect(status(check, .userCreated, "svc-backup") == .removed)
        #expect(status(check, .roleCreated, "AWSBackupOperatorRole") == .removed)
        #expect(status(check, .instanceLaunchedWithRole, "i-0backdoor") == .removed)
        #expect(status(check, .sessionTokenIssued, "ASIASESSIONTOKEN0001") == .contained)
        #expect(check.results.first { $0.entity.id == Scenario.leaked }?.status == .contained)

        var eradicated = Self.contained
        eradicated.vpcEndpoints = []
        let done = self.check(report, eradicated)
        #expect(done.verdict == .complete, "\(done.results.filter { !$0.status.isDone }.map(\.reason))")
        #expect(done.results.allSatisfy { $0.commands.isEmpty })
        #expect(done.summary.hasPrefix("complete"))
    }

    // MARK: Entity kinds

    @Test(arguments: [("Active", EradicationStatus.remains), ("Inactive", .contained), ("deleted", .removed)])
    func anAccessKeyRemainsWhileActive(_ state: String, _ expected: EradicationStatus) async throws {
        let report = try await attack()
        var s = Self.attacked
        s.users[Self.alice].accessKeys.removeAll { $0.accessKeyId == "AKIABACKDOOR00000001" }
        if state != "deleted" { s.users[Self.alice].accessKeys.append(Scenario.key("AKIABACKDOOR00000001", state)) }
        #expect(status(check(report, s), .accessKeyCreated, "AKIABACKDOOR00000001") == expected)
    }

    @Test func aUserIsContainedWithoutKeysPasswordAndWithADenyAllAndRemovedWhenDeleted() async throws {
        let report = try await attack()
        var s = Self.attacked
        let index = try #require(s.users.firstIndex { $0.userName == "svc-backup" })
        s.users[index].loginProfile = nil
        #expect(status(check(report, s), .userCreated, "svc-backup") == .remains)
        #expect(status(check(report, s), .loginProfileCreated, "svc-backup") == .removed)
        s.users[index].inlinePolicies = [
            InlinePolicy(
                policyName: "custody-deny-all",
                document: ["Statement": [["Effect": "Deny", "Action": "*", "Resource": "*"]]])
        ]
        let contained = try #require(result(check(report, s), .userCreated, "svc-backup"))
        #expect(contained.status == .contained && contained.reason.contains("custody-deny-all"))
        s.users.remove(at: index)
        #expect(status(check(report, s), .userCreated, "svc-backup") == .removed)
        #expect(status(check(report, s), .privilegedPolicyAttached, "svc-backup") ?? .removed == .removed)
    }

    @Test func aRoleWhoseTrustNoLongerAdmitsTheOtherAccountIsContained() async throws {
        let report = try await attack()
        var s = Self.attacked
        let index = try #require(s.roles.firstIndex { $0.roleName == "AWSBackupOperatorRole" })
        let remains = try #require(result(check(report, s), .roleCreated, "AWSBackupOperatorRole"))
        #expect(remains.status == .remains && remains.reason.contains("333333333333"))
        #expect(
            remains.commands.contains {
                $0.hasPrefix("aws iam update-assume-role-policy --role-name AWSBackupOperatorRole")
            })
        s.roles[index].trustPolicy = [
            "Statement": [["Effect": "Deny", "Principal": ["AWS": "*"], "Action": "sts:AssumeRole"]]
        ]
        #expect(status(check(report, s), .roleCreated, "AWSBackupOperatorRole") == .contained)
    }

    @Test func aTrustChangeIsUndoneWhenTheTrustNoLongerAdmitsWhatWasAdded() {
        let finding = Finding(
            rule: .roleTrustChanged, title: "Trust policy of role ops admits arn:aws:iam::999988887777:root",
            severity: .high, reason: "", basis: .snapshotDiff, account: Self.account,
            entity: EntityReference(kind: .role, id: "AROAOPS", name: "ops"), containment: Containment(advice: ""),
            details: ["added": "arn:aws:iam::999988887777:root"])
        func role(_ principal: String) -> Snapshot {
            var s = Scenario.before
            s.roles.append(
                IAMRole(
                    roleName: "ops", roleId: "AROAOPS", arn: "arn:aws:iam::\(Self.account):role/ops",
                    createDate: "2026-01-01T00:00:00Z",
                    trustPolicy: [
                        "Statement": [
                            ["Effect": "Allow", "Principal": ["AWS": .string(principal)], "Action": "sts:AssumeRole"]
                        ]
                    ]))
            return s
        }
        func judged(_ snapshot: Snapshot) -> EradicationStatus? {
            Eradication.check(
                findings: [finding], actors: [],
                newest: LoadedSnapshot(snapshot: snapshot, archive: "n.tar", takenAt: Self.soon)
            ).results.first?.status
        }
        #expect(judged(role("arn:aws:iam::999988887777:user/mallory")) == .remains)
        #expect(judged(role("arn:aws:iam::\(Self.account):root")) == .removed)
    }

    @Test(arguments: [
        ("running", true, EradicationStatus.remains), ("stopped", true, .contained), ("running", false, .contained),
        ("terminated", true, .removed),
    ])
    func anInstanceRemainsWhileItRunsWithItsRole(_ state: String, _ profile: Bool, _ expected: EradicationStatus)
        async throws
    {
        let report = try await attack()
        var s = Self.attacked
        let index = try #require(s.instances.firstIndex { $0.instanceId == "i-0backdoor" })
        s.instances[index].state = state
        if !profile { s.instances[index].instanceProfileArn = nil }
        let judged = try #require(result(check(report, s), .instanceLaunchedWithRole, "i-0backdoor"))
        #expect(judged.status == expected, "\(judged.reason)")
        if expected == .remains {
            #expect(judged.commands.contains { $0.contains("disassociate-iam-instance-profile --region sa-east-1") })
        }
    }

    @Test func aRegionTheNewestSnapshotDidNotCollectIsUnknownAndSaysSo() async throws {
        let report = try await attack()
        var s = Self.contained
        s.account.collectedRegions = ["eu-west-1", "us-east-1"]
        s.instances.removeAll { $0.region == "sa-east-1" }
        s.vpcEndpoints = []
        let check = check(report, s)
        let endpoint = try #require(result(check, .vpcEndpointCreated, "vpce-0hidden"))
        #expect(endpoint.status == .unknown && endpoint.reason.contains("did not collect sa-east-1"))
        #expect(status(check, .instanceLaunchedWithRole, "i-0backdoor") == .unknown)
        #expect(check.verdict == .unknown)
    }

    @Test func aListingCutShortMakesAbsenceNoProofButPresenceStillCounts() async throws {
        let report = try await attack()
        var s = Self.attacked
        s.users[Self.alice].accessKeys.removeAll { $0.accessKeyId == "AKIABACKDOOR00000001" }
        let denied = [
            Manifest.CoverageEntry(
                source: "iam", item: "ListAccessKeys", status: .partial,
                error: "1 of 4 calls failed; first: AccessDenied")
        ]
        let missing = try #require(
            result(check(report, s, coverage: denied), .accessKeyCreated, "AKIABACKDOOR00000001"))
        #expect(missing.status == .unknown && missing.reason.contains("ListAccessKeys was partial"))
        #expect(
            status(check(report, Self.attacked, coverage: denied), .accessKeyCreated, "AKIABACKDOOR00000001")
                == .remains)
    }

    @Test func temporaryCredentialsExpireRevokeOrGoWithTheirHolder() async throws {
        let report = try await attack()
        // 36 hours after the token: expired.
        #expect(
            status(
                check(report, Self.attacked, at: "2026-06-01T00:00:00Z"), .sessionTokenIssued, "ASIASESSIONTOKEN0001")
                == .expired)
        // A revocation older than the token does not cover it.
        var s = Self.attacked
        s.users[Self.test].inlinePolicies = [Self.revocation(before: "2026-05-28T00:00:00Z")]
        #expect(status(check(report, s), .sessionTokenIssued, "ASIASESSIONTOKEN0001") == .remains)
        s.users[Self.test].inlinePolicies = [Self.revocation(before: "2026-05-29T00:00:00Z")]
        let revoked = try #require(result(check(report, s), .sessionTokenIssued, "ASIASESSIONTOKEN0001"))
        #expect(revoked.status == .contained && revoked.reason.contains("AWSRevokeOlderSessions"))
        // The federation token is the user's too.
        #expect(status(check(report, s), .federationTokenIssued, "ASIAFEDERATION000001") == .contained)
        // A deny with another condition is partial: not a revocation.
        s.users[Self.test].inlinePolicies = [
            InlinePolicy(
                policyName: "ip-only",
                document: [
                    "Statement": [
                        [
                            "Effect": "Deny", "Action": "*", "Resource": "*",
                            "Condition": ["NotIpAddress": ["aws:SourceIp": "198.51.100.0/24"]],
                        ]
                    ]
                ])
        ]
        #expect(status(check(report, s), .sessionTokenIssued, "ASIASESSIONTOKEN0001") == .remains)
        // Gone with the user.
        s.users.remove(at: Self.test)
        #expect(status(check(report, s), .sessionTokenIssued, "ASIASESSIONTOKEN0001") == .removed)
    }

    @Test func aRoleSessionIsRevokedOnTheRoleAndGoesWithIt() async throws {
        let report = try await attack()
        let session = try #require(report.findings.first { $0.rule == .roleAssumedBySuspect && $0.exposure != nil })
        // The session's own expiry (2026-11-02T01:00:00Z) lies after the newest snapshot.
        var s = Self.attacked
        #expect(status(check(report, s), .roleAssumedBySuspect, session.entity.id) == .remains)
        let index = try #require(s.roles.firstIndex { $0.roleName == "AWSBackupOperatorRole" })
        s.roles[index].inlinePolicies = [Self.revocation(before: "2026-05-29T00:00:00Z")]
        #expect(status(check(report, s), .roleAssumedBySuspect, session.entity.id) == .contained)
        s.roles.remove(at: index)
        #expect(status(check(report, s), .roleAssumedBySuspect, session.entity.id) == .removed)
    }

    @Test func eventsWithoutStateAndRefusedAttemptsDoNotBlock() {
        func finding(_ rule: RuleID, details: [String: String] = [:], effect: Finding.Effect? = nil) -> Finding {
            Finding(
                rule: rule, title: "t", severity: .high, reason: "", basis: .cloudTrailOnly, account: Self.account,
                entity: EntityReference(kind: .accessKey, id: "AKIAOTHER"), effect: effect,
                containment: Containment(advice: ""), details: details)
        }
        let check = Eradication.check(
            findings: [
                finding(.enumeration), finding(.deniedBurst), finding(.newSource),
                finding(.accessKeyCreated, details: ["attempt": "true"]),
                finding(.containmentAction, effect: .cleanUp),
            ], actors: [], newest: LoadedSnapshot(snapshot: Scenario.before, archive: "n.tar", takenAt: Self.soon))
        #expect(check.results.allSatisfy { $0.status == .notApplicable })
        #expect(check.verdict == .complete)
    }

    @Test func whatCustodyDoesNotCollectIsUnknownWithTheFindingsCommands() {
        let finding = Finding(
            rule: .lambdaExternalAccess, title: "Lambda function f opened to *", severity: .high, reason: "",
            basis: .cloudTrailOnly, account: Self.account, entity: EntityReference(kind: .function, id: "f"),
            containment: Containment(advice: "", commands: ["aws lambda get-policy --function-name f"]))
        let check = Eradication.check(
            findings: [finding], actors: [],
            newest: LoadedSnapshot(snapshot: Scenario.before, archive: "n.tar", takenAt: Self.soon))
        #expect(check.results.first?.status == .unknown)
        #expect(check.results.first?.commands == ["aws lambda get-policy --function-name f"])
        #expect(check.verdict == .unknown)
    }

    @Test func everyRuleHasAJudge() {
        let missing = Rule.all.map(\.id).filter { EradicationCheck.judges[$0] == nil }
        #expect(missing.isEmpty, "rules without an eradication judge: \(missing)")
    }

    // MARK: The state forms' details, end to end

    @Test func anOpenedSecurityGroupIsUndoneWhenTheSourceIsRevoked() throws {
        var before = Scenario.before
        before.securityGroups = [SecurityGroup(groupId: "sg-1", region: "eu-west-1", groupName: "web")]
        var after = before
        after.securityGroups[0].ingress = [
            SecurityGroupRule(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: ["0.0.0.0/0"])
        ]
        let report = DiffEngine.diff(
            before: LoadedSnapshot(snapshot: before, archive: "b.tar", takenAt: "2026-05-28T00:00:00Z"),
            after: LoadedSnapshot(snapshot: after, archive: "a.tar", takenAt: Self.soon))
        #expect(report.eradication?.verdict == .remains)
        var revoked = after
        revoked.securityGroups[0].ingress = [
            SecurityGroupRule(ipProtocol: "tcp", fromPort: 443, toPort: 443, ipv4Ranges: ["10.0.0.0/8"])
        ]
        #expect(status(check(report, revoked), .securityGroupOpened, "sg-1") == .removed)
    }

    /// Stratus Red Team's real record: the CloudTrail form names the sources its rule admitted.
    @Test func theCloudTrailFormOfAnOpenedGroupNamesItsSourcesToCheck() async throws {
        let log = await Fixtures.log(["stratus/aws.exfiltration.ec2-security-group-open-port-22-ingress.json"])
        let finding = try #require(DiffEngine.hunt(events: log).findings.first { $0.rule == .securityGroupOpened })
        #expect(finding.details["sources"] == "208.236.235.254/0")
        let region = try #require(finding.region)
        func judged(_ ranges: [String]) -> EradicationStatus? {
            var s = Scenario.before
            s.account.collectedRegions.append(region)
            s.securityGroups = [
                SecurityGroup(
                    groupId: finding.entity.id, region: region, groupName: "g",
                    ingress: ranges.isEmpty
                        ? [] : [SecurityGroupRule(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: ranges)])
            ]
            return Eradication.check(
                findings: [finding], actors: [],
                newest: LoadedSnapshot(snapshot: s, archive: "n.tar", takenAt: Self.soon)
            ).results.first?.status
        }
        #expect(judged(["208.236.235.254/0"]) == .remains)
        #expect(judged(["10.0.0.0/8"]) == .removed)
    }

    @Test func aNewRegionsOwnThingsAreJudgedThereAndTheOthersByTheirFindings() async throws {
        let report = try await attack()
        let region = try #require(result(check(report, Self.attacked), .regionFirstUse, "sa-east-1"))
        #expect(region.status == .notApplicable, "\(region.reason)")
        // An instance without a role makes no finding of its own: the region's finding judges it.
        var before = Scenario.before
        before.instances = []
        var after = before
        after.instances = [EC2Instance(instanceId: "i-0plain", region: "ap-south-1", state: "running")]
        after.account.collectedRegions.append("ap-south-1")
        before.account.collectedRegions.append("ap-south-1")
        let plain = DiffEngine.diff(
            before: LoadedSnapshot(snapshot: before, archive: "b.tar", takenAt: "2026-05-28T00:00:00Z"),
            after: LoadedSnapshot(snapshot: after, archive: "a.tar", takenAt: Self.soon))
        #expect(status(check(plain, after), .regionFirstUse, "ap-south-1") == .remains)
        after.instances[0].state = "terminated"
        #expect(status(check(plain, after), .regionFirstUse, "ap-south-1") == .removed)
    }

    @Test func aStoppedTrailRemainsUntilItLogsAgain() throws {
        var after = Scenario.before
        after.trails[0].isLogging = false
        let report = DiffEngine.diff(
            before: LoadedSnapshot(snapshot: Scenario.before, archive: "b.tar", takenAt: "2026-05-28T00:00:00Z"),
            after: LoadedSnapshot(snapshot: after, archive: "a.tar", takenAt: Self.soon))
        #expect(status(check(report, after), .trailImpaired, "management-events") == .remains)
        #expect(status(check(report, Scenario.before), .trailImpaired, "management-events") == .removed)
    }

    /// A change the state rules find, made to the baseline and then undone (or disabled).
    enum Change: String, CaseIterable, Sendable {
        case keyPair, sshKey, mfaDevice, groupMember, policyVersion, samlProvider, instanceProfile, adminPolicy
        case detector, organization

        var rule: RuleID {
            switch self {
            case .keyPair: .keyPairAdded
            case .sshKey, .mfaDevice: .otherCredentialAdded
            case .groupMember: .groupMemberAdded
            case .policyVersion: .policyVersionChanged
            case .samlProvider: .identityProviderChanged
            case .instanceProfile: .instanceProfileChanged
            case .adminPolicy: .privilegedPolicyAttached
            case .detector: .guardDutyImpaired
            case .organization: .organizationLeft
            }
        }

        /// What undoing it leaves: the SSH key is only made Inactive.
        var undone: EradicationStatus { self == .sshKey ? .contained : .removed }

        static let admin = AttachedPolicy(
            policyName: "AdministratorAccess", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess")

        var baseline: Snapshot {
            var s = Scenario.before
            s.groups = [
                IAMGroup(
                    groupName: "admins", groupId: "AGPAADMINS", arn: "arn:aws:iam::\(account):group/admins",
                    createDate: "2026-01-01T00:00:00Z", attachedPolicies: [Self.admin])
            ]
            s.policies = [
                ManagedPolicy(
                    policyName: "ops", policyId: "ANPAOPS", arn: "arn:aws:iam::\(account):policy/ops",
                    defaultVersionId: "v1", attachmentCount: 1, createDate: "2026-01-01T00:00:00Z")
            ]
            s.instanceProfiles = [
                InstanceProfile(
                    instanceProfileName: "web-server", instanceProfileId: "AIPAWEB",
                    arn: "arn:aws:iam::\(account):instance-profile/web-server", createDate: "2026-01-01T00:00:00Z")
            ]
            s.account.organization = OrganizationMembership(id: "o-example")
            return s
        }

        func made(_ s: inout Snapshot) {
            switch self {
            case .keyPair: s.keyPairs = [KeyPair(keyPairId: "key-0abc", region: "eu-west-1", keyName: "backdoor")]
            case .sshKey:
                s.users[EradicationTests.alice].sshPublicKeys = [
                    SSHPublicKey(sshPublicKeyId: "APKABACKDOOR", status: "Active", uploadDate: "2026-05-28T20:30:00Z")
                ]
            case .mfaDevice:
                s.users[EradicationTests.alice].mfaDevices = [
                    MFADevice(serialNumber: "arn:aws:iam::\(account):mfa/x", enableDate: "2026-05-28T20:30:00Z")
                ]
            case .groupMember: s.users[EradicationTests.alice].groups = ["admins"]
            case .policyVersion: s.policies[0].defaultVersionId = "v2"
            case .samlProvider:
                s.identityProviders.saml = [SAMLProvider(arn: "arn:aws:iam::\(account):saml-provider/evil")]
            case .instanceProfile: s.instanceProfiles[0].roles = ["web-server-role"]
            case .adminPolicy: s.users[EradicationTests.alice].attachedPolicies = [Self.admin]
            case .detector: s.detectors[0].status = "DISABLED"
            case .organization: s.account.organization = nil
            }
        }

        func undo(_ s: inout Snapshot) {
            switch self {
            case .keyPair: s.keyPairs = []
            case .sshKey: s.users[EradicationTests.alice].sshPublicKeys[0].status = "Inactive"
            case .mfaDevice: s.users[EradicationTests.alice].mfaDevices = []
            case .groupMember: s.users[EradicationTests.alice].groups = []
            case .policyVersion: s.policies[0].defaultVersionId = "v1"
            case .samlProvider: s.identityProviders.saml = []
            case .instanceProfile: s.instanceProfiles[0].roles = []
            case .adminPolicy: s.users[EradicationTests.alice].attachedPolicies = []
            case .detector: s.detectors[0].status = "ENABLED"
            case .organization: s.account.organization = OrganizationMembership(id: "o-example")
            }
        }
    }

    @Test(arguments: Change.allCases)
    func eachStateFindingRemainsUntilUndone(_ change: Change) throws {
        let before = change.baseline
        var after = before
        change.made(&after)
        let report = DiffEngine.diff(
            before: LoadedSnapshot(snapshot: before, archive: "b.tar", takenAt: "2026-05-28T00:00:00Z"),
            after: LoadedSnapshot(snapshot: after, archive: "a.tar", takenAt: Self.soon))
        let found = try #require(
            report.eradication?.results.first { $0.rule == change.rule }, "\(report.findings.map(\.rule))")
        #expect(found.status == .remains, "\(found.reason)")
        #expect(!found.commands.isEmpty)
        #expect(found.evidence?.archive == "a.tar")
        var cleaned = after
        change.undo(&cleaned)
        let judged = try #require(check(report, cleaned).results.first { $0.rule == change.rule })
        #expect(judged.status == change.undone, "\(judged.reason)")
        #expect(judged.commands.isEmpty)
    }

    @Test func hijackedCapacityRemainsWhileAnyInstanceRuns() {
        let finding = Finding(
            rule: .resourceHijacking, title: "GPU instances", severity: .high, reason: "", basis: .cloudTrailOnly,
            account: Self.account, region: "eu-west-1",
            entity: EntityReference(kind: .instance, id: "i-0gpu1,i-0gpu2", region: "eu-west-1"),
            containment: Containment(
                advice: "", commands: ["aws ec2 terminate-instances --region eu-west-1 --instance-ids i-0gpu1 i-0gpu2"])
        )
        func judged(_ states: [String]) -> EradicationStatus? {
            var s = Scenario.before
            s.instances += zip(["i-0gpu1", "i-0gpu2"], states).map {
                EC2Instance(instanceId: $0.0, region: "eu-west-1", state: $0.1)
            }
            return Eradication.check(
                findings: [finding], actors: [],
                newest: LoadedSnapshot(snapshot: s, archive: "n.tar", takenAt: Self.soon)
            ).results.first?.status
        }
        #expect(judged(["terminated", "running"]) == .remains)
        #expect(judged(["terminated", "stopped"]) == .contained)
        #expect(judged(["terminated", "terminated"]) == .removed)
        #expect(judged([]) == .removed, "gone from the listing")
    }

    // MARK: Hostile evidence

    @Test func namesFromTheEvidenceAreCarriedVerbatimAndNothingCrashes() throws {
        let hostile = "evil\u{1B}[31m|`<script>`\u{202E}"
        let finding = Finding(
            rule: .userCreated, title: "IAM user \(hostile) created", severity: .high, reason: "",
            basis: .cloudTrailOnly,
            account: Self.account, entity: EntityReference(kind: .user, id: hostile, name: hostile),
            containment: Containment(advice: ""))
        var s = Scenario.before
        s.users.append(Scenario.user(hostile, keys: [Scenario.key("AKIAHOSTILE000000001")]))
        let check = Eradication.check(
            findings: [finding], actors: [],
            newest: LoadedSnapshot(snapshot: s, archive: "n.tar", takenAt: "not a time"))
        let judged = try #require(check.results.first)
        #expect(judged.status == .remains)
        #expect(judged.reason.contains(hostile))
    }
}
