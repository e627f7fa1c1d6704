import CustodyCrypto
import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// Whether the built binary has the `diff` and `hunt` subcommands yet.

/// `custody diff` and `custody hunt` run as a user would: refusal of different accounts, either
/// order, exit codes like diff(1), JSON output.
@Suite
struct DiffCommandTests {
    let folder: TemporaryFolder
    let caseFolder: CaseFolder
    let sealer: Sealer

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = CaseFolder(root: folder.file("case"))
        sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
    }

    /// A minimal snapshot in the archive layout, written by hand (users as canonical JSON).
    func members(account: String, users: String, events: [String] = []) throws -> [SealMember] {
        let caller =
            #"{"account":"\#(account)","arn":"arn:aws:iam::\#(account):user/collector","userId":"AIDACOLLECTOR"}"#
        var files: [(String, String)] = [
            (
                "snapshot/account.json",
                #"{"accountId":"\#(account)","callerIdentity":\#(caller),"collectedRegions":["us-east-1"],"enabledRegions":["us-east-1"]}"#
            ),
            ("snapshot/iam/users.json", users), ("snapshot/iam/roles.json", "[]"), ("snapshot/iam/groups.json", "[]"),
            ("snapshot/iam/policies.json", "[]"), ("snapshot/iam/instance-profiles.json", "[]"),
            ("snapshot/iam/identity-providers.json", #"{"oidc":[],"saml":[]}"#),
        ]
        for kind in ["instances", "vpc-endpoints", "security-groups", "key-pairs"] {
            files.append(("snapshot/ec2/us-east-1/\(kind).json", "[]"))
        }
        files.append(("snapshot/guardduty/us-east-1/detectors.json", "[]"))
        files.append(("snapshot/cloudtrail/trails.json", "[]"))
        var members = files.map { SealMember(path: $0.0, source: .bytes(Array(($0.1 + "\n").utf8))) }
        if !events.isEmpty {
            let lines = events.map {
                #"{"CloudTrailEvent":\#(String(decoding: try! JSONEncoder().encode($0), as: UTF8.self)),"Resources":[]}"#
            }
            members.append(
                SealMember(
                    path: "cloudtrail/us-east-1/events.jsonl.gz",
                    source: .bytes(try Gzip.compress(Array((lines.joined(separator: "\n") + "\n").utf8)))))
        }
        return members
    }

    static func user(_ name: String, keys: [String]) -> String {
        let list = keys.map { #"{"accessKeyId":"\#($0)","createDate":"2026-01-01T00:00:00Z","status":"Active"}"# }
            .joined(separator: ",")
        return
            #"{"accessKeys":[\#(list)],"arn":"arn:aws:iam::111122223333:user/\#(name)","attachedPolicies":[],"createDate":"2026-01-01T00:00:00Z","groups":[],"inlinePolicies":[],"mfaDevices":[],"path":"/","serviceSpecificCredentials":[],"signingCertificates":[],"sshPublicKeys":[],"tags":[],"userId":"AIDA\#(name.uppercased())","userName":"\#(name)"}"#
    }

    func seal(_ members: [SealMember], account: String = "111122223333", hour: Double) throws -> String {
        try sealer.seal(
            SealRequest(
                account: account, kind: .evidence, members: members, collector: Manifest.Collector(version: "test"),
                startedAt: Date(timeIntervalSince1970: 1_790_000_000 + hour * 3600),
                finishedAt: Date(timeIntervalSince1970: 1_790_000_000 + hour * 3600))
        ).archivePath
    }

    static let createKey =
        #"{"eventVersion":"1.09","eventTime":"2026-09-21T15:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.66","userAgent":"aws-cli/2.13.5","eventID":"11111111-2222-3333-4444-555555555555","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/test","accountId":"111122223333","accessKeyId":"AKIALEAKED0000000001","userName":"test"},"requestParameters":{"userName":"alice"},"responseElements":{"accessKey":{"accessKeyId":"AKIABACKDOOR00000001","userName":"alice","status":"Active"}}}"#

    @Test func exitsOneWithTheFindingAndItsEventAndZeroWithoutChanges() throws {
        let before = try seal(
            try members(account: "111122223333", users: "[\(Self.user("alice", keys: ["AKIAALICE0000000001"]))]"),
            hour: 0)
        let after = try seal(
            try members(
                account: "111122223333",
                users: "[\(Self.user("alice", keys: ["AKIAALICE0000000001", "AKIABACKDOOR00000001"]))]",
                events: [Self.createKey]), hour: 1)
        let run = try CustodyBinary.run(["diff", before, after])
        #expect(run.status == 1, "\(run.error)")
        #expect(run.text.contains("iam.access-key.created") && run.text.contains("AKIABACKDOOR00000001"))
        #expect(run.text.contains("203.0.113.66") && run.text.contains("AKIALEAKED0000000001"))
        #expect(
            run.text.contains(
                "aws iam update-access-key --user-name alice --access-key-id AKIABACKDOOR00000001 --status Inactive"))

        let json = try CustodyBinary.run(["diff", "--json", before, after])
        let report = try #require(try JSONSerialization.jsonObject(with: json.output) as? [String: Any])
        #expect(report["format"] as? String == "custody-diff")

        // Two archives in a row with nothing changed and no event between them: no finding, exit 0.
        // (Between `before` and a later unchanged archive the chain would still hold the CreateAccessKey event.)
        let quiet = try seal(
            try members(account: "111122223333", users: "[\(Self.user("alice", keys: ["AKIAALICE0000000001"]))]"),
            hour: 2)
        let same = try seal(
            try members(account: "111122223333", users: "[\(Self.user("alice", keys: ["AKIAALICE0000000001"]))]"),
            hour: 3)
        #expect(try CustodyBinary.run(["diff", quiet, same]).status == 0)
    }

    @Test func countsIncompleteEventsAndRunsOnEventsAtTheEndsOfTime() throws {
        let users = "[\(Self.user("alice", keys: ["AKIAALICE0000000001"]))]"
        let before = try seal(try members(account: "111122223333", users: users), hour: 0)
        func variant(_ id: String, _ replacements: [(String, String)]) -> String {
            replacements.reduce(Self.createKey.replacingOccurrences(of: "555555555555", with: id)) {
                $0.replacingOccurrences(of: $1.0, with: $1.1)
            }
        }
        let events = [
            Self.createKey,
            variant("000000000001", [("2026-09-21T15:00:00Z", "0001-01-01T00:00:00Z")]),
            variant("000000000002", [("2026-09-21T15:00:00Z", "9999-12-31T23:59:59Z")]),
            variant("000000000003", [(#""eventTime":"2026-09-21T15:00:00Z","#, "")]),
            variant("000000000004", [(#""eventSource":"iam.amazonaws.com","#, "")]),
        ]
        let after = try seal(try members(account: "111122223333", users: users, events: events), hour: 1)
        let text = try CustodyBinary.run(["diff", before, after])
        // The key the event made is not in the later snapshot: nothing of it remains.
        #expect(text.status == 0, "\(text.error)")
        #expect(
            text.text.contains("note: 2 of the 5 CloudTrail events read are incomplete: 1 without a valid eventTime"))
        let json = try CustodyBinary.run(["diff", "--json", before, after])
        let report = try #require(try JSONSerialization.jsonObject(with: json.output) as? [String: Any])
        let incomplete = try #require(report["incompleteEvents"] as? [String: Int])
        #expect(
            incomplete == [
                "eventsRead": 5, "count": 2, "withoutEventTime": 1, "withoutEventName": 0, "withoutEventSource": 1,
            ])
        #expect((report["cloudTrail"] as? [[String: Any]])?.first?["incompleteRecords"] as? Int == 2)
        let script = """
            import json, sys, jsonschema, referencing
            schemas = {n: json.load(open(sys.argv[1] + "/" + n)) for n in ("findings.schema.json", "diff.schema.json")}
            registry = referencing.Registry().with_resources(
                [(s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values()])
            jsonschema.Draft202012Validator(schemas["diff.schema.json"], registry=registry).validate(
                json.load(open(sys.argv[2])))
            """
        let output = try folder.write("diff.json", json.output)
        let check = try #require(ExternalTool.python3).run([
            "-c", script, LabServer.repositoryRoot + "/Schemas", output,
        ])
        #expect(check.status == 0, "\(check.error)")
    }

    static let runInstances =
        #"{"eventVersion":"1.09","eventTime":"2026-09-21T15:01:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.66","userAgent":"aws-cli/2.13.5","eventID":"11111111-2222-3333-4444-666666666666","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/test","accountId":"111122223333","accessKeyId":"AKIALEAKED0000000001","userName":"test"},"requestParameters":{"iamInstanceProfile":{"name":"backdoor"}},"responseElements":{"instancesSet":{"items":[{"instanceId":"i-0unseen"}]}}}"#

    /// After containment the CloudTrail between the two still holds the attack: the exit code says
    /// whether anything of it is left in the later snapshot.
    @Test func exitCodesComeFromTheEradicationCheck() throws {
        let clean = "[\(Self.user("alice", keys: ["AKIAALICE0000000001"]))]"
        let before = try seal(try members(account: "111122223333", users: clean), hour: 0)
        let backdoor = Self.user("alice", keys: ["AKIAALICE0000000001", "AKIABACKDOOR00000001"])
        let after = try seal(
            try members(account: "111122223333", users: "[\(backdoor)]", events: [Self.createKey]), hour: 1)
        let remains = try CustodyBinary.run(["diff", before, after])
        #expect(remains.status == 1, "\(remains.error)")
        #expect(remains.text.contains("not complete: 1 thing of the incident remains"))
        #expect(
            remains.text.contains(
                "$ aws iam update-access-key --user-name alice --access-key-id AKIABACKDOOR00000001 --status Inactive"))

        let disabled = backdoor.replacingOccurrences(
            of: #""accessKeyId":"AKIABACKDOOR00000001","createDate":"2026-01-01T00:00:00Z","status":"Active""#,
            with: #""accessKeyId":"AKIABACKDOOR00000001","createDate":"2026-01-01T00:00:00Z","status":"Inactive""#)
        let contained = try seal(try members(account: "111122223333", users: "[\(disabled)]"), hour: 2)
        let done = try CustodyBinary.run(["diff", before, contained])
        #expect(done.status == 0, "\(done.text)")
        #expect(done.text.contains("complete: nothing of the incident remains") && done.text.contains("1 contained"))
        #expect(try CustodyBinary.run(["diff", "--exit-on-findings", before, contained]).status == 1)
        let json = try CustodyBinary.run(["diff", "--json", before, contained])
        let report = try #require(try JSONSerialization.jsonObject(with: json.output) as? [String: Any])
        #expect((report["eradication"] as? [String: Any])?["verdict"] as? String == "complete")

        // An instance launched in a region the later snapshot did not collect: nothing is known to remain.
        let unseen = try seal(
            try members(account: "111122223333", users: clean, events: [Self.runInstances]), hour: 3)
        let unknown = try CustodyBinary.run(["diff", contained, unseen])
        #expect(unknown.status == 3, "\(unknown.text)")
        #expect(unknown.text.contains("did not collect eu-west-1"))
    }

    @Test func takesTheEarlierArchiveAsTheBaselineWhicheverComesFirst() throws {
        let before = try seal(try members(account: "111122223333", users: "[]"), hour: 0)
        let after = try seal(
            try members(account: "111122223333", users: "[\(Self.user("mallory", keys: []))]"), hour: 1)
        let run = try CustodyBinary.run(["diff", "--json", after, before])
        #expect(run.status == 1)
        #expect(run.error.contains("earlier archive"))
        let report = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any])
        #expect(report["swapped"] as? Bool == true)
        let findings = report["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { $0["rule"] as? String == "iam.user.created" })
    }

    @Test func refusesArchivesOfDifferentAccounts() throws {
        let one = try seal(try members(account: "111122223333", users: "[]"), hour: 0)
        let other = try seal(try members(account: "444455556666", users: "[]"), account: "444455556666", hour: 0)
        let run = try CustodyBinary.run(["diff", one, other])
        #expect(run.status == 2)
        #expect(
            run.error.contains("111122223333") && run.error.contains("444455556666")
                && run.error.contains("same account"))
    }

    @Test func huntsTheSlicesOfACaseFolder() throws {
        _ = try seal(try members(account: "111122223333", users: "[]", events: [Self.createKey]), hour: 0)
        let run = try CustodyBinary.run(["hunt", caseFolder.root, "--suspect-key", "AKIALEAKED0000000001"])
        #expect(run.status == 1, "\(run.error)")
        #expect(run.text.contains("iam.access-key.created") && run.text.contains("actor-1"))
        #expect(try CustodyBinary.run(["hunt", folder.file("missing")]).status == 2)
    }

    @Test func diffAndHuntLeaveNoEvidenceInTheTemporaryDirectory() throws {
        let users = "[\(Self.user("alice", keys: ["AKIAALICE0000000001"]))]"
        let before = try seal(try members(account: "111122223333", users: users), hour: 0)
        let after = try seal(try members(account: "111122223333", users: users, events: [Self.createKey]), hour: 1)
        let temporary = folder.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let environment = ["SOURCE_DATE_EPOCH": "1790000000", "TMPDIR": temporary]
        #expect(try CustodyBinary.run(["diff", before, after], environment: environment).status == 0)
        #expect(try CustodyBinary.run(["hunt", caseFolder.root], environment: environment).status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary) == [])
    }

    /// The archive comes through a pipe, so the test decides when hunt is mid-extraction: the
    /// evidence folder exists, then SIGTERM arrives.
    @Test func anInterruptedHuntRemovesTheEvidenceItExtracted() throws {
        let users = "[\(Self.user("alice", keys: ["AKIAALICE0000000001"]))]"
        let archive = try seal(try members(account: "111122223333", users: users), hour: 0)
        let pipe = folder.file("pipe.tar")
        #expect(mkfifo(pipe, 0o600) == 0)
        let temporary = folder.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let fingerprint = try #require(try caseFolder.casePublicKey()).fingerprint

        let hunt = Process()
        hunt.executableURL = URL(fileURLWithPath: CustodyBinary.tool.path)
        hunt.arguments = ["hunt", "--trust-fingerprint", fingerprint, pipe]
        hunt.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
        hunt.standardOutput = FileHandle.nullDevice
        hunt.standardError = FileHandle.nullDevice
        try hunt.run()
        // Opening the pipe waits for hunt to open it; half the archive, and hunt waits for the rest.
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: pipe))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        try writer.write(contentsOf: bytes.prefix(bytes.count / 2))
        var extracting: [String] = []
        for _ in 0..<3000 where extracting.isEmpty {
            extracting = try FileManager.default.contentsOfDirectory(atPath: temporary)
            if extracting.isEmpty { usleep(10_000) }
        }
        #expect(extracting.count == 1 && extracting[0].hasPrefix("custody-evidence-"), "\(extracting)")

        hunt.terminate()
        hunt.waitUntilExit()
        try writer.close()
        #expect(
            hunt.terminationReason == .uncaughtSignal && hunt.terminationStatus == SIGTERM,
            "\(hunt.terminationReason) \(hunt.terminationStatus)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary) == [])
    }
}
