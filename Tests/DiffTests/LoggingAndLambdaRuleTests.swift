import CustodyJSON
import CustodyTestSupport
@testable import Diff
import Testing
import EvidenceReading

/// The rules for logs beside a trail's (flow logs, DNS query logs, Bedrock's, a trail's bucket),
/// refused attempts to impair logging, and Lambda backdoors: what decides each severity, with and
/// without snapshots.
@Suite struct LoggingAndLambdaRuleTests {
    static let account = "111122223333"
    static let admin = RecordMaker.user("admin", key: "AKIAIOSFODNN7EXAMPLE")
    static let trailBucket = "org-audit-111122223333"

    /// The findings of `rule` in a hunt over `records`.
    func hunt(
        _ records: [JSONValue], rule: RuleID, snapshots: SnapshotFacts = SnapshotFacts(), suspectKeys: [String] = []
    ) async throws -> [Finding] {
        let folder = try TemporaryFolder()
        let log = try await Fixtures.log(records: records, folder: folder)
        return DiffEngine.hunt(events: log, suspectKeys: suspectKeys, snapshots: snapshots).findings.filter {
            $0.rule == rule
        }
    }

    /// What a snapshot of the account would say.
    static func snapshot(trailBuckets: Set<String> = [], privilegedRoles: Set<String> = []) -> SnapshotFacts {
        var facts = SnapshotFacts()
        facts.knownAccounts = [account]
        facts.trailBuckets = trailBuckets
        facts.privilegedRoles = privilegedRoles
        return facts
    }

    static func s3(
        _ name: String, bucket: String, _ request: [String: JSONValue] = [:], error: String? = nil,
        identity: JSONValue = admin
    ) -> JSONValue {
        var maker = RecordMaker()
        var members = request
        members["bucketName"] = .string(bucket)
        members["Host"] = .string("\(bucket).s3.us-east-1.amazonaws.com")
        return maker.record(
            name, source: "s3.amazonaws.com", identity: identity, request: .object(members), error: error)
    }

    static func lifecycle(_ rules: [JSONValue]) -> [String: JSONValue] {
        ["LifecycleConfiguration": ["Rule": rules.count == 1 ? rules[0] : .array(rules)], "lifecycle": ""]
    }

    static func expiring(days: Int, status: String = "Enabled", prefix: String = "") -> JSONValue {
        [
            "Status": .string(status), "Expiration": ["Days": .number(Double(days))],
            "Filter": ["Prefix": .string(prefix)],
        ]
    }

    // MARK: Flow logs, DNS and Bedrock

    @Test func deletedFlowLogsAreNamedInBothRequestShapes() async throws {
        var maker = RecordMaker()
        let cloudTrail = maker.record(
            "DeleteFlowLogs", source: "ec2.amazonaws.com", identity: Self.admin,
            request: [
                "DeleteFlowLogsRequest": [
                    "FlowLogId": [["content": "fl-0aaa", "tag": 1], ["content": "fl-0bbb", "tag": 2]]
                ]
            ])
        let botocore = maker.record(
            "DeleteFlowLogs", source: "ec2.amazonaws.com", identity: Self.admin,
            request: ["flowLogId": ["items": ["fl-0ccc"]]])
        let found = try await hunt([cloudTrail, botocore], rule: .flowLogsDeleted)
        #expect(found.map(\.entity.id).sorted() == ["fl-0aaa,fl-0bbb", "fl-0ccc"])
        #expect(found.allSatisfy { $0.severity == .high })
        #expect(found.allSatisfy { $0.containment.commands.contains { $0.contains("aws ec2 create-flow-logs") } })
    }

    @Test func dnsQueryLoggingTakenOffAVPCNamesTheVPC() async throws {
        var maker = RecordMaker()
        let record = maker.record(
            "DisassociateResolverQueryLogConfig", source: "route53resolver.amazonaws.com", identity: Self.admin,
            request: ["resolverQueryLogConfigId": "rqlc-0123", "resourceId": "vpc-0abc"])
        let finding = try #require(try await hunt([record], rule: .dnsQueryLogsRemoved).first)
        #expect(finding.severity == .high)
        #expect(finding.details["resourceId"] == "vpc-0abc")
        #expect(
            finding.containment.commands.contains {
                $0.contains("associate-resolver-query-log-config") && $0.contains("rqlc-0123")
                    && $0.contains("vpc-0abc")
            })
    }

    @Test func aRefusedDeletionOfModelInvocationLoggingIsAnAttempt() async throws {
        var maker = RecordMaker()
        let record = maker.record(
            "DeleteModelInvocationLoggingConfiguration", source: "bedrock.amazonaws.com", identity: Self.admin,
            error: "AccessDeniedException")
        let finding = try #require(try await hunt([record], rule: .modelInvocationLogsDeleted).first)
        #expect(finding.severity == .medium)
        #expect(
            finding.title == "Attempt to delete Bedrock model invocation logging in us-east-1 (AccessDeniedException)")
        #expect(finding.details["attempt"] == "true" && finding.details["errorCode"] == "AccessDeniedException")
    }

    // MARK: Refused attempts

    @Test func aRefusedStopLoggingIsAMediumAttemptAndHighFromASuspect() async throws {
        var maker = RecordMaker()
        let record = maker.record(
            "StopLogging", source: "cloudtrail.amazonaws.com", identity: Self.admin, request: ["name": "main"],
            error: "AccessDenied")
        let attempt = try #require(try await hunt([record], rule: .trailImpaired).first)
        #expect(attempt.title == "Attempt to stop logging of trail main (AccessDenied)")
        #expect(attempt.severity == .medium)
        #expect(attempt.details["attempt"] == "true" && attempt.details["errorCode"] == "AccessDenied")
        let suspect = try #require(
            try await hunt([record], rule: .trailImpaired, suspectKeys: ["AKIAIOSFODNN7EXAMPLE"]).first)
        #expect(suspect.severity == .high && suspect.actor != nil)
    }

    @Test func refusedCallsThatWouldNotImpairAreNoAttempts() async throws {
        var maker = RecordMaker()
        let enable = maker.record(
            "UpdateDetector", source: "guardduty.amazonaws.com", identity: Self.admin,
            request: ["detectorId": "d1", "enable": true], error: "AccessDenied")
        let ipSet = maker.record(
            "CreateIPSet", source: "guardduty.amazonaws.com", identity: Self.admin, request: ["detectorId": "d1"],
            error: "AccessDenied")
        let disable = maker.record(
            "UpdateDetector", source: "guardduty.amazonaws.com", identity: Self.admin,
            request: ["detectorId": "d2", "enable": false], error: "AccessDenied")
        let found = try await hunt([enable, ipSet, disable], rule: .guardDutyImpaired)
        #expect(
            found.filter { $0.severity > .low }.map(\.title) == [
                "Attempt to disable GuardDuty detector d2 (AccessDenied)"
            ])
        #expect(found.first { $0.severity > .low }?.severity == .medium)
        // The others would not have impaired: only the low attempt any denied call of the rule makes.
        #expect(
            found.filter { $0.severity == .low }.map(\.title) == [
                "Refused attempt: UpdateDetector of d1 (AccessDenied)",
                "Refused attempt: CreateIPSet of d1 (AccessDenied)",
            ])
    }

    @Test func aRefusedCallIsNeverTheEventBehindAChange() async throws {
        var maker = RecordMaker()
        let done = maker.record(
            "StopLogging", source: "cloudtrail.amazonaws.com", identity: Self.admin, request: ["name": "main"])
        let refused = maker.record(
            "StopLogging", source: "cloudtrail.amazonaws.com", identity: Self.admin, request: ["name": "main"],
            error: "AccessDenied")
        let folder = try TemporaryFolder()
        let onlyRefused = try await Fixtures.log(records: [refused], folder: folder)
        #expect(Correlator(log: onlyRefused, scope: [0]).event(["StopLogging"], "main") == nil)
        let both = try await Fixtures.log(records: [done, refused], folder: folder)
        #expect(Correlator(log: both, scope: [0, 1]).event(["StopLogging"], "main") == 0)
    }

    // MARK: A trail's bucket

    @Test func aShortLifecycleOnATrailBucketIsHighOnlyWhenASnapshotSaysATrailDeliversThere() async throws {
        let record = Self.s3("PutBucketLifecycle", bucket: Self.trailBucket, Self.lifecycle([Self.expiring(days: 1)]))
        let known = try await hunt(
            [record], rule: .trailBucketImpaired, snapshots: Self.snapshot(trailBuckets: [Self.trailBucket]))
        #expect(known.map(\.severity) == [.high])
        #expect(known.first?.title == "Trail bucket \(Self.trailBucket): set to expire logs after 1 day")
        #expect(known.first?.details["trailBucket"] == "snapshot")
        #expect(
            known.first?.containment.commands.contains("aws s3api delete-bucket-lifecycle --bucket \(Self.trailBucket)")
                == true)
        // A snapshot naming other buckets: this one is no trail's, whatever its name.
        let named = Self.s3("PutBucketLifecycle", bucket: "acme-cloudtrail", Self.lifecycle([Self.expiring(days: 1)]))
        let other = try await hunt(
            [record, named], rule: .trailBucketImpaired, snapshots: Self.snapshot(trailBuckets: ["elsewhere"]))
        #expect(other.isEmpty)
    }

    @Test func withoutASnapshotABucketNamedOrPrefixedLikeATrailsIsMedium() async throws {
        let cases: [(bucket: String, prefix: String, fires: Bool)] = [
            ("aws-cloudtrail-logs-111122223333-1a2b", "", true),
            ("audit-trail", "", true),
            ("aws-logs-111122223333-us-east-1", "", true),
            ("invoices", "", false),
            ("traildiscover", "", false),
            ("invoices", "AWSLogs/111122223333/", true),
        ]
        for item in cases {
            let record = Self.s3(
                "PutBucketLifecycleConfiguration", bucket: item.bucket,
                Self.lifecycle([Self.expiring(days: 1, prefix: item.prefix)]))
            let found = try await hunt([record], rule: .trailBucketImpaired)
            #expect(found.map(\.severity) == (item.fires ? [.medium] : []), "\(item.bucket) \(item.prefix)")
            #expect(found.allSatisfy { $0.details["trailBucket"] == "name" })
        }
    }

    @Test func lifecycleRulesCountWhenEnabledAndExpiringCurrentObjects() async throws {
        let snapshot = Self.snapshot(trailBuckets: [Self.trailBucket])
        let cases: [(rules: [JSONValue], severity: Severity?)] = [
            ([Self.expiring(days: 1, status: "Disabled")], nil),
            ([Self.expiring(days: 730)], .low),
            ([Self.expiring(days: 730), Self.expiring(days: 30)], .high),
            ([["Status": "Enabled", "Expiration": ["Date": "2026-01-01T00:00:00Z"]]], .high),
            ([["Status": "Enabled", "NoncurrentVersionExpiration": ["NoncurrentDays": 1]]], nil),
            ([["Status": "Enabled", "Expiration": ["Days": "7"]]], .high),
            ([["Status": "Enabled", "Transitions": [["Days": 1, "StorageClass": "GLACIER"]]]], nil),
        ]
        for item in cases {
            let record = Self.s3("PutBucketLifecycle", bucket: Self.trailBucket, Self.lifecycle(item.rules))
            let found = try await hunt([record], rule: .trailBucketImpaired, snapshots: snapshot)
            #expect(found.map(\.severity) == (item.severity.map { [$0] } ?? []), "\(item.rules)")
        }
    }

    @Test func aBucketPolicyIsJudgedByWhetherCloudTrailCanStillWrite() async throws {
        let snapshot = Self.snapshot(trailBuckets: [Self.trailBucket])
        let allow: JSONValue = [
            "Effect": "Allow", "Principal": ["Service": "cloudtrail.amazonaws.com"], "Action": "s3:PutObject",
            "Resource": .string("arn:aws:s3:::\(Self.trailBucket)/AWSLogs/\(Self.account)/*"),
        ]
        let tlsOnly: JSONValue = [
            "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
            "Condition": ["Bool": ["aws:SecureTransport": "false"]],
        ]
        let denyAll: JSONValue = ["Effect": "Deny", "Principal": ["AWS": "*"], "Action": "s3:*", "Resource": "*"]
        let read: JSONValue = [
            "Effect": "Allow", "Principal": ["AWS": .string("arn:aws:iam::\(Self.account):root")],
            "Action": "s3:GetObject", "Resource": "*",
        ]
        let cases: [(statements: [JSONValue], title: String?)] = [
            ([allow, tlsOnly], nil),
            ([read], "policy no longer lets CloudTrail write"),
            ([allow, denyAll], "policy denies CloudTrail"),
        ]
        for item in cases {
            let record = Self.s3(
                "PutBucketPolicy", bucket: Self.trailBucket,
                ["bucketPolicy": ["Version": "2012-10-17", "Statement": .array(item.statements)]])
            let found = try await hunt([record], rule: .trailBucketImpaired, snapshots: snapshot)
            #expect(found.map(\.title) == (item.title.map { ["Trail bucket \(Self.trailBucket): \($0)"] } ?? []))
            #expect(found.allSatisfy { $0.severity == .high })
        }
    }

    @Test func aDeletedPolicyOfATrailBucketIsHighAndARefusedOneAnAttempt() async throws {
        let snapshot = Self.snapshot(trailBuckets: [Self.trailBucket])
        let deleted = Self.s3("DeleteBucketPolicy", bucket: Self.trailBucket)
        // By another user: the key behind the high finding is followed, and what it did raised to high.
        let refused = Self.s3(
            "DeleteBucketPolicy", bucket: Self.trailBucket, error: "AccessDenied",
            identity: RecordMaker.user("mallory", key: "AKIAI44QH8DHBEXAMPLE"))
        let elsewhere = Self.s3("DeleteBucketPolicy", bucket: "invoices")
        let found = try await hunt([deleted, refused, elsewhere], rule: .trailBucketImpaired, snapshots: snapshot)
        #expect(
            found.map { "\($0.severity) \($0.title)" }.sorted() == [
                "high Trail bucket \(Self.trailBucket): policy deleted",
                "medium Attempt to delete the policy of trail bucket \(Self.trailBucket) (AccessDenied)",
            ])
    }

    // MARK: Lambda

    static func lambda(
        _ name: String, request: JSONValue, response: JSONValue = .null, identity: JSONValue = admin
    ) -> JSONValue {
        var maker = RecordMaker()
        return maker.record(
            name, source: "lambda.amazonaws.com", identity: identity, request: request, response: response)
    }

    static let functionArn = "arn:aws:lambda:us-east-1:111122223333:function:billing"

    @Test func replacedCodeIsMediumWithItsHash() async throws {
        let record = Self.lambda(
            "UpdateFunctionCode20150331v2", request: ["functionName": .string(Self.functionArn), "publish": true],
            response: [
                "functionName": "billing", "functionArn": .string(Self.functionArn + ":3"), "codeSha256": "abc=",
                "role": "arn:aws:iam::111122223333:role/billing-role",
            ])
        let finding = try #require(try await hunt([record], rule: .lambdaBackdoored).first)
        #expect(finding.severity == .medium)
        #expect(finding.entity.name == "billing" && finding.title == "Code of Lambda function billing replaced")
        #expect(finding.details["codeSha256"] == "abc=")
        #expect(finding.containment.commands.contains { $0.contains("aws lambda list-versions-by-function") })
        #expect(finding.containment.commands.contains { $0.contains("--role-name billing-role") })
    }

    @Test func aLayerFromAnotherAccountIsHighAndOneOfTheFunctionsOwnMedium() async throws {
        let own = Self.lambda(
            "UpdateFunctionConfiguration20150331v2",
            request: [
                "functionName": .string(Self.functionArn),
                "layers": ["arn:aws:lambda:us-east-1:111122223333:layer:shared-utils:4"],
            ])
        let foreign = Self.lambda(
            "UpdateFunctionConfiguration20150331v2",
            request: ["functionName": "reports", "layers": ["arn:aws:lambda:us-east-1:999988887777:layer:ext:1"]])
        let ownFinding = try #require(try await hunt([own], rule: .lambdaBackdoored).first)
        #expect(ownFinding.severity == .medium)
        let foreignFinding = try #require(try await hunt([foreign], rule: .lambdaBackdoored).first)
        #expect(foreignFinding.severity == .high)
        #expect(foreignFinding.reason.contains("999988887777"))
        #expect(foreignFinding.details["layers"] == "arn:aws:lambda:us-east-1:999988887777:layer:ext:1")
    }

    @Test func aNewRoleIsHighWhenItAdministersAndSaysSoWhenUnknown() async throws {
        let role = "arn:aws:iam::111122223333:role/ops-role"
        let update = Self.lambda(
            "UpdateFunctionConfiguration20150331v2", request: ["functionName": "billing", "role": .string(role)])
        let bySnapshot = try #require(
            try await hunt([update], rule: .lambdaBackdoored, snapshots: Self.snapshot(privilegedRoles: ["ops-role"]))
                .first)
        #expect(bySnapshot.severity == .high && bySnapshot.reason.contains("a snapshot says so"))
        let ordinary = try #require(try await hunt([update], rule: .lambdaBackdoored, snapshots: Self.snapshot()).first)
        #expect(ordinary.severity == .medium && ordinary.reason.contains("no snapshot lists"))
        let unknown = try #require(try await hunt([update], rule: .lambdaBackdoored).first)
        #expect(unknown.severity == .medium && unknown.reason.contains("permissions are unknown"))
        // Without a snapshot, an inline * given to the role earlier in the slice, by another user.
        var maker = RecordMaker()
        let grant = maker.record(
            "PutRolePolicy", source: "iam.amazonaws.com",
            identity: RecordMaker.user("ops", key: "AKIAI44QH8DHBEXAMPLE"),
            request: [
                "roleName": "ops-role", "policyName": "all",
                "policyDocument":
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            ])
        let bySlice = try #require(try await hunt([grant, update], rule: .lambdaBackdoored).first)
        #expect(bySlice.severity == .high && bySlice.reason.contains("earlier in the slice"))
    }

    @Test func aNewFunctionIsHighWithARoleThatAdministersLowWhenUnknownAndSilentWhenOrdinary() async throws {
        let create = Self.lambda(
            "CreateFunction20150331",
            request: ["functionName": "sync", "role": "arn:aws:iam::111122223333:role/sync-role"],
            response: [
                "functionName": "sync", "functionArn": "arn:aws:lambda:us-east-1:111122223333:function:sync",
                "role": "arn:aws:iam::111122223333:role/sync-role",
            ],
            identity: RecordMaker.user("deployer", key: "AKIAIOSFODNN7DEPLOYR"))
        var maker = RecordMaker()
        maker.time = 1_700_000_000
        let attach = maker.record(
            "AttachRolePolicy", source: "iam.amazonaws.com", identity: Self.admin,
            request: ["roleName": "sync-role", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"])
        let privileged = try #require(try await hunt([attach, create], rule: .lambdaBackdoored).first)
        #expect(privileged.severity == .high && privileged.reason.contains("AdministratorAccess attached"))
        let unknown = try #require(try await hunt([create], rule: .lambdaBackdoored).first)
        #expect(unknown.severity == .low && unknown.reason.contains("permissions are unknown"))
        #expect(try await hunt([create], rule: .lambdaBackdoored, snapshots: Self.snapshot()).isEmpty)
        let later = try await hunt([create, Self.later(attach)], rule: .lambdaBackdoored)
        #expect(later.map(\.severity) == [.low])
    }

    /// `record` an hour after every record made so far in these tests.
    static func later(_ record: JSONValue) -> JSONValue {
        guard case .object(var members) = record else { return record }
        members["eventTime"] = .string(RecordMaker.iso(1_790_000_000))
        return .object(members)
    }

    @Test func configurationChangesWithoutLayersOrRoleAndRefusedCallsAreNoBackdoor() async throws {
        let memory = Self.lambda(
            "UpdateFunctionConfiguration20150331v2", request: ["functionName": "billing", "memorySize": 512])
        var maker = RecordMaker()
        let refused = maker.record(
            "UpdateFunctionCode20150331v2", source: "lambda.amazonaws.com", identity: Self.admin,
            request: ["functionName": "billing"], error: "AccessDeniedException")
        #expect(try await hunt([memory], rule: .lambdaBackdoored).isEmpty)
        let attempts = try await hunt([memory, refused], rule: .lambdaBackdoored)
        #expect(
            attempts.map(\.title) == [
                "Refused attempt: UpdateFunctionCode20150331v2 of billing (AccessDeniedException)"
            ])
        #expect(attempts.allSatisfy { $0.severity == .low })
    }
}
