import CustodyJSON
import CustodyTestSupport
@testable import Diff
import Evidence
import EvidenceArchive
import Foundation
import Testing
import EvidenceReading

/// Severity that follows the direction of a change, new sources learned before they are judged,
/// and the collector counted by its own calls rather than by its key.
@Suite struct SeverityAndAttributionTests {
    static let account = "111122223333"
    static let leaked = "AKIALEAKEDKEY0000001"
    static let collectorKey = "AKIACOLLECTOR0000001"
    static let collectorArn = "arn:aws:iam::111122223333:user/lab-admin"
    static let start = 1_790_000_000

    static let test = RecordMaker.user("test", key: leaked)
    static let responder = RecordMaker.user("responder", key: "AKIARESPONDER0000001")
    static let collector = RecordMaker.user("lab-admin", key: collectorKey)

    /// The records as one slice, the collections' own calls marked.
    static func log(_ records: [JSONValue], collectors: [CollectorSpan] = [], folder: TemporaryFolder) async throws
        -> EventLog
    {
        let lines = records.map(\.description).joined(separator: "\n") + "\n"
        let path = try folder.write("events-\(UUID().uuidString).jsonl", Array(lines.utf8))
        return await EventLog.read(files: [(path, "case.tar")], account: account, collectors: collectors)
    }

    static func hunt(_ records: [JSONValue], suspects: [String] = [], collectors: [CollectorSpan] = []) async throws
        -> HuntReport
    {
        let folder = try TemporaryFolder()
        return DiffEngine.hunt(
            events: try await log(records, collectors: collectors, folder: folder), suspectKeys: suspects)
    }

    static func finding(_ report: HuntReport, _ rule: RuleID, _ event: String) -> Finding? {
        report.findings.first { $0.rule == rule && $0.event?.eventName == event }
    }

    // MARK: Direction

    /// The attacker's persistence, then its own clean-up of it.
    static func madeThenRemoved() -> [JSONValue] {
        var m = RecordMaker(account: account, time: start)
        return [
            m.record(
                "CreateUser", source: "iam.amazonaws.com", identity: test, request: ["userName": "svc-backup"],
                response: ["user": ["userName": "svc-backup", "userId": "AIDASVCBACKUP0000"]]),
            m.record(
                "CreateAccessKey", source: "iam.amazonaws.com", identity: test, request: ["userName": "svc-backup"],
                response: ["accessKey": ["accessKeyId": "AKIABACKDOOR00000001", "userName": "svc-backup"]]),
            m.record(
                "RunInstances", source: "ec2.amazonaws.com", identity: test, region: "eu-west-1",
                request: ["iamInstanceProfile": ["name": "web"]],
                response: ["instancesSet": ["items": [["instanceId": "i-0backdoor"]]]]),
            m.record(
                "CreateVpcEndpoint", source: "ec2.amazonaws.com", identity: test, region: "eu-west-1",
                response: ["vpcEndpoint": ["vpcEndpointId": "vpce-0hidden"]]),
            m.record(
                "DeleteAccessKey", source: "iam.amazonaws.com", identity: test,
                request: ["userName": "svc-backup", "accessKeyId": "AKIABACKDOOR00000001"]),
            m.record(
                "TerminateInstances", source: "ec2.amazonaws.com", identity: test, region: "eu-west-1",
                request: ["instancesSet": ["items": [["instanceId": "i-0backdoor"]]]]),
            m.record(
                "DeleteVpcEndpoints", source: "ec2.amazonaws.com", identity: test, region: "eu-west-1",
                request: ["DeleteVpcEndpointsRequest": ["VpcEndpointId": ["tag": 1, "content": "vpce-0hidden"]]]),
            m.record("DeleteUser", source: "iam.amazonaws.com", identity: test, request: ["userName": "svc-backup"]),
        ]
    }

    @Test func aSuspectCleaningUpWhatItMadeIsLowLabelledAndNeverRaised() async throws {
        let report = try await Self.hunt(Self.madeThenRemoved(), suspects: [Self.leaked])
        for name in ["DeleteAccessKey", "TerminateInstances", "DeleteVpcEndpoints", "DeleteUser"] {
            let finding = try #require(Self.finding(report, .containmentAction, name), "\(name)")
            #expect(finding.severity == .low, "\(name): \(finding.reason)")
            #expect(finding.effect == .cleanUp && finding.actor != nil, "\(name)")
            #expect(finding.techniques.first?.id == "T1070")
        }
        let key = try #require(Self.finding(report, .accessKeyCreated, "CreateAccessKey"))
        #expect(key.severity == .high && key.effect == nil)
    }

    @Test func aSuspectTakingAwayWhatItDidNotMakeIsMediumNeverHigh() async throws {
        var m = RecordMaker(account: Self.account, time: Self.start)
        let records = [
            m.record(
                "UpdateAccessKey", source: "iam.amazonaws.com", identity: Self.test,
                request: ["userName": "admin", "accessKeyId": "AKIAADMIN00000000001", "status": "Inactive"]),
            m.record(
                "DetachUserPolicy", source: "iam.amazonaws.com", identity: Self.test,
                request: ["userName": "alice", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]),
            // Detaching an ordinary policy is administration, not containment.
            m.record(
                "DetachUserPolicy", source: "iam.amazonaws.com", identity: Self.test,
                request: ["userName": "alice", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        ]
        let report = try await Self.hunt(records, suspects: [Self.leaked])
        let found = report.findings.filter { $0.rule == .containmentAction }
        #expect(found.count == 2, "\(found.map(\.title))")
        for finding in found {
            #expect(finding.severity == .medium && finding.effect == .containment, "\(finding.title)")
        }
    }

    @Test func restoringLoggingOrATrustIsContainmentWhoeverDoesIt() async throws {
        var m = RecordMaker(account: Self.account, time: Self.start)
        let servicesOnly =
            #"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        let allEvents: JSONValue = [["readWriteType": "All", "includeManagementEvents": true]]
        let records = [
            m.record(
                "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: Self.test,
                request: ["trailName": "main", "eventSelectors": allEvents]),
            m.record(
                "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: Self.test,
                request: ["roleName": "deploy", "policyDocument": .string(servicesOnly)]),
            m.record(
                "StartLogging", source: "cloudtrail.amazonaws.com", identity: Self.test, request: ["name": "main"]),
            m.record(
                "UpdateDetector", source: "guardduty.amazonaws.com", identity: Self.test,
                request: ["detectorId": "d-home", "enable": true]),
            // The responder restores another trail and deletes a user: no suspect's, no clean-up finding.
            m.record(
                "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: Self.responder,
                request: ["trailName": "audit", "eventSelectors": allEvents]),
            m.record("DeleteUser", source: "iam.amazonaws.com", identity: Self.responder, request: ["userName": "x"]),
        ]
        let report = try await Self.hunt(records, suspects: [Self.leaked])
        for (rule, name) in [
            (RuleID.trailImpaired, "PutEventSelectors"), (.roleTrustChanged, "UpdateAssumeRolePolicy"),
            (.containmentAction, "StartLogging"), (.containmentAction, "UpdateDetector"),
        ] {
            let finding = try #require(Self.finding(report, rule, name), "\(rule) \(name)")
            #expect(finding.severity == .low && finding.effect == .containment, "\(name): \(finding.reason)")
            #expect(finding.actor != nil, "\(name)")
        }
        let responders = report.findings.filter { $0.event?.accessKeyId == "AKIARESPONDER0000001" }
        #expect(responders.map(\.rule) == [.trailImpaired], "\(responders.map(\.title))")
        #expect(responders.allSatisfy { $0.severity == .low && $0.effect == .containment && $0.actor == nil })
    }

    /// A diff sees a changed trust or changed selectors either way: the call tied to the change says which.
    @Test func aDiffJudgesAStateChangeByTheDirectionOfItsCall() async throws {
        let account = ScenarioDiffTests.account
        func trail(_ name: String, logging: Bool, selectors: String) -> Trail {
            Trail(
                name: name, trailArn: "arn:aws:cloudtrail:eu-west-1:\(account):trail/\(name)", homeRegion: "eu-west-1",
                s3BucketName: "bucket", isMultiRegionTrail: true, isLogging: logging,
                eventSelectors: [["readWriteType": .string(selectors), "includeManagementEvents": true]])
        }
        func role(trusting principal: JSONValue) -> IAMRole {
            IAMRole(
                roleName: "deploy", roleId: "AROADEPLOY0000", arn: "arn:aws:iam::\(account):role/deploy",
                createDate: "2026-11-01T00:00:00Z",
                trustPolicy: ["Statement": [["Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"]]])
        }
        var before = ScenarioDiffTests.before
        before.trails = [
            trail("main", logging: true, selectors: "WriteOnly"), trail("audit", logging: true, selectors: "All"),
        ]
        before.roles.append(role(trusting: ["AWS": "arn:aws:iam::333333333333:root"]))
        var after = before
        after.trails = [
            trail("main", logging: true, selectors: "All"), trail("audit", logging: false, selectors: "All"),
        ]
        after.roles[after.roles.count - 1] = role(trusting: ["Service": "ec2.amazonaws.com"])

        let identity = RecordMaker.user("test", key: ScenarioDiffTests.leaked, account: account)
        var m = RecordMaker(account: account, time: Self.start)
        let all: JSONValue = [["readWriteType": "All", "includeManagementEvents": true]]
        let records = [
            m.record(
                "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: identity,
                request: ["trailName": "main", "eventSelectors": all]),
            m.record(
                "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: identity,
                request: [
                    "roleName": "deploy",
                    "policyDocument": .string(
                        #"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
                    ),
                ]),
            m.record("StopLogging", source: "cloudtrail.amazonaws.com", identity: identity, request: ["name": "audit"]),
            m.record(
                "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: identity,
                request: ["trailName": "audit", "eventSelectors": all]),
        ]
        let folder = try TemporaryFolder()
        let lines = records.map(\.description).joined(separator: "\n") + "\n"
        let path = try folder.write("after.jsonl", Array(lines.utf8))
        let report = DiffEngine.diff(
            before: LoadedSnapshot(snapshot: before, archive: "before.tar", takenAt: "2026-11-01T12:00:00Z"),
            after: LoadedSnapshot(snapshot: after, archive: "after.tar", takenAt: "2026-11-02T12:00:00Z"),
            events: await EventLog.read(files: [(path, "after.tar")], account: account),
            suspectKeys: [ScenarioDiffTests.leaked])
        func state(_ rule: RuleID, _ name: String) -> Finding? {
            report.findings.first {
                $0.rule == rule && $0.basis == .snapshotDiff && ($0.entity.name == name || $0.entity.id == name)
            }
        }
        let selectors = try #require(state(.trailImpaired, "main"), "\(report.findings.map(\.title))")
        let trust = try #require(state(.roleTrustChanged, "deploy"), "\(report.findings.map(\.title))")
        for finding in [selectors, trust] {
            #expect(finding.severity == .low && finding.effect == .containment, "\(finding.title): \(finding.reason)")
            #expect(finding.actor != nil)
        }
        let stopped = try #require(state(.trailImpaired, "audit"))
        #expect(stopped.severity == .high && stopped.effect == nil, "\(stopped.title) is still stopped")
    }

    @Test func aSuspectsNewSourceAndSecretReadAreRaisedThoughCloudTrailCallsThemReads() async throws {
        var m = RecordMaker(account: Self.account, time: Self.start, sourceIP: "198.51.100.10")
        let session: JSONValue = [
            "type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/app/s1",
            "accountId": .string(Self.account), "accessKeyId": "ASIAAPPSESSION000001",
        ]
        var records = [m.record("ListBuckets", source: "s3.amazonaws.com", identity: Self.test, readOnly: true)]
        m.sourceIP = "203.0.113.66"
        records += [
            m.record("ListBuckets", source: "s3.amazonaws.com", identity: Self.test, readOnly: true),
            m.record(
                "AssumeRole", source: "sts.amazonaws.com", identity: Self.test,
                request: ["roleArn": "arn:aws:iam::111122223333:role/app", "roleSessionName": "s1"],
                response: ["credentials": ["accessKeyId": "ASIAAPPSESSION000001"]], readOnly: true),
            m.record(
                "GetSecretValue", source: "secretsmanager.amazonaws.com", identity: session,
                request: ["secretId": "prod/db"], readOnly: true),
        ]
        let plain = try await Self.hunt(records)
        #expect(plain.findings.first { $0.rule == .newSource }?.severity == .low, "learnt in the owner's first hour")
        let report = try await Self.hunt(records, suspects: [Self.leaked])
        let source = try #require(report.findings.first { $0.rule == .newSource })
        #expect(source.severity == .high && source.actor != nil, "\(source.reason)")
        let secret = try #require(Self.finding(report, .secretsRead, "GetSecretValue"))
        #expect(secret.severity == .high && secret.actor != nil)
    }

    @Test func aSuspectsLowReadThatNoRuleSinglesOutStaysLow() {
        func low(_ rule: RuleID, effect: Finding.Effect? = nil) -> Finding {
            var finding = Finding(
                rule: rule, title: "t", severity: .low, reason: "r", basis: .cloudTrailOnly, account: Self.account,
                entity: EntityReference(kind: .resource, id: "x"), containment: Containment(advice: "a", commands: []))
            finding.effect = effect
            return finding
        }
        #expect(!Analysis.raisesForSuspect(low(.roleCreated), readOnly: true))
        #expect(Analysis.raisesForSuspect(low(.roleCreated), readOnly: false))
        for rule: RuleID in [.secretsRead, .sessionTokenIssued, .newSource] {
            #expect(Analysis.raisesForSuspect(low(rule), readOnly: true), "\(rule)")
        }
        #expect(!Analysis.raisesForSuspect(low(.trailImpaired, effect: .containment), readOnly: false))
        var medium = low(.enumeration)
        medium.severity = .medium
        #expect(Analysis.raisesForSuspect(medium, readOnly: true))
    }

    @Test func containmentByAnAWSServiceOnItsOwnIsNoOnesHands() async throws {
        let records = Fixtures.panther.filter { $0.log["eventName"]?.stringValue == "TerminateInstances" }
        #expect(records.count == 2)
        let folder = try TemporaryFolder()
        let log = try await Fixtures.log(records: records.map(\.log), folder: folder)
        let found = log.rows.indices.compactMap { EventFacts(log: log, index: $0) }.flatMap {
            EventRules.containmentAction($0)
        }
        #expect(found.map(\.finding.entity.id) == ["i-0d9853f67e40ab80b"])
        #expect(found.first?.finding.event?.principal?.hasSuffix("assumed-role/SomeRole/AThing") == true)
    }

    // MARK: New sources

    static func calls(_ identity: JSONValue, _ times: [(seconds: Int, address: String)]) -> [JSONValue] {
        times.map { call in
            var m = RecordMaker(account: account, time: start + call.seconds - 5, sourceIP: call.address)
            return m.record("ListBuckets", source: "s3.amazonaws.com", identity: identity, readOnly: true)
        }
    }

    @Test func newSourcesAreLearnedForAnHourAndAnotherAddressOfTheSameRangePasses() async throws {
        let alice = RecordMaker.user("alice", key: "AKIAALICE00000000001")
        let bob = RecordMaker.user("bob", key: "AKIABOB0000000000001")
        let records =
            Self.calls(
                alice,
                [(0, "198.51.100.10"), (600, "192.0.2.10"), (7200, "198.51.7.7"), (10800, "203.0.113.5")])
            + Self.calls(
                bob, [(0, "2001:db8:1::1"), (7200, "2001:db8:1:ff::2"), (10800, "2001:db8:2::1")])
        let report = try await Self.hunt(records)
        let found = report.findings.filter { $0.rule == .newSource }.map { ($0.details["source"] ?? "", $0.severity) }
        #expect(found.count == 3, "\(found)")
        #expect(found.contains { $0 == ("192.0.2.10", .low) })
        #expect(found.contains { $0 == ("203.0.113.5", .medium) })
        #expect(found.contains { $0 == ("2001:db8:2::1", .medium) })
    }

    @Test func roleSessionsAreFollowedButNotInstances() async throws {
        func session(_ role: String, _ name: String, key: String) -> JSONValue {
            [
                "type": "AssumedRole", "arn": .string("arn:aws:sts::111122223333:assumed-role/\(role)/\(name)"),
                "accountId": .string(Self.account), "accessKeyId": .string(key),
            ]
        }
        let person = session("Deploy", "alice@example.com", key: "ASIAPERSON0000000001")
        let instance = session("web", "i-0123456789abcdef0", key: "ASIAINSTANCE00000001")
        let hours = [(0, "198.51.100.10"), (7200, "203.0.113.66")]
        let report = try await Self.hunt(Self.calls(person, hours) + Self.calls(instance, hours))
        let found = report.findings.filter { $0.rule == .newSource }
        #expect(found.map(\.entity.id) == ["arn:aws:sts::111122223333:assumed-role/Deploy/alice@example.com"])
        #expect(found.first?.severity == .medium)
        #expect(found.first?.containment.commands.contains { $0.contains("--role-name Deploy") } == true)
    }

    @Test(arguments: [
        ("198.51.100.10", "198.51.7.7", true), ("198.51.100.10", "198.52.100.10", false),
        ("2001:db8:1::1", "2001:db8:1:ff::2", true), ("2001:db8:1::1", "2001:db8:2::1", false),
        ("2001:DB8:1::", "2001:db8:1:0:0:0:0:1", true), ("::ffff:198.51.100.10", "198.51.3.3", true),
        ("fe80::1%eth0", "fe80::2", true), ("10.0.0.1", "::ffff:10.1.0.1", false),
    ])
    func networkRangeFamilies(_ a: String, _ b: String, _ same: Bool) throws {
        let first = try #require(BehaviourRules.networkFamily(a)),
            second = try #require(BehaviourRules.networkFamily(b))
        #expect((first == second) == same)
    }

    @Test func whatIsNoAddressHasNoFamily() {
        for text in ["AWS Internal", "1.2.3", "256.1.1.1", "1::2::3", "12345::1", "", "a.b.c.d", "1:2:3:4:5:6:7"] {
            #expect(BehaviourRules.networkFamily(text) == nil, "\(text)")
        }
        #expect(BehaviourRules.isInstanceSession("arn:aws:sts::1:assumed-role/web/i-0123456789abcdef0"))
        #expect(BehaviourRules.isInstanceSession("arn:aws:sts::1:assumed-role/web/i-01234567"))
        #expect(!BehaviourRules.isInstanceSession("arn:aws:sts::1:assumed-role/web/alice"))
        #expect(!BehaviourRules.isInstanceSession("arn:aws:iam::1:user/i-0123456789abcdef0"))
    }

    // MARK: The collector

    /// The collection's own discovery (custody's user agent, within its span), then its key used by
    /// someone else: within the span with another user agent, and with custody's agent hours later.
    static func collectorKeyInOtherHands() -> (records: [JSONValue], span: CollectorSpan) {
        var m = RecordMaker(
            account: account, time: start + 60, sourceIP: "198.51.100.10", userAgent: "custody/1.0 collect")
        var records = [
            "ListUsers", "ListRoles", "ListPolicies", "ListGroups", "GetAccountAuthorizationDetails",
            "DescribeInstances", "DescribeVpcEndpoints",
        ].map { m.record($0, source: "iam.amazonaws.com", identity: collector, readOnly: true) }
        m.sourceIP = "192.0.2.99"
        m.userAgent = "python-requests/2.31.0"
        records.append(
            m.record(
                "CreateUser", source: "iam.amazonaws.com", identity: collector, request: ["userName": "shadow"],
                response: ["user": ["userName": "shadow", "userId": "AIDASHADOW00000"]]))
        records.append(
            m.record(
                "AttachUserPolicy", source: "iam.amazonaws.com", identity: collector,
                request: ["userName": "shadow", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]))
        records.append(
            m.record(
                "GetSessionToken", source: "sts.amazonaws.com", identity: collector,
                response: [
                    "credentials": [
                        "accessKeyId": "ASIACOLLECTORSTOLEN1", "sessionToken": "FwoGZXIvYXdzSECRETTOKEN",
                        "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET",
                    ]
                ]))
        m.time = start + 4 * 3600
        m.userAgent = "custody/1.0 collect"
        records.append(m.record("ListUsers", source: "iam.amazonaws.com", identity: collector, readOnly: true))
        let span = CollectorSpan(
            accessKeyId: collectorKey, principal: collectorArn, startedAt: Int64(start), finishedAt: Int64(start + 600))
        return (records, span)
    }

    @Test func onlyCustodysOwnCallsWithinItsCollectionAreTheCollectors() async throws {
        let (records, span) = Self.collectorKeyInOtherHands()
        let folder = try TemporaryFolder()
        let log = try await Self.log(records, collectors: [span], folder: folder)
        let marked = (0..<log.count).map { log.isCollector(at: $0) }
        #expect(marked == (0..<log.count).map { $0 < 7 }, "the first seven are the collection's")
        let note = try #require(log.notes.first { $0.contains(Self.collectorKey) })
        #expect(note.contains("was used by something other than custody: 4 calls"), "\(note)")
        #expect(
            note.contains(
                "from 192.0.2.99 with user agent python-requests/2.31.0 (3), custody/1.0 collect (1) between"),
            "\(note)")
        #expect(note.contains("1 of them carries custody's user agent outside every collection's time"), "\(note)")
        #expect(!note.contains("SECRET"))
    }

    @Test func theCollectorsKeyInOtherHandsIsJudgedAndFollowedLikeAnyKey() async throws {
        let (records, span) = Self.collectorKeyInOtherHands()
        let report = try await Self.hunt(records, collectors: [span])
        let admin = try #require(Self.finding(report, .privilegedPolicyAttached, "AttachUserPolicy"))
        #expect(admin.severity == .high && admin.event?.accessKeyId == Self.collectorKey)
        #expect(!report.findings.contains { $0.rule == .enumeration }, "the collection's own discovery is no burst")
        let actor = try #require(
            report.actors.first { $0.credentials.contains { $0.accessKeyId == Self.collectorKey } })
        #expect(actor.eventCount == 4 && actor.userAgents.contains("python-requests/2.31.0"))
        #expect(report.notes.contains { $0.contains("The collector's key \(Self.collectorKey) was used") })
        let json = String(decoding: try JSONEncoder().encode(report.findings), as: UTF8.self)
        #expect(!json.contains("SECRET") && !report.notes.joined().contains("SECRET"))
    }

    @Test func custodysUserAgentIsRecognisedAsCloudTrailWritesIt() {
        for agent in ["custody", "custody/1.0 collect", "[custody/1.0 collect]"] {
            #expect(CollectorSpan.isCustodyAgent(agent), "\(agent)")
        }
        for agent in ["custodyx/1.0", "aws-cli/2.15 custody/1.0", "", "[aws-cli/2.15]"] {
            #expect(!CollectorSpan.isCustodyAgent(agent), "\(agent)")
        }
    }

    /// A collection's calls are in the next archive's slice: a hunt of that archive alone finds
    /// the collection beside it through its chain link, and only when the file is the one linked.
    @Test func theCollectionBeforeAnArchiveIsFoundBesideItThroughItsChainLink() async throws {
        let folder = try TemporaryFolder()
        let caseFolder = CaseFolder(root: folder.file("case"))
        let sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
        func seal(_ events: [JSONValue], at seconds: Int, for duration: Int) throws -> String {
            var members = try SnapshotLayout.members(of: ScenarioDiffTests.before).map {
                SealMember(path: $0.path, source: .bytes($0.bytes))
            }
            if !events.isEmpty {
                let lines = events.map {
                    JSONValue.object(["CloudTrailEvent": .string($0.description), "Resources": []]).description
                }
                members.append(
                    SealMember(
                        path: "cloudtrail/us-east-1/events.jsonl.gz",
                        source: .bytes(try Gzip.compress(Array((lines.joined(separator: "\n") + "\n").utf8)))))
            }
            return try sealer.seal(
                SealRequest(
                    account: ScenarioDiffTests.account, kind: .evidence, members: members,
                    collector: Manifest.Collector(version: "test", accessKeyId: Self.collectorKey),
                    startedAt: Date(timeIntervalSince1970: TimeInterval(seconds)),
                    finishedAt: Date(timeIntervalSince1970: TimeInterval(seconds + duration)))
            ).archivePath
        }
        let identity = RecordMaker.user("lab-admin", key: Self.collectorKey, account: ScenarioDiffTests.account)
        var m = RecordMaker(
            account: ScenarioDiffTests.account, time: Self.start + 60, sourceIP: "198.51.100.10",
            userAgent: "custody/1.0 collect")
        var events = ["ListUsers", "ListRoles", "ListPolicies", "ListGroups", "DescribeInstances", "DescribeRegions"]
            .map { m.record($0, source: "iam.amazonaws.com", identity: identity, readOnly: true) }
        m.time = Self.start + 7200
        m.userAgent = "aws-cli/2.15.0"
        events.append(m.record("ListBuckets", source: "s3.amazonaws.com", identity: identity, readOnly: true))
        let first = try seal([], at: Self.start, for: 600)
        let second = try seal(events, at: Self.start + 86_400, for: 600)
        let reader = EvidenceReader(trust: TrustStore())

        let hunt = try await reader.hunt([second])
        let warning = try #require(hunt.notes.first { $0.contains(Self.collectorKey) })
        #expect(warning.contains(": 1 call from 198.51.100.10 with user agent aws-cli/2.15.0"), "\(warning)")
        #expect(!hunt.findings.contains { $0.rule == .enumeration })

        // Another file under the linked name is not the collection the chain names.
        try FileManager.default.removeItem(atPath: first)
        try FileManager.default.copyItem(atPath: second, toPath: first)
        let unlinked = try await reader.hunt([second])
        let all = try #require(unlinked.notes.first { $0.contains(Self.collectorKey) })
        #expect(all.contains(": 7 calls from 198.51.100.10"), "\(all)")
        #expect(unlinked.findings.contains { $0.rule == .enumeration })
    }
}
