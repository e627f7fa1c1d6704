import CustodyJSON
import CustodyTestSupport
@testable import Diff
import Testing

/// Hijack-sized launches, Bedrock abuse, user data, SSH keys pushed to instances, and instance
/// credentials used away from their instance: how each judges severity, how events of one caller
/// become one finding, and what must not fire.
@Suite struct HijackAndInstanceRuleTests {
    static let account = "111122223333"

    static func role(_ name: String, session: String, key: String) -> JSONValue {
        [
            "type": "AssumedRole", "principalId": .string("AROAEXAMPLE:\(session)"),
            "arn": .string("arn:aws:sts::\(account):assumed-role/\(name)/\(session)"), "accountId": .string(account),
            "accessKeyId": .string(key),
            "sessionContext": [
                "sessionIssuer": [
                    "type": "Role", "arn": .string("arn:aws:iam::\(account):role/\(name)"), "userName": .string(name),
                ]
            ],
        ]
    }

    static let mallory = RecordMaker.user("mallory", key: "AKIAMALLORY000000001")

    func hunt(_ records: [JSONValue], snapshots: SnapshotFacts = SnapshotFacts(), suspects: [String] = [])
        async throws -> HuntReport
    {
        let folder = try TemporaryFolder()
        let log = try await Fixtures.log(records: records, folder: folder)
        return DiffEngine.hunt(events: log, suspectKeys: suspects, snapshots: snapshots)
    }

    func found(_ report: HuntReport, _ rule: RuleID) -> [Finding] { report.findings.filter { $0.rule == rule } }

    // MARK: Compute hijacking

    @Test(arguments: [
        ("p3.2xlarge", true), ("g4dn.xlarge", true), ("gr6.4xlarge", true), ("inf2.xlarge", true),
        ("trn1.32xlarge", true), ("dl1.24xlarge", true), ("f1.2xlarge", true), ("vt1.3xlarge", true),
        ("m5.24xlarge", true), ("c5.metal", true), ("x2iedn.32xlarge", true), ("r6i.16xlarge", false),
        ("t3.micro", false), ("m6g.large", false), ("i3.large", false), ("c7gn.12xlarge", false),
    ])
    func hijackSizedTypesAreAcceleratedWholeHostsOrTheLargest(_ type: String, _ sized: Bool) {
        #expect((EventRules.hijackSized(type: type) != nil) == sized)
    }

    func runInstances(
        _ maker: inout RecordMaker, type: JSONValue, min: JSONValue = 1, max: JSONValue = 1, launched: [String] = [],
        error: String? = nil, profile: String? = nil
    ) -> JSONValue {
        var request: [String: JSONValue] = [
            "instanceType": type,
            "instancesSet": ["items": [["imageId": "ami-0abc", "minCount": min, "maxCount": max]]],
        ]
        if let profile { request["iamInstanceProfile"] = ["name": .string(profile)] }
        let response: JSONValue =
            launched.isEmpty
            ? .null
            : ["instancesSet": ["items": .array(launched.map { ["instanceId": .string($0), "instanceType": type] })]]
        return maker.record(
            "RunInstances", source: "ec2.amazonaws.com", identity: Self.mallory, request: .object(request),
            response: response, error: error)
    }

    @Test func aSuccessfulGPULaunchIsHighAndNamesItsInstances() async throws {
        var maker = RecordMaker()
        let report = try await hunt([
            runInstances(&maker, type: "p3.8xlarge", launched: ["i-0aaa1111bbbb2222c"], profile: "worker")
        ])
        let finding = try #require(found(report, .resourceHijacking).first)
        #expect(finding.severity == .high)
        #expect(finding.entity.id == "i-0aaa1111bbbb2222c")
        #expect(finding.techniques.first?.id == "T1496.001")
        #expect(finding.containment.commands.contains { $0.contains("terminate-instances") && $0.contains("i-0aaa") })
        #expect(finding.containment.commands.contains { $0.hasPrefix("aws service-quotas") })
        // The same event still tells of the role the instance carries.
        #expect(!found(report, .instanceLaunchedWithRole).isEmpty)
    }

    @Test func aRefusedLaunchIsAnAttemptOfMediumSeverity() async throws {
        var maker = RecordMaker()
        let report = try await hunt([
            runInstances(&maker, type: ["value": "g5.12xlarge"], max: 4, error: "VcpuLimitExceeded")
        ])
        let finding = try #require(found(report, .resourceHijacking).first)
        #expect(finding.severity == .medium)
        #expect(finding.title.contains("Attempt") && finding.title.contains("VcpuLimitExceeded"))
        #expect(finding.entity.id == "4 × g5.12xlarge")
    }

    @Test func manySmallInstancesAtOnceAreHijackSizedAndAFewAreNot() async throws {
        var maker = RecordMaker()
        let many = try await hunt([runInstances(&maker, type: "t3.micro", min: "5", max: 12)])
        #expect(found(many, .resourceHijacking).first?.details["instances"] == "12")
        let few = try await hunt([
            runInstances(&maker, type: "t3.micro", min: 1, max: 2),
            runInstances(&maker, type: "t3.micro", min: 1e300, max: -4),
        ])
        #expect(found(few, .resourceHijacking).isEmpty)
    }

    @Test func aSuspectsRefusedAttemptIsRaisedToHigh() async throws {
        var maker = RecordMaker()
        let report = try await hunt(
            [runInstances(&maker, type: "p4d.24xlarge", error: "InsufficientInstanceCapacity")],
            suspects: ["AKIAMALLORY000000001"])
        #expect(found(report, .resourceHijacking).first?.severity == .high)
    }

    // MARK: Bedrock

    func bedrock(_ maker: inout RecordMaker, _ name: String, _ identity: JSONValue, error: String? = nil) -> JSONValue {
        maker.record(
            name, source: "bedrock.amazonaws.com", identity: identity,
            request: ["modelId": "anthropic.claude-3-sonnet-20240229-v1:0"], error: error)
    }

    @Test func theStratusLLMjackingIsOneHighFindingForItsKey() async throws {
        let log = await Fixtures.log(["stratus/aws.impact.bedrock-invoke-model.json"])
        let findings = DiffEngine.hunt(events: log).findings.filter { $0.rule == .resourceHijacking }
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.severity == .high)
        #expect(finding.entity.id == "ASIA6FTSFH98XNF7DFZB")
        #expect(finding.relatedEvents.count == 15)
        #expect(finding.techniques.first?.id == "T1496.004")
        #expect(finding.title.contains("model access enabled for anthropic.claude-3-sonnet-20240229-v1:0"))
        #expect(
            finding.containment.commands.contains {
                $0.contains("delete-foundation-model-agreement") && $0.contains("claude-3-sonnet")
            })
        #expect(finding.containment.commands.contains { $0.contains("put-model-invocation-logging-configuration") })
        #expect(finding.containment.commands.contains { $0.contains("aws:TokenIssueTime") && $0.contains("test-role") })
    }

    @Test func aWorkloadRolesInvocationsAloneAreLowAndAUsersAreMedium() async throws {
        var maker = RecordMaker()
        let app = Self.role("chatbot", session: "task-1", key: "ASIACHATBOT000000001")
        let records =
            (0..<3).map { _ in bedrock(&maker, "InvokeModel", app) }
            + [bedrock(&maker, "Converse", Self.mallory), bedrock(&maker, "ConverseStream", Self.mallory)]
        let findings = found(try await hunt(records), .resourceHijacking)
        #expect(findings.count == 2)
        let role = try #require(findings.first { $0.entity.id == "ASIACHATBOT000000001" })
        #expect(role.severity == .low && role.details["invocations"] == "3")
        let user = try #require(findings.first { $0.entity.id == "AKIAMALLORY000000001" })
        #expect(user.severity == .medium && user.relatedEvents.count == 2)
        #expect(user.containment.commands.contains { $0.contains("custody-deny-bedrock") })
    }

    @Test func probingThenInvokingIsMediumEvenForARole() async throws {
        var maker = RecordMaker()
        let session = Self.role("dev", session: "laptop", key: "ASIADEV0000000000001")
        let records = [
            bedrock(&maker, "ListFoundationModels", session),
            bedrock(&maker, "GetFoundationModelAvailability", session),
            bedrock(&maker, "InvokeModel", session, error: "AccessDeniedException"),
        ]
        let finding = try #require(found(try await hunt(records), .resourceHijacking).first)
        #expect(finding.severity == .medium)
        #expect(
            finding.title.contains("1 invocation (1 refused)")
                && finding.title.contains("2 availability or listing calls"))
    }

    @Test func aRefusedAttemptToEnableAModelIsMedium() async throws {
        var maker = RecordMaker()
        let session = Self.role("dev", session: "laptop", key: "ASIADEV0000000000001")
        let finding = try #require(
            found(
                try await hunt([
                    bedrock(&maker, "PutFoundationModelEntitlement", session, error: "AccessDeniedException")
                ]),
                .resourceHijacking
            ).first)
        #expect(finding.severity == .medium)
        #expect(finding.title.contains("1 attempt to enable model access"))
    }

    @Test func deletingInvocationLoggingJoinsTheCallersBedrockStoryAsHighAndIsAnImpairmentToo() async throws {
        var maker = RecordMaker()
        let session = Self.role("dev", session: "laptop", key: "ASIADEV0000000000001")
        let report = try await hunt([
            bedrock(&maker, "InvokeModel", session),
            maker.record(
                "DeleteModelInvocationLoggingConfiguration", source: "bedrock.amazonaws.com", identity: session),
        ])
        let hijack = found(report, .resourceHijacking)
        #expect(hijack.count == 1)
        let finding = try #require(hijack.first)
        #expect(finding.severity == .high && finding.relatedEvents.count == 2)
        #expect(finding.title.contains("model invocation logging deleted"))
        #expect(found(report, .modelInvocationLogsDeleted).count == 1)
    }

    @Test func aHijackSizedLaunchStaysItsOwnFindingBesideTheSameKeysBedrockCalls() async throws {
        var maker = RecordMaker()
        let report = try await hunt([
            runInstances(&maker, type: "p4d.24xlarge", launched: ["i-0aaa1111bbbb2222c"]),
            bedrock(&maker, "InvokeModel", Self.mallory),
        ])
        let findings = found(report, .resourceHijacking)
        #expect(findings.count == 2)
        #expect(findings.contains { $0.entity.kind == .instance && $0.techniques.map(\.id) == ["T1496.001"] })
        #expect(findings.contains { $0.entity.kind == .accessKey && $0.techniques.map(\.id) == ["T1496.004"] })
    }

    // MARK: User data

    func describeUserData(_ maker: inout RecordMaker, _ instance: String, error: String? = nil) -> JSONValue {
        maker.record(
            "DescribeInstanceAttribute", source: "ec2.amazonaws.com", identity: Self.mallory,
            request: ["attribute": "userData", "instanceId": .string(instance)], error: error, readOnly: true)
    }

    @Test func fifteenRefusedReadsAreOneAttemptNamingTheInstances() async throws {
        let log = await Fixtures.log(["stratus/aws.discovery.ec2-download-user-data.json"])
        let report = DiffEngine.hunt(events: log)
        let findings = report.findings.filter { $0.rule == .userData }
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.severity == .medium)
        #expect(finding.relatedEvents.count == 15 && finding.details["refused"] == "15")
        #expect(finding.title.hasPrefix("Attempt to read the user data"))
        #expect(finding.reason.contains("refused"))
        #expect(finding.containment.commands.contains { $0.contains("--attribute userData") })
        // Reading user data is no longer an instance command.
        #expect(!report.findings.contains { $0.rule == .instanceCommand })
    }

    @Test func readsFarApartAreSeparateBurstsAndOtherAttributesAreNothing() async throws {
        var maker = RecordMaker()
        var records = [
            describeUserData(&maker, "i-0aaaaaaaaaaaaaaa1"), describeUserData(&maker, "i-0aaaaaaaaaaaaaaa2"),
        ]
        maker.time += 3_600
        records.append(describeUserData(&maker, "i-0aaaaaaaaaaaaaaa3"))
        records.append(
            maker.record(
                "DescribeInstanceAttribute", source: "ec2.amazonaws.com", identity: Self.mallory,
                request: ["attribute": "instanceType", "instanceId": "i-0aaaaaaaaaaaaaaa4"], readOnly: true))
        let findings = found(try await hunt(records), .userData)
        #expect(findings.count == 2)
        #expect(
            findings.contains { $0.entity.id == "i-0aaaaaaaaaaaaaaa1,i-0aaaaaaaaaaaaaaa2" && $0.severity == .medium })
        #expect(
            findings.contains {
                $0.entity.id == "i-0aaaaaaaaaaaaaaa3" && $0.title.hasPrefix("User data of 1 instance read")
            })
        #expect(!findings.contains { $0.entity.id.contains("aaa4") })
    }

    @Test func aReadAtNoKnownTimeJoinsItsCallersBurst() async throws {
        var maker = RecordMaker()
        var records = [describeUserData(&maker, "i-0aaaaaaaaaaaaaaa1")]
        records.append(
            maker.record(
                "DescribeInstanceAttribute", source: "ec2.amazonaws.com", identity: Self.mallory,
                request: ["attribute": "userData", "instanceId": "i-0aaaaaaaaaaaaaaa2"], readOnly: true,
                extra: ["eventTime": "yesterday"]))
        maker.time += 3_600
        records.append(describeUserData(&maker, "i-0aaaaaaaaaaaaaaa3"))
        let bursts = found(try await hunt(records), .userData).map { Set($0.entity.id.split(separator: ",")) }
        #expect(bursts.count == 2)
        #expect(
            bursts.contains(["i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa2"]) && bursts.contains(["i-0aaaaaaaaaaaaaaa3"]))
    }

    @Test func aRefusedSendCommandIsAnAttempt() async throws {
        let log = await Fixtures.log(["traildiscover/SendCommand.json.cloudtrail"])
        let finding = try #require(DiffEngine.hunt(events: log).findings.first { $0.rule == .instanceCommand })
        #expect(finding.severity == .medium)
        #expect(finding.title.contains("attempt") && finding.title.contains("AccessDenied"))
    }

    // MARK: Remote access to instances

    @Test func threeKeysPushedToOneInstanceAreOneFinding() async throws {
        let log = await Fixtures.log(["stratus/aws.lateral-movement.ec2-instance-connect.json"])
        let findings = DiffEngine.hunt(events: log).findings.filter { $0.rule == .instanceAccess }
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.severity == .medium && finding.relatedEvents.count == 3)
        #expect(finding.title.contains("EC2 Instance Connect") && finding.title.contains("as ec2-user"))
        #expect(finding.techniques.map(\.id) == ["T1021.004", "T1098.004"])
    }

    @Test func serialConsoleAccessAndKeysPushedThroughItAreHigh() async throws {
        let log = await Fixtures.log(["stratus/aws.lateral-movement.ec2-serial-console-send-ssh-public-key.json"])
        let findings = DiffEngine.hunt(events: log).findings.filter { $0.rule == .instanceAccess }
        #expect(findings.count == 2)
        let enabled = try #require(findings.first { $0.entity.kind == .account })
        #expect(enabled.severity == .high)
        #expect(enabled.containment.commands.contains("aws ec2 disable-serial-console-access --region cniso-east-3r"))
        let pushed = try #require(findings.first { $0.entity.kind == .instance })
        #expect(pushed.severity == .high && pushed.relatedEvents.count == 3)
    }

    @Test func aRefusedKeyPushReachesNothingAndIsALowAttempt() async throws {
        var maker = RecordMaker()
        let record = maker.record(
            "SendSSHPublicKey", source: "ec2-instance-connect.amazonaws.com", identity: Self.mallory,
            request: ["instanceId": "i-0aaaaaaaaaaaaaaa1", "instanceOSUser": "root"], error: "AccessDenied")
        let findings = found(try await hunt([record]), .instanceAccess)
        #expect(findings.map(\.title) == ["Refused attempt: SendSSHPublicKey of i-0aaaaaaaaaaaaaaa1 (AccessDenied)"])
        #expect(findings.allSatisfy { $0.severity == .low && $0.details["attempt"] == "true" })
    }

    // MARK: Instance credentials

    static let instance = "i-0123456789abcdef0"
    static let instanceRole = role("web", session: instance, key: "ASIAINSTANCE00000001")

    /// A call from `address`; an instance's sessions call with the SDK of its agents, people with their CLI.
    func call(
        _ maker: inout RecordMaker, _ name: String, _ identity: JSONValue, from address: String,
        through endpoint: String? = nil
    ) -> JSONValue {
        maker.sourceIP = address
        let instance = identity["arn"]?.stringValue?.contains("/i-") == true
        maker.userAgent = instance ? "aws-sdk-go/1.44.0 (go1.21; linux; amd64)" : "aws-cli/2.15.0 Python/3.11.6"
        return maker.record(
            name, source: "ec2.amazonaws.com", identity: identity, vpcEndpoint: endpoint, readOnly: true)
    }

    @Test func theStratusTheftFiresOnTheInstancesSessionAtThePersonsAddress() async throws {
        let log = await Fixtures.log(["stratus/aws.credential-access.ec2-steal-instance-credentials.json"])
        let report = DiffEngine.hunt(events: log)
        let finding = try #require(report.findings.first { $0.rule == .instanceRoleOutside })
        #expect(finding.severity == .high)
        #expect(finding.entity.id == "i-786a3A8B5C0d92eF4")
        #expect(finding.entity.name == "stratus-red-team-ec2-steal-credentials-role")
        #expect(finding.details["addresses"] == "18.236.253.47")
        #expect(finding.reason.contains("christophe"))
        #expect(finding.relatedEvents.count == 2)
        #expect(finding.techniques.map(\.id) == ["T1552.005", "T1078.004"])
        #expect(finding.containment.commands.contains { $0.contains("--http-tokens required") })
        #expect(finding.containment.commands.contains { $0.contains("aws:TokenIssueTime") })
        // The key behind a high finding is followed: the stolen session becomes an actor.
        #expect(report.actors.contains { $0.credentials.contains { $0.accessKeyId == "ASIAP5CT9NN8EYVU1FXV" } })
    }

    @Test func anInstanceCallingFromItsOwnAddressDoesNotFire() async throws {
        var maker = RecordMaker()
        var records = (0..<4).map { _ in call(&maker, "DescribeInstances", Self.instanceRole, from: "198.51.100.7") }
        records.append(call(&maker, "ListUsers", Self.mallory, from: "203.0.113.66"))
        #expect(found(try await hunt(records), .instanceRoleOutside).isEmpty)
        var facts = SnapshotFacts()
        facts.instanceAddresses = [Self.instance: ["10.0.1.50", "198.51.100.7"]]
        #expect(found(try await hunt(records, snapshots: facts), .instanceRoleOutside).isEmpty)
    }

    @Test func aWorkloadRoleSessionIsNoInstanceSession() async throws {
        var maker = RecordMaker()
        let workload = Self.role("web", session: "botocore-session-1700000000", key: "ASIAWORKLOAD00000001")
        let records = [
            call(&maker, "DescribeInstances", workload, from: "198.51.100.7"),
            call(&maker, "DescribeInstances", workload, from: "203.0.113.66"),
            call(&maker, "ListUsers", Self.mallory, from: "203.0.113.66"),
        ]
        #expect(found(try await hunt(records), .instanceRoleOutside).isEmpty)
        #expect(InstanceCredentialRules.instance(inPrincipal: "arn:aws:sts::1:assumed-role/r/i-am-admin") == nil)
        #expect(InstanceCredentialRules.instance(inPrincipal: "arn:aws:iam::1:user/i-0123456789abcdef0") == nil)
    }

    @Test func withoutSnapshotASessionMovingToANewAddressFires() async throws {
        var maker = RecordMaker()
        let records = [
            call(&maker, "DescribeInstances", Self.instanceRole, from: "198.51.100.7"),
            call(&maker, "GetCallerIdentity", Self.instanceRole, from: "198.51.100.7"),
            call(&maker, "ListBuckets", Self.instanceRole, from: "45.33.32.156"),
        ]
        let finding = try #require(found(try await hunt(records), .instanceRoleOutside).first)
        #expect(finding.details["addresses"] == "45.33.32.156")
        #expect(finding.event?.eventName == "ListBuckets")
        #expect(finding.reason.contains("first call came from 198.51.100.7"))
    }

    @Test func aCallAtNoKnownTimeIsNoSessionsFirst() async throws {
        var maker = RecordMaker()
        maker.sourceIP = "45.33.32.156"
        let undated = maker.record(
            "ListBuckets", source: "s3.amazonaws.com", identity: Self.instanceRole, extra: ["eventTime": ""])
        let records = [
            undated, call(&maker, "DescribeInstances", Self.instanceRole, from: "198.51.100.7"),
            call(&maker, "DescribeInstances", Self.instanceRole, from: "198.51.100.7"),
        ]
        // Only the dated calls say where the session started, and they agree.
        #expect(found(try await hunt(records), .instanceRoleOutside).isEmpty)
    }

    @Test func aNATAddressSharedByInstancesIsNoMove() async throws {
        var maker = RecordMaker()
        let other = Self.role("web", session: "i-0fedcba9876543210", key: "ASIAINSTANCE00000002")
        let records = [
            call(&maker, "DescribeInstances", Self.instanceRole, from: "198.51.100.7"),
            call(&maker, "DescribeInstances", other, from: "198.51.100.8"),
            call(&maker, "DescribeInstances", Self.instanceRole, from: "198.51.100.8"),
        ]
        #expect(found(try await hunt(records), .instanceRoleOutside).isEmpty)
    }

    @Test func aPersonsExactUserAgentGivesTheSessionAway() async throws {
        var maker = RecordMaker()
        var records = [call(&maker, "ListUsers", Self.mallory, from: "203.0.113.66")]
        maker.sourceIP = "192.0.2.44"
        maker.userAgent = "aws-cli/2.15.0 Python/3.11.6"
        records.append(maker.record("GetCallerIdentity", source: "sts.amazonaws.com", identity: Self.instanceRole))
        let finding = try #require(found(try await hunt(records), .instanceRoleOutside).first)
        #expect(finding.reason.contains("user agent of arn:aws:iam::111122223333:user/mallory"))
    }

    @Test func withASnapshotAnyOtherAddressFiresButServicesAndItsOwnDoNot() async throws {
        var maker = RecordMaker()
        var service = maker.record(
            "Decrypt", source: "kms.amazonaws.com", identity: Self.instanceRole, readOnly: true)
        service = service.replacing("sourceIPAddress", with: "cloudformation.amazonaws.com")
        let records = [
            call(&maker, "GetCallerIdentity", Self.instanceRole, from: "AWS Internal"), service,
            call(&maker, "UpdateInstanceInformation", Self.instanceRole, from: "10.0.1.50", through: "vpce-0ssm"),
            call(&maker, "ListBuckets", Self.instanceRole, from: "45.33.32.156"),
        ]
        var facts = SnapshotFacts()
        facts.instanceAddresses = [Self.instance: ["10.0.1.50", "198.51.100.7"]]
        let finding = try #require(
            found(try await hunt(records, snapshots: facts), .instanceRoleOutside).first)
        #expect(finding.details["addresses"] == "45.33.32.156" && finding.details["calls"] == "1")
        #expect(finding.reason.contains("10.0.1.50, 198.51.100.7"))
        // Without the snapshot, the one call not made through an endpoint has nothing to be compared with.
        #expect(found(try await hunt(records), .instanceRoleOutside).isEmpty)
    }

    @Test func anInstanceASuspectLaunchedStaysTheSuspectsWhenItsCredentialsTravel() async throws {
        var maker = RecordMaker()
        let launched = "i-0abc1234def567890"
        let session = Self.role("worker", session: launched, key: "ASIAWORKER0000000001")
        let records = [
            runInstances(&maker, type: "t3.micro", launched: [launched], profile: "worker"),
            call(&maker, "DescribeInstances", session, from: "203.0.113.66"),
        ]
        let report = try await hunt(records, suspects: ["AKIAMALLORY000000001"])
        let finding = try #require(found(report, .instanceRoleOutside).first)
        #expect(finding.actor != nil)
        let actor = try #require(report.actors.first { $0.id == finding.actor })
        #expect(actor.principals.contains("arn:aws:sts::111122223333:assumed-role/worker/\(launched)"))
    }

    // MARK: Panther's tests

    /// Panther's tests of the same acts: where Panther expects nothing, custody stays silent or
    /// judges low, and where it expects a finding, custody makes one. The IMDS credential tests are
    /// single records: without a snapshot one call compares with nothing, so only the snapshot
    /// (which gives the instance the addresses 10.0.1.50 and 198.51.100.7) makes the positives fire.
    static let panther: [(rule: String, test: String, ours: RuleID, least: Severity?, snapshot: Bool)] = [
        ("AWS.EC2.DownloadInstanceUserData", "Unsuccessful Attempt", .userData, .medium, false),
        ("AWS.EC2.DownloadInstanceUserData", "Successful Attempt", .userData, .medium, false),
        ("AWS.EC2.DownloadInstanceUserData", "Panther Cloud Security Scanning", .userData, .low, false),
        ("AWS.EC2.LaunchUnusualEC2Instances", "Successful Unusual EC2", .resourceHijacking, .high, false),
        ("AWS.EC2.LaunchUnusualEC2Instances", "Failed Unusual EC2", .resourceHijacking, .medium, false),
        ("AWS.EC2.LaunchUnusualEC2Instances", "Successful Unusual EC2 (Dictionary)", .resourceHijacking, .high, false),
        ("AWS.EC2.Monitoring", "RunInstance", .resourceHijacking, nil, false),
        ("AWS.EC2.Monitoring", "RunInstance - Dry Run ", .resourceHijacking, nil, false),
        (
            "AWS.EC2.MultiInstanceConnect", "Public SSH Key Sent Successfully - Counts Toward Threshold",
            .instanceAccess, .medium, false
        ),
        ("AWS.EC2.MultiInstanceConnect", "Public SSH Key Not Sent Successfully", .instanceAccess, .low, false),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "IMDS Credentials Used From Public IP",
            .instanceRoleOutside, .high, true
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "IMDS Credentials Used From Amazon.com ASN Source IP",
            .instanceRoleOutside, .high, true
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "Normal EC2 Workload From Private IP",
            .instanceRoleOutside, nil, true
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "AWS Service Hostname as Source IP",
            .instanceRoleOutside, nil, true
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "Legitimate SSM Activity", .instanceRoleOutside,
            nil, true
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "AWS Internal Source IP", .instanceRoleOutside, nil,
            true
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "AWS Service InvokedBy on behalf of instance",
            .instanceRoleOutside, nil, true
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "RegisterManagedInstance Event",
            .instanceRoleOutside, nil, true
        ),
        ("AWS.CloudTrail.IMDSCredentialExfiltration", "Non-Instance Role", .instanceRoleOutside, nil, true),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "SSM Messages Service Source", .instanceRoleOutside,
            nil, false
        ),
        (
            "AWS.CloudTrail.IMDSCredentialExfiltration", "IMDS Credentials Used From Public IP",
            .instanceRoleOutside, nil, false
        ),
    ]

    @Test(arguments: panther.indices)
    func agreesWithPantherOnTheSameActs(_ n: Int) async throws {
        let case_ = Self.panther[n]
        let entry = try #require(Fixtures.panther.first { $0.rule == case_.rule && $0.test == case_.test })
        var facts = SnapshotFacts()
        if case_.snapshot { facts.instanceAddresses = ["i-0abcdef1234567890": ["10.0.1.50", "198.51.100.7"]] }
        let findings = found(try await hunt([entry.log], snapshots: facts), case_.ours)
        let seen = findings.map { "\($0.severity) \($0.title)" }
        switch case_.least {
        case .some(.low):
            #expect(!entry.expected && findings.allSatisfy { $0.severity == .low }, "\(seen)")
        case .some(let least):
            #expect(entry.expected && findings.contains { $0.severity >= least }, "\(seen)")
        case .none:
            #expect(findings.isEmpty, "\(seen)")
        }
    }
}

extension JSONValue {
    /// The object with `key` set to the string `value`.
    fileprivate func replacing(_ key: String, with value: String) -> JSONValue {
        var members = objectValue ?? [:]
        members[key] = .string(value)
        return .object(members)
    }
}
