import CustodyJSON
import CustodyTestSupport
import Diff
import Evidence
import Testing
import EvidenceReading

/// The course's exercise in miniature, built by hand: a baseline, then the attacker's hands-on 6.1
/// to 6.6 with the leaked key and the defender's benign changes, diffed with the CloudTrail between.
@Suite struct ScenarioDiffTests {
    static let account = "222222222222"
    static let attackerAccount = "333333333333"
    static let leaked = "AKIALEAKEDKEY0000001"
    static let collectorKey = "AKIACOLLECTOR0000001"

    static func user(
        _ name: String, keys: [AccessKey], admin: Bool = false, profile: Bool = false, groups: [String] = []
    ) -> IAMUser {
        IAMUser(
            userName: name, userId: "AIDA\(name.uppercased().filter(\.isLetter))0000",
            arn: "arn:aws:iam::\(account):user/\(name)",
            createDate: "2026-11-01T00:00:00Z", groups: groups,
            attachedPolicies: admin
                ? [
                    AttachedPolicy(
                        policyName: "AdministratorAccess", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess")
                ] : [],
            accessKeys: keys, loginProfile: profile ? LoginProfile(createDate: "2026-11-01T00:00:00Z") : nil)
    }

    static func key(_ id: String, _ status: String = "Active") -> AccessKey {
        AccessKey(accessKeyId: id, status: status, createDate: "2026-11-01T00:00:00Z")
    }

    static let webRole = IAMRole(
        roleName: "web-server-role", roleId: "AROAWEB0000", arn: "arn:aws:iam::\(account):role/web-server-role",
        createDate: "2026-11-01T00:00:00Z",
        trustPolicy: [
            "Version": "2012-10-17",
            "Statement": [
                ["Effect": "Allow", "Principal": ["Service": "ec2.amazonaws.com"], "Action": "sts:AssumeRole"]
            ],
        ])

    static var before: Snapshot {
        Snapshot(
            account: AccountInfo(
                accountId: account, collectedRegions: ["eu-west-1", "sa-east-1", "us-east-1"],
                callerIdentity: CallerIdentity(
                    arn: "arn:aws:iam::\(account):user/lab-admin", userId: "AIDAADMIN", account: account)),
            users: [
                user("alice", keys: [key("AKIAALICEFIRST000001")]),
                user("test", keys: [key(leaked)], admin: true, profile: true),
                user("lab-admin", keys: [key(collectorKey)], admin: true),
            ],
            roles: [webRole],
            instances: [
                EC2Instance(
                    instanceId: "i-0web", region: "eu-west-1", state: "running",
                    instanceProfileArn: "arn:aws:iam::\(account):instance-profile/web-server",
                    tags: [Tag(key: "Name", value: "web-1")])
            ],
            trails: [
                Trail(
                    name: "management-events",
                    trailArn: "arn:aws:cloudtrail:eu-west-1:\(account):trail/management-events",
                    homeRegion: "eu-west-1", s3BucketName: "bucket", isMultiRegionTrail: true, isLogging: true)
            ],
            detectors: [GuardDutyDetector(detectorId: "d-home", region: "eu-west-1", status: "ENABLED")])
    }

    static var after: Snapshot {
        var s = before
        // Benign: alice rotated her key; the web server got a tag.
        s.users[0].accessKeys = [key("AKIAALICESECOND00001")]
        s.instances[0].tags.append(Tag(key: "owner", value: "web-team"))
        // 6.1 a second key for alice; 6.2 a new admin user with a console password.
        s.users[0].accessKeys.append(key("AKIABACKDOOR00000001"))
        s.users.append(user("svc-backup", keys: [], admin: true, profile: true))
        // 6.3 a role trusting the attacker's account; 6.4 an instance with it in an unused region; 6.5 a VPC endpoint.
        s.roles.append(
            IAMRole(
                roleName: "AWSBackupOperatorRole", roleId: "AROABACKDOOR0000",
                arn: "arn:aws:iam::\(account):role/AWSBackupOperatorRole",
                createDate: "2026-11-02T00:00:00Z",
                trustPolicy: [
                    "Statement": [
                        [
                            "Effect": "Allow", "Principal": ["AWS": .string("arn:aws:iam::\(attackerAccount):root")],
                            "Action": "sts:AssumeRole",
                        ]
                    ]
                ],
                attachedPolicies: [
                    AttachedPolicy(
                        policyName: "AdministratorAccess", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess")
                ],
                instanceProfiles: ["AWSBackupOperatorRole"]))
        s.instanceProfiles.append(
            InstanceProfile(
                instanceProfileName: "AWSBackupOperatorRole", instanceProfileId: "AIPABACKDOOR",
                arn: "arn:aws:iam::\(account):instance-profile/AWSBackupOperatorRole",
                createDate: "2026-11-02T00:00:00Z", roles: ["AWSBackupOperatorRole"]))
        s.instances.append(
            EC2Instance(
                instanceId: "i-0backdoor", region: "sa-east-1", state: "running",
                instanceProfileArn: "arn:aws:iam::\(account):instance-profile/AWSBackupOperatorRole",
                privateIpAddress: "172.31.5.9"))
        s.vpcEndpoints.append(
            VPCEndpoint(vpcEndpointId: "vpce-0hidden", region: "sa-east-1", serviceName: "com.amazonaws.sa-east-1.ec2"))
        return s
    }

    /// The attack phase's CloudTrail, and the defender's benign calls before it.
    static func events() -> (baseline: [JSONValue], attack: [JSONValue]) {
        var trail = RecordMaker(account: account, sourceIP: "198.51.100.23", userAgent: "Boto3/1.34.69")
        let alice = RecordMaker.user("alice", key: "AKIAALICEFIRST000001", account: account)
        let admin = RecordMaker.user("lab-admin", key: collectorKey, account: account)
        var baseline = [
            trail.record("GetCallerIdentity", source: "sts.amazonaws.com", identity: alice, readOnly: true),
            trail.record("ListBuckets", source: "s3.amazonaws.com", identity: alice, readOnly: true),
            trail.record(
                "DescribeInstances", source: "ec2.amazonaws.com", identity: alice, region: "eu-west-1", readOnly: true),
        ]
        trail.sourceIP = "198.51.100.10"
        baseline.append(trail.record("CreateTags", source: "ec2.amazonaws.com", identity: admin, region: "eu-west-1"))
        var attack: [JSONValue] = []
        // alice rotates her key after the baseline: benign.
        trail.sourceIP = "198.51.100.23"
        attack.append(
            trail.record(
                "CreateAccessKey", source: "iam.amazonaws.com", identity: alice,
                response: [
                    "accessKey": ["accessKeyId": "AKIAALICESECOND00001", "userName": "alice", "status": "Active"]
                ]))
        attack.append(
            trail.record(
                "UpdateAccessKey", source: "iam.amazonaws.com",
                identity: RecordMaker.user("alice", key: "AKIAALICESECOND00001", account: account),
                request: ["userName": "alice", "accessKeyId": "AKIAALICEFIRST000001", "status": "Inactive"]))
        trail.sourceIP = "198.51.100.10"
        attack.append(trail.record("CreateTags", source: "ec2.amazonaws.com", identity: admin, region: "eu-west-1"))
        // The attacker, with the leaked key.
        trail.sourceIP = "203.0.113.66"
        trail.userAgent = "aws-cli/2.13.5 kali"
        let test = RecordMaker.user("test", key: leaked, account: account)
        for (name, source) in [
            ("GetCallerIdentity", "sts.amazonaws.com"), ("ListAttachedUserPolicies", "iam.amazonaws.com"),
            ("ListUsers", "iam.amazonaws.com"),
            ("ListRoles", "iam.amazonaws.com"), ("ListBuckets", "s3.amazonaws.com"),
            ("DescribeRegions", "ec2.amazonaws.com"),
            ("DescribeInstances", "ec2.amazonaws.com"), ("ListAccessKeys", "iam.amazonaws.com"),
        ] {
            attack.append(trail.record(name, source: source, identity: test, readOnly: true))
        }
        attack.append(
            trail.record(
                "CreateAccessKey", source: "iam.amazonaws.com", identity: test, request: ["userName": "alice"],
                response: [
                    "accessKey": ["accessKeyId": "AKIABACKDOOR00000001", "userName": "alice", "status": "Active"]
                ]))
        attack.append(
            trail.record(
                "GetCallerIdentity", source: "sts.amazonaws.com",
                identity: RecordMaker.user("alice", key: "AKIABACKDOOR00000001", account: account), readOnly: true))
        attack.append(
            trail.record(
                "CreateUser", source: "iam.amazonaws.com", identity: test, request: ["userName": "svc-backup"],
                response: ["user": ["userName": "svc-backup", "userId": "AIDASVCBACKUP0000"]]))
        attack.append(
            trail.record(
                "AttachUserPolicy", source: "iam.amazonaws.com", identity: test,
                request: ["userName": "svc-backup", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]))
        attack.append(
            trail.record(
                "CreateLoginProfile", source: "iam.amazonaws.com", identity: test, request: ["userName": "svc-backup"]))
        attack.append(
            trail.record(
                "CreateRole", source: "iam.amazonaws.com", identity: test,
                request: [
                    "roleName": "AWSBackupOperatorRole",
                    "assumeRolePolicyDocument": .string(
                        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"sts:AssumeRole"}]}"#
                    ),
                ],
                response: ["role": ["roleName": "AWSBackupOperatorRole", "roleId": "AROABACKDOOR0000"]]))
        let home: JSONValue = [
            "type": "AWSAccount", "principalId": "AIDAATTACKER", "accountId": .string(attackerAccount),
            "accessKeyId": "AKIAATTACKERHOME0001",
        ]
        attack.append(
            trail.record(
                "AssumeRole", source: "sts.amazonaws.com", identity: home,
                request: [
                    "roleArn": .string("arn:aws:iam::\(account):role/AWSBackupOperatorRole"),
                    "roleSessionName": "backup-check",
                ],
                response: [
                    "credentials": ["accessKeyId": "ASIAROLESESSION00001", "expiration": "Nov 2, 2026, 1:00:00 AM"],
                    "assumedRoleUser": [
                        "arn": .string("arn:aws:sts::\(account):assumed-role/AWSBackupOperatorRole/backup-check")
                    ],
                ]))
        let roleSession: JSONValue = [
            "type": "AssumedRole",
            "arn": .string("arn:aws:sts::\(account):assumed-role/AWSBackupOperatorRole/backup-check"),
            "accountId": .string(account), "accessKeyId": "ASIAROLESESSION00001",
        ]
        attack.append(trail.record("ListUsers", source: "iam.amazonaws.com", identity: roleSession, readOnly: true))
        attack.append(
            trail.record(
                "RunInstances", source: "ec2.amazonaws.com", identity: test, region: "sa-east-1",
                request: ["iamInstanceProfile": ["name": "AWSBackupOperatorRole"]],
                response: ["instancesSet": ["items": [["instanceId": "i-0backdoor"]]]]))
        attack.append(
            trail.record(
                "CreateVpcEndpoint", source: "ec2.amazonaws.com", identity: test, region: "sa-east-1",
                request: ["serviceName": "com.amazonaws.sa-east-1.ec2"],
                response: ["vpcEndpoint": ["vpcEndpointId": "vpce-0hidden"]]))
        let instanceSession: JSONValue = [
            "type": "AssumedRole",
            "arn": .string("arn:aws:sts::\(account):assumed-role/AWSBackupOperatorRole/i-0backdoor"),
            "accountId": .string(account), "accessKeyId": "ASIAINSTANCE00000001",
        ]
        trail.sourceIP = "172.31.5.9"
        attack.append(
            trail.record(
                "DescribeInstances", source: "ec2.amazonaws.com", identity: instanceSession, region: "sa-east-1",
                vpcEndpoint: "vpce-0hidden", readOnly: true))
        trail.sourceIP = "203.0.113.66"
        attack.append(
            trail.record(
                "GetSessionToken", source: "sts.amazonaws.com", identity: test, request: ["durationSeconds": 129600],
                response: ["credentials": ["accessKeyId": "ASIASESSIONTOKEN0001"]]))
        var sessionIdentity = test
        if case .object(var members) = sessionIdentity {
            members["accessKeyId"] = "ASIASESSIONTOKEN0001"
            sessionIdentity = .object(members)
        }
        attack.append(
            trail.record("ListBuckets", source: "s3.amazonaws.com", identity: sessionIdentity, readOnly: true))
        attack.append(
            trail.record(
                "GetFederationToken", source: "sts.amazonaws.com", identity: test,
                request: ["name": "backup-svc", "durationSeconds": 43200],
                response: [
                    "credentials": ["accessKeyId": "ASIAFEDERATION000001"],
                    "federatedUser": ["arn": .string("arn:aws:sts::\(account):federated-user/backup-svc")],
                ]))
        attack.append(
            trail.record(
                "ListBuckets", source: "s3.amazonaws.com",
                identity: [
                    "type": "FederatedUser", "arn": .string("arn:aws:sts::\(account):federated-user/backup-svc"),
                    "accountId": .string(account), "accessKeyId": "ASIAFEDERATION000001",
                ],
                readOnly: true))
        // The collector's own calls after the attack, with custody's user agent: never an intruder's.
        trail.sourceIP = "198.51.100.10"
        trail.userAgent = "custody/0.1.0 collect"
        for name in [
            "ListUsers", "ListRoles", "ListPolicies", "ListGroups", "GetAccountAuthorizationDetails",
            "DescribeInstances", "DescribeVpcEndpoints",
        ] {
            attack.append(trail.record(name, source: "iam.amazonaws.com", identity: admin, readOnly: true))
        }
        return (baseline, attack)
    }

    /// When the collection whose calls `records` hold ran: from its first call to its last (the
    /// calls with custody's user agent).
    static func collection(of records: [JSONValue]) -> (startedAt: String, finishedAt: String)? {
        let times = records.filter { $0["userAgent"]?.stringValue?.hasPrefix("custody/") == true }
            .compactMap { $0["eventTime"]?.stringValue }
        guard let first = times.min(), let last = times.max() else { return nil }
        return (first, last)
    }

    func report(suspectKeys: [String] = []) async throws -> DiffReport {
        let folder = try TemporaryFolder()
        let (baselineRecords, attackRecords) = Self.events()
        let basePath = try folder.write(
            "before.jsonl", Array((baselineRecords.map(\.description).joined(separator: "\n") + "\n").utf8))
        let attackPath = try folder.write(
            "after.jsonl", Array((attackRecords.map(\.description).joined(separator: "\n") + "\n").utf8))
        let (startedAt, finishedAt) = try #require(Self.collection(of: attackRecords))
        let collection = CollectorSpan(
            accessKeyId: Self.collectorKey, principal: nil, startedAt: startedAt, finishedAt: finishedAt)
        let log = await EventLog.read(
            files: [(basePath, "before.tar"), (attackPath, "after.tar")], account: Self.account,
            collectors: [collection])
        return DiffEngine.diff(
            before: LoadedSnapshot(snapshot: Self.before, archive: "before.tar", takenAt: "2026-11-01T12:00:00Z"),
            after: LoadedSnapshot(snapshot: Self.after, archive: "after.tar", takenAt: "2026-11-02T12:00:00Z"),
            events: log, suspectKeys: suspectKeys)
    }

    @Test func findsEveryArtifactWithTheAttackersKeyAndAddress() async throws {
        let report = try await report()
        func finding(_ rule: RuleID, _ id: String) -> Finding? {
            report.findings.first { $0.rule == rule && ($0.entity.id == id || $0.entity.name == id) }
        }
        let expected: [(RuleID, String)] = [
            (.accessKeyCreated, "AKIABACKDOOR00000001"), (.userCreated, "svc-backup"),
            (.loginProfileCreated, "svc-backup"),
            (.roleCreated, "AWSBackupOperatorRole"), (.instanceLaunchedWithRole, "i-0backdoor"),
            (.regionFirstUse, "sa-east-1"),
            (.vpcEndpointCreated, "vpce-0hidden"),
        ]
        for (rule, id) in expected {
            let found = try #require(
                finding(rule, id), "no \(rule) for \(id): \(report.findings.map { "\($0.rule) \($0.entity.id)" })")
            #expect(found.severity == .high, "\(rule) \(id): \(found.reason)")
            #expect(found.basis == .snapshotDiff)
            #expect(found.event?.accessKeyId == Self.leaked, "\(rule) \(id)")
            #expect(found.event?.sourceIPAddress == "203.0.113.66")
            #expect(found.evidence.contains { $0.member.hasPrefix("snapshot/") && $0.jsonPointer != nil })
        }
        let session = try #require(report.findings.first { $0.rule == .sessionTokenIssued })
        #expect(session.severity == .high && session.exposure?.durationSeconds == 129_600)
        #expect(report.findings.contains { $0.rule == .federationTokenIssued && $0.severity == .high })
        #expect(
            report.findings.contains {
                $0.rule == .roleAssumedBySuspect && $0.details["callerAccount"] == Self.attackerAccount
            })
        #expect(report.findings.contains { $0.rule == .enumeration })
        #expect(report.findings.contains { $0.rule == .newSource && $0.entity.id.hasSuffix("user/alice") })
    }

    @Test func followsTheLeakedKeyToEverythingItReached() async throws {
        let report = try await report(suspectKeys: [Self.leaked])
        let actor = try #require(report.actors.first)
        let keys = Set(actor.credentials.map(\.accessKeyId))
        for key in [
            Self.leaked, "AKIABACKDOOR00000001", "ASIAROLESESSION00001", "ASIASESSIONTOKEN0001", "ASIAFEDERATION000001",
        ] {
            #expect(keys.contains(key), "\(key) not in \(keys.sorted())")
        }
        #expect(actor.vpcEndpoints == ["vpce-0hidden"])
        #expect(
            actor.events.contains { $0.principal?.hasSuffix("/i-0backdoor") == true },
            "the instance's calls through the endpoint")
        #expect(
            !actor.events.contains { $0.accessKeyId == Self.collectorKey },
            "the collector's calls are never an intruder's")
        #expect(actor.sourceIPAddresses.contains("203.0.113.66"))
    }

    @Test func benignChangesAreNeverHigh() async throws {
        let report = try await report()
        let rotation = try #require(report.findings.first { $0.entity.id == "AKIAALICESECOND00001" })
        #expect(rotation.severity == .low)
        #expect(!report.findings.contains { $0.event?.accessKeyId == Self.collectorKey && $0.severity != .low })
        #expect(!report.findings.contains { $0.entity.id == "i-0web" })
        #expect(
            report.diff.changes.contains {
                $0.entity.id == "i-0web" && $0.fields.contains { $0.path.hasPrefix("/tags") }
            })
        #expect(!report.findings.contains { $0.rule == .enumeration && $0.entity.id == Self.collectorKey })
    }
}
