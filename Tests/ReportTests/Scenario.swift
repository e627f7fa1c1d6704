import CustodyCrypto
import CustodyJSON
import CustodyTestSupport
import Evidence
import EvidenceArchive
import Foundation

/// The course's exercise in miniature as a sealed case: a baseline archive, then the attacker's
/// hands-on 6.1–6.6 with the leaked key (and a user agent and a user name full of markup and
/// control characters), the responder's containment, and the collector's own calls.
struct Scenario {
    static let account = "222222222222"
    static let attackerAccount = "333333333333"
    static let leaked = "AKIALEAKEDKEY0000001"
    static let collectorKey = "AKIACOLLECTOR0000001"
    static let responderKey = "AKIARESPONDER0000001"
    static let attackerIP = "203.0.113.66"
    static let sessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKENSECRET"
    /// What an attacker can put in a user agent: markup, a table pipe, backticks, a newline, ANSI colour.
    static let hostileAgent = "aws-cli/2.13.5 <script>alert(1)</script> | `tick` \n# heading \u{1b}[31mred\u{1b}[0m"
    /// What custody's AWS client sends, which CloudTrail records for the collector's own calls.
    static let custodyAgent = "custody/0.0.0-test collect"
    /// And in a user name of a call that failed.
    static let hostileUser = "<img src=x onerror=alert(1)>|*x*_[y](z)\u{202e}evil"
    static let start = 1_790_000_000

    let folder: TemporaryFolder
    let caseFolder: CaseFolder
    let sealer: Sealer
    var archives: [String] = []

    /// The scenario, with `extra` records after the attack's.
    init(extra: [JSONValue] = []) throws {
        folder = try TemporaryFolder()
        caseFolder = CaseFolder(root: folder.file("case"))
        _ = try caseFolder.prepare()
        sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
        let (baseline, attack) = Self.events()
        archives.append(try seal(Self.before, events: baseline, hour: 0))
        archives.append(try seal(Self.after, events: attack + extra, hour: 3))
    }

    func seal(_ snapshot: Snapshot, events: [JSONValue], hour: Int) throws -> String {
        var members = try SnapshotLayout.members(of: snapshot).map {
            SealMember(path: $0.path, source: .bytes($0.bytes))
        }
        let lines = events.map {
            JSONValue.object(["CloudTrailEvent": .string($0.description), "Resources": []]).description
        }
        members.append(
            SealMember(
                path: "cloudtrail/us-east-1/events.jsonl.gz",
                source: .bytes(try Gzip.compress(Array((lines.joined(separator: "\n") + "\n").utf8)))))
        let time = Date(timeIntervalSince1970: TimeInterval(Self.start + hour * 3600))
        let from = Date(timeIntervalSince1970: TimeInterval(Self.start + (hour == 0 ? -86400 : 0)))
        // The baseline's collection took a quarter of an hour: its calls are in the next slice.
        let finished = hour == 0 ? time.addingTimeInterval(900) : time
        return try sealer.seal(
            SealRequest(
                account: Self.account, kind: .evidence, members: members,
                collector: Manifest.Collector(
                    version: "test", callerArn: "arn:aws:iam::\(Self.account):user/lab-admin",
                    accessKeyId: Self.collectorKey),
                startedAt: time, finishedAt: finished,
                cloudTrailWindow: Manifest.TimeWindow(from: Self.iso(from), to: Self.iso(time)),
                regions: ["eu-west-1", "sa-east-1", "us-east-1"],
                coverage: [
                    Manifest.CoverageEntry(
                        source: "guardduty", region: "sa-east-1", item: "ListFindings", status: .denied,
                        error: "AccessDenied")
                ])
        ).archivePath
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    // MARK: Snapshots

    static func user(_ name: String, keys: [AccessKey], admin: Bool = false, profile: Bool = false) -> IAMUser {
        IAMUser(
            userName: name, userId: "AIDA\(name.uppercased().filter(\.isLetter))0000",
            arn: "arn:aws:iam::\(account):user/\(name)",
            createDate: "2026-11-01T00:00:00Z",
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
                user("responder", keys: [key(responderKey)], admin: true),
            ],
            instances: [EC2Instance(instanceId: "i-0web", region: "eu-west-1", state: "running")])
    }

    static var after: Snapshot {
        var s = before
        s.users[0].accessKeys.append(key("AKIABACKDOOR00000001"))
        s.users[1].accessKeys = [key(leaked, "Inactive")]
        s.users.append(user("svc-backup", keys: [], admin: true, profile: true))
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
                ]))
        s.instances.append(
            EC2Instance(
                instanceId: "i-0backdoor", region: "sa-east-1", state: "running", privateIpAddress: "172.31.5.9"))
        s.vpcEndpoints.append(
            VPCEndpoint(vpcEndpointId: "vpce-0hidden", region: "sa-east-1", serviceName: "com.amazonaws.sa-east-1.ec2"))
        return s
    }

    // MARK: CloudTrail

    static func identity(_ name: String, key: String) -> JSONValue {
        [
            "type": "IAMUser", "principalId": .string("AIDA\(name.uppercased().filter(\.isLetter))0000"),
            "arn": .string("arn:aws:iam::\(account):user/\(name)"), "accountId": .string(account),
            "accessKeyId": .string(key),
            "userName": .string(name),
        ]
    }

    struct Maker {
        var time = Scenario.start
        var ip = "198.51.100.23"
        var agent = "Boto3/1.34.69"
        var count = 0

        mutating func record(
            _ name: String, _ source: String, _ identity: JSONValue, region: String = "us-east-1",
            request: JSONValue = .null,
            response: JSONValue = .null, error: String? = nil, vpce: String? = nil
        ) -> JSONValue {
            time += 30
            count += 1
            var members: [String: JSONValue] = [
                "eventVersion": "1.09", "userIdentity": identity,
                "eventTime": .string(Scenario.iso(Date(timeIntervalSince1970: TimeInterval(time)))),
                "eventSource": .string(source + ".amazonaws.com"), "eventName": .string(name),
                "awsRegion": .string(region),
                "sourceIPAddress": .string(ip), "userAgent": .string(agent), "requestParameters": request,
                "responseElements": response,
                "eventID": .string("00000000-0000-0000-0000-\(String(format: "%012d", count))"),
                "eventType": "AwsApiCall",
                "managementEvent": true, "recipientAccountId": .string(Scenario.account),
            ]
            if let error { members["errorCode"] = .string(error) }
            if let vpce { members["vpcEndpointId"] = .string(vpce) }
            return .object(members)
        }
    }

    static func events() -> (baseline: [JSONValue], attack: [JSONValue]) {
        var m = Maker(time: start - 7200)
        let alice = identity("alice", key: "AKIAALICEFIRST000001")
        let collector = identity("lab-admin", key: collectorKey)
        var baseline = [
            m.record("GetCallerIdentity", "sts", alice), m.record("ListBuckets", "s3", alice),
            m.record("DescribeInstances", "ec2", alice, region: "eu-west-1"),
        ]
        m.ip = "198.51.100.10"
        // The collector looks at every region, sa-east-1 included: that is not use. This call came
        // as the baseline's collection started, just before its window closed.
        m.time = start - 90
        m.agent = custodyAgent
        baseline.append(m.record("DescribeInstances", "ec2", collector, region: "sa-east-1"))
        m.time = start + 60
        var attack: [JSONValue] = []
        m.ip = attackerIP
        m.agent = hostileAgent
        let test = identity("test", key: leaked)
        for (name, source) in [
            ("GetCallerIdentity", "sts"), ("ListUsers", "iam"), ("ListRoles", "iam"), ("DescribeRegions", "ec2"),
        ] {
            attack.append(m.record(name, source, test))
        }
        attack.append(m.record("ListSecrets", "secretsmanager", test, error: "AccessDenied"))
        attack.append(
            m.record("CreateUser", "iam", test, request: ["userName": .string(hostileUser)], error: "ValidationError"))
        attack.append(
            m.record(
                "CreateAccessKey", "iam", test, request: ["userName": "alice"],
                response: [
                    "accessKey": ["accessKeyId": "AKIABACKDOOR00000001", "userName": "alice", "status": "Active"]
                ]))
        attack.append(
            m.record(
                "CreateUser", "iam", test, request: ["userName": "svc-backup"],
                response: ["user": ["userName": "svc-backup", "userId": "AIDASVCBACKUP0000"]]))
        attack.append(
            m.record(
                "AttachUserPolicy", "iam", test,
                request: ["userName": "svc-backup", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]))
        attack.append(
            m.record(
                "CreateLoginProfile", "iam", test, request: ["userName": "svc-backup", "passwordResetRequired": false]))
        attack.append(
            m.record(
                "CreateRole", "iam", test,
                request: [
                    "roleName": "AWSBackupOperatorRole",
                    "assumeRolePolicyDocument": .string(
                        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"sts:AssumeRole"}]}"#
                    ),
                ], response: ["role": ["roleName": "AWSBackupOperatorRole", "roleId": "AROABACKDOOR0000"]]))
        attack.append(
            m.record(
                "RunInstances", "ec2", test, region: "sa-east-1",
                request: ["iamInstanceProfile": ["name": "AWSBackupOperatorRole"]],
                response: ["instancesSet": ["items": [["instanceId": "i-0backdoor"]]]]))
        attack.append(
            m.record(
                "CreateVpcEndpoint", "ec2", test, region: "sa-east-1",
                request: ["serviceName": "com.amazonaws.sa-east-1.ec2"],
                response: ["CreateVpcEndpointResponse": ["vpcEndpoint": ["vpcEndpointId": "vpce-0hidden"]]]))
        attack.append(
            m.record(
                "GetSessionToken", "sts", test, request: ["durationSeconds": 129600],
                response: [
                    "credentials": [
                        "accessKeyId": "ASIATEMPORARY0000001", "sessionToken": .string(sessionToken),
                        "expiration": "Nov 30, 2026 12:00:00 AM",
                    ]
                ]))
        attack.append(m.record("StopLogging", "cloudtrail", test, request: ["name": "management-events"]))
        attack.append(m.record("GetSecretValue", "secretsmanager", test, request: ["secretId": "prod/db"]))
        // The responder contains.
        m.ip = "198.51.100.10"
        m.agent = "aws-cli/2.15.0"
        let responder = identity("responder", key: responderKey)
        attack.append(
            m.record(
                "UpdateAccessKey", "iam", responder,
                request: ["userName": "test", "accessKeyId": .string(leaked), "status": "Inactive"]))
        attack.append(
            m.record(
                "PutUserPolicy", "iam", responder,
                request: [
                    "userName": "test", "policyName": "AWSRevokeOlderSessions",
                    "policyDocument": .string(
                        #"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-11-29T00:00:00Z"}}}]}"#
                    ),
                ]))
        m.agent = custodyAgent
        attack.append(m.record("ListUsers", "iam", collector))
        attack.append(m.record("DescribeInstances", "ec2", collector, region: "sa-east-1"))
        return (baseline, attack)
    }
}
