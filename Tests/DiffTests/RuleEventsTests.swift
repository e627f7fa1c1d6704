import CustodyJSON
import CustodyTestSupport
@testable import Diff
import Foundation
import Testing
import EvidenceReading

/// Each rule's CloudTrail events are declared once, in `Rule.all`: every one goes to the handler
/// of the rule that lists it, and its record is kept for that handler to read.
@Suite struct RuleEventsTests {
    /// The rules that judge many events at once (`BehaviourRules`) rather than one at a time.
    static let behavioural = RuleID.behavioural

    /// The rules with a handler, in the order of `Rule.all`.
    static let handled = Rule.all.map(\.id).filter { EventRules.handlers[$0] != nil }

    /// The rules that report a call only when a suspect actor made it: given the keys of its records as suspects.
    static let judgedByActor: Set<RuleID> = [.containmentAction]

    /// The CloudTrail-only rules that judge events one at a time.
    static let cloudTrailRules = Rule.all.filter { $0.form == .cloudTrail && !$0.eventNames.isEmpty }.map(\.id)

    @Test func everyRuleHasAHandlerUnlessItJudgesManyEventsAtOnce() {
        for rule in Rule.all {
            let handled = EventRules.handlers[rule.id] != nil
            #expect(handled != Self.behavioural.contains(rule.id), "\(rule.id.rawValue)")
        }
    }

    @Test func everyEventOfEveryRuleGoesToAHandler() {
        for rule in Rule.all {
            for name in rule.eventNames {
                #expect(!EventRules.evaluators(for: name).isEmpty, "\(name) of \(rule.id.rawValue)")
            }
        }
    }

    @Test func everyHandlerBelongsToARuleThatNamesItsEvents() {
        for id in EventRules.handlers.keys {
            #expect(Rule.all.contains { $0.id == id && !$0.eventNames.isEmpty }, "\(id.rawValue)")
        }
    }

    @Test func everyHandledEventGoesToEveryRuleThatListsIt() {
        #expect(!EventRules.rulesOfEvent.isEmpty)
        for (name, ids) in EventRules.rulesOfEvent {
            let listing = Self.handled.filter { Rule.named($0).eventNames.contains(name) }
            #expect(listing == ids, "\(name) is listed by \(listing.map(\.rawValue))")
        }
        #expect(EventRules.evaluators(for: "ListBuckets").isEmpty)
    }

    @Test func theReaderKeepsTheRecordOfEveryRuleEvent() async throws {
        let names = Set(Rule.all.flatMap(\.eventNames))
        #expect(names.isSubset(of: DiffEngine.recordsRead))
        #expect(ActorGraph.linkNames.isSubset(of: DiffEngine.recordsRead))
        // Read back from a file: one successful record of each name, and one of a call nothing reads.
        var maker = RecordMaker()
        let identity = RecordMaker.user("alice", key: "AKIAIOSFODNN7EXAMPLE")
        let records = (names.sorted() + ["ListBuckets"]).map {
            maker.record($0, source: "iam.amazonaws.com", identity: identity, request: ["userName": "bob"])
        }
        let folder = try TemporaryFolder()
        let log = try await Fixtures.log(records: records, folder: folder)
        #expect(log.rows.count == records.count)
        for row in log.rows {
            let name = log.table[row.name]
            #expect((row.detail >= 0) == names.contains(name), "\(name)")
        }
    }

    @Test(arguments: cloudTrailRules)
    func aRecordOfEachEventOfACloudTrailRuleReachesItsHandler(_ id: RuleID) async throws {
        let folder = try TemporaryFolder()
        for name in Rule.named(id).eventNames {
            #expect(EventRules.rulesOfEvent[name]?.contains(id) == true, "\(name)")
            let log = try await Fixtures.log(records: Self.records(named: name), folder: folder)
            let suspects =
                Self.judgedByActor.contains(id)
                ? Array(Set(log.rows.compactMap { log.string($0.accessKey) })).sorted() : []
            let found = DiffEngine.hunt(events: log, suspectKeys: suspects).findings.filter {
                $0.rule == id && $0.event?.eventName == name
            }
            #expect(!found.isEmpty, "no \(id.rawValue) finding from a record of \(name)")
        }
    }

    @Test(arguments: handled)
    func recordsOfARuleEventMakeFindingsOfTheRulesListingItAlone(_ id: RuleID) async throws {
        let folder = try TemporaryFolder()
        for name in Rule.named(id).eventNames {
            let log = try await Fixtures.log(records: Self.records(named: name), folder: folder)
            let listing = Set(EventRules.rulesOfEvent[name] ?? [])
            let others = DiffEngine.hunt(events: log).findings.map(\.rule).filter {
                !Self.behavioural.contains($0) && !listing.contains($0)
            }
            #expect(others.isEmpty, "\(name)")
        }
    }

    // MARK: Records

    /// The records named `name` in the fixture corpora, and `made[name]`.
    static func records(named name: String) -> [JSONValue] {
        corpus.filter { $0["eventName"]?.stringValue == name } + (made[name].map { [$0] } ?? [])
    }

    /// Every record of Stratus Red Team's and TrailDiscover's files and of Panther's tests.
    static let corpus: [JSONValue] = {
        var records = Fixtures.panther.map(\.log)
        for folder in ["stratus", "traildiscover"] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path(folder))) ?? []
            for file in files.sorted() where file.hasSuffix(".json") || file.hasSuffix(".cloudtrail") {
                guard let data = FileManager.default.contents(atPath: Fixtures.path("\(folder)/\(file)")),
                    let value = try? JSONValue.parse(data)
                else { continue }
                records += value.arrayValue ?? [value]
            }
        }
        return records
    }()

    /// A record for each event of a CloudTrail rule of which no corpus holds one that the rule
    /// finds: a successful call as the rule looks for it.
    static let made: [String: JSONValue] = {
        var maker = RecordMaker()
        let admin = RecordMaker.user("admin", key: "AKIAIOSFODNN7EXAMPLE")
        let outsider = RecordMaker.user("mallory", key: "AKIAI44QH8DHBEXAMPLE", account: "999988887777")
        return [
            "AssumeRole": maker.record(
                "AssumeRole", source: "sts.amazonaws.com", identity: outsider,
                request: ["roleArn": "arn:aws:iam::111122223333:role/deploy", "roleSessionName": "s"]),
            "AddPermission20150331": maker.record(
                "AddPermission20150331", source: "lambda.amazonaws.com", identity: admin,
                request: ["functionName": "billing", "principal": "*", "statementId": "s1"]),
            "PutBucketAcl": maker.record(
                "PutBucketAcl", source: "s3.amazonaws.com", identity: admin,
                request: ["bucketName": "invoices", "x-amz-acl": ["public-read"]]),
            "AddPermission": maker.record(
                "AddPermission", source: "lambda.amazonaws.com", identity: admin,
                request: ["functionName": "billing", "principal": "999988887777", "statementId": "s1"]),
            "ModifyDBClusterSnapshotAttribute": maker.record(
                "ModifyDBClusterSnapshotAttribute", source: "rds.amazonaws.com", identity: admin,
                request: [
                    "dBClusterSnapshotIdentifier": "orders", "attributeName": "restore",
                    "valuesToAdd": ["999988887777"],
                ]),
            "DisassociateResolverQueryLogConfig": maker.record(
                "DisassociateResolverQueryLogConfig", source: "route53resolver.amazonaws.com", identity: admin,
                request: ["resolverQueryLogConfigId": "rqlc-0123456789abcdef", "resourceId": "vpc-0a1b2c3d"]),
            "PutBucketLifecycleConfiguration": maker.record(
                "PutBucketLifecycleConfiguration", source: "s3.amazonaws.com", identity: admin,
                request: [
                    "bucketName": "aws-cloudtrail-logs-111122223333-1a2b3c4d",
                    "LifecycleConfiguration": ["Rule": ["Status": "Enabled", "Expiration": ["Days": 1]]],
                ]),
            "DeleteBucketPolicy": maker.record(
                "DeleteBucketPolicy", source: "s3.amazonaws.com", identity: admin,
                request: ["bucketName": "aws-cloudtrail-logs-111122223333-1a2b3c4d"]),
            "PutBucketPolicy": maker.record(
                "PutBucketPolicy", source: "s3.amazonaws.com", identity: admin,
                request: [
                    "bucketName": "aws-cloudtrail-logs-111122223333-1a2b3c4d",
                    "bucketPolicy": [
                        "Version": "2012-10-17",
                        "Statement": [
                            "Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::111122223333:root"],
                            "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::aws-cloudtrail-logs-111122223333-1a2b3c4d/*",
                        ],
                    ],
                ]),
            "CreateFunction20150331": maker.record(
                "CreateFunction20150331", source: "lambda.amazonaws.com", identity: admin,
                request: ["functionName": "billing", "role": "arn:aws:iam::111122223333:role/billing-role"],
                response: [
                    "functionName": "billing", "functionArn": "arn:aws:lambda:us-east-1:111122223333:function:billing",
                    "role": "arn:aws:iam::111122223333:role/billing-role",
                ]),
        ].merging(bedrock(&maker, admin)) { first, _ in first }
            .merging(containmentMade) { first, _ in first }
    }()

    /// A successful record of each containment or clean-up call no corpus holds.
    static let containmentMade: [String: JSONValue] = {
        var maker = RecordMaker()
        let admin = RecordMaker.user("admin", key: "AKIAIOSFODNN7EXAMPLE")
        let administrator = "arn:aws:iam::aws:policy/AdministratorAccess"
        let calls: [(String, String, JSONValue)] = [
            (
                "UpdateAccessKey", "iam",
                ["userName": "svc", "accessKeyId": "AKIABACKDOOR00000001", "status": "Inactive"]
            ),
            ("DeleteAccessKey", "iam", ["userName": "svc", "accessKeyId": "AKIABACKDOOR00000001"]),
            ("DeleteUser", "iam", ["userName": "svc"]),
            ("DeleteLoginProfile", "iam", ["userName": "svc"]),
            ("DeleteRole", "iam", ["roleName": "backdoor"]),
            ("DeleteInstanceProfile", "iam", ["instanceProfileName": "backdoor"]),
            ("RemoveRoleFromInstanceProfile", "iam", ["instanceProfileName": "backdoor", "roleName": "backdoor"]),
            ("DetachUserPolicy", "iam", ["userName": "svc", "policyArn": .string(administrator)]),
            ("DetachGroupPolicy", "iam", ["groupName": "ops", "policyArn": .string(administrator)]),
            ("DetachRolePolicy", "iam", ["roleName": "backdoor", "policyArn": .string(administrator)]),
            ("DeleteUserPolicy", "iam", ["userName": "svc", "policyName": "all"]),
            ("DeleteGroupPolicy", "iam", ["groupName": "ops", "policyName": "all"]),
            ("DeleteRolePolicy", "iam", ["roleName": "backdoor", "policyName": "all"]),
            ("DeletePolicy", "iam", ["policyArn": "arn:aws:iam::111122223333:policy/all"]),
            ("RemoveUserFromGroup", "iam", ["userName": "svc", "groupName": "admins"]),
            ("DeleteSSHPublicKey", "iam", ["userName": "svc", "sSHPublicKeyId": "APKAEXAMPLE"]),
            (
                "DeleteServiceSpecificCredential", "iam",
                ["userName": "svc", "serviceSpecificCredentialId": "ACCAEXAMPLE"]
            ),
            ("DeleteSigningCertificate", "iam", ["userName": "svc", "certificateId": "CERTEXAMPLE"]),
            ("DeleteSAMLProvider", "iam", ["sAMLProviderArn": "arn:aws:iam::111122223333:saml-provider/idp"]),
            (
                "DeleteOpenIDConnectProvider", "iam",
                ["openIDConnectProviderArn": "arn:aws:iam::111122223333:oidc-provider/idp.example"]
            ),
            ("TerminateInstances", "ec2", ["instancesSet": ["items": [["instanceId": "i-0backdoor"]]]]),
            (
                "DeleteVpcEndpoints", "ec2",
                ["DeleteVpcEndpointsRequest": ["VpcEndpointId": ["tag": 1, "content": "vpce-0hidden"]]]
            ),
            ("DeleteKeyPair", "ec2", ["keyName": "backdoor"]),
            ("RevokeSecurityGroupIngress", "ec2", ["groupId": "sg-0open"]),
            ("DeleteSecurityGroup", "ec2", ["groupId": "sg-0open"]),
            ("RemovePermission20150331v2", "lambda", ["functionName": "billing", "statementId": "s1"]),
            ("RemovePermission", "lambda", ["functionName": "billing", "statementId": "s1"]),
            ("DeleteTrustAnchor", "rolesanywhere", ["trustAnchorId": "anchor-1"]),
            ("DeleteIPSet", "guardduty", ["detectorId": "d-1", "ipSetId": "set-1"]),
            ("UpdateDetector", "guardduty", ["detectorId": "d-1", "enable": true]),
            ("StartLogging", "cloudtrail", ["name": "management-events"]),
        ]
        var records: [String: JSONValue] = [:]
        for (name, service, request) in calls {
            records[name] = maker.record(name, source: "\(service).amazonaws.com", identity: admin, request: request)
        }
        return records
    }()

    /// Bedrock calls no corpus holds: a user invoking and listing models.
    static func bedrock(_ maker: inout RecordMaker, _ user: JSONValue) -> [String: JSONValue] {
        var records: [String: JSONValue] = [:]
        for name in ["InvokeModelWithResponseStream", "Converse", "ConverseStream", "ListFoundationModels"] {
            let request: JSONValue = name == "ListFoundationModels" ? .null : ["modelId": "anthropic.claude-v2"]
            records[name] = maker.record(name, source: "bedrock.amazonaws.com", identity: user, request: request)
        }
        return records
    }
}
