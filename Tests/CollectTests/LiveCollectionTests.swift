import AWSClient
import Collect
import CustodyCrypto
import CustodyJSON
import CustodyTestSupport
import Evidence
import EvidenceArchive
import Foundation
import Testing

/// Collection against the local lab: real signed calls, several accounts and regions.
@Suite(.serialized)
final class LiveCollectionTests {
    let lab: LabServer
    let folder: TemporaryFolder
    let key: PrivateKey

    init() throws {
        lab = try LabServer(accounts: 3)
        folder = try TemporaryFolder()
        key = try PrivateKey.generate(.ed25519)
    }

    var trust: TrustStore {
        var store = TrustStore()
        store.trust(key.publicKey, source: "test", reason: "the test's key")
        return store
    }

    func configuration() -> AWSConfiguration {
        var configuration = AWSConfiguration(
            environment: ProcessInfo.processInfo.environment.merging(lab.environment) { $1 })
        configuration.userAgent = "custody/test"
        return configuration
    }

    func collect(
        _ targets: [CollectionTarget], regions: [String] = ["us-east-1", "eu-west-1"],
        cloudTrail: CollectOptions.CloudTrailSource = .lookup
    ) async throws -> [AccountOutcome] {
        let collector = CaseCollector(
            caseFolder: CaseFolder(root: folder.file("case")), signingKey: key,
            options: CollectOptions(regions: .list(regions), cloudTrail: cloudTrail, concurrency: 4),
            toolVersion: "test")
        return await collector.collect(targets) { _ in }
    }

    /// Reads every member of an archive into memory (test archives are small).
    func members(_ archive: String) throws -> [String: [UInt8]] {
        let out = try TemporaryFolder()
        _ = try Extractor(verifier: ArchiveVerifier(trust: trust)).extract(archive, to: out.path + "/x")
        var result: [String: [UInt8]] = [:]
        let root = out.path + "/x/"
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                result[relative] = Array(try Data(contentsOf: URL(fileURLWithPath: root + relative)))
            }
        }
        return result
    }

    @Test func collectsSeveralAccountsByProfileIntoVerifiedChains() async throws {
        let targets = try CollectionTarget.profiles(
            ["lab-111111111111", "lab-222222222222"], configuration: configuration())
        let outcomes = try await collect(targets)
        #expect(outcomes.count == 2)
        for outcome in outcomes {
            #expect(outcome.sealed != nil, "\(outcome.error ?? "")")
            #expect(outcome.coverageGaps.isEmpty, "\(outcome.coverageGaps)")
        }
        #expect(Set(outcomes.compactMap(\.account)) == ["111111111111", "222222222222"])
        let report = try Verifier(trust: trust).verify(paths: [folder.file("case")])
        #expect(report.ok, "\(report.problemCount) problems")

        let archive = try #require(outcomes.first { $0.account == "222222222222" }?.sealed?.archivePath)
        let files = try members(archive)
        let snapshot = try SnapshotLayout.snapshot(from: files)
        #expect(snapshot.account.accountId == "222222222222")
        let admin = try #require(snapshot.users.first { $0.userName == "lab-admin" })
        #expect(admin.accessKeys.count == 1)
        #expect(admin.attachedPolicies.contains { $0.policyName == "AdministratorAccess" })
        #expect(snapshot.roles.contains { $0.roleName == "OrganizationAccountAccessRole" && $0.trustPolicy != .null })
        #expect(files["raw/index.jsonl"] != nil)
        #expect(files.keys.contains { $0.hasPrefix("raw/iam/global/") })
        #expect(files["cloudtrail/us-east-1/events.jsonl.gz"] != nil)
        #expect(files["snapshot/ec2/eu-west-1/instances.json"] != nil)
    }

    @Test func assumesRolesIntoOtherAccounts() async throws {
        let base = try AWS(
            {
                var c = configuration(); c.profile = "lab-111111111111"; return c
            }())
        let targets = CollectionTarget.accounts(
            ["222222222222", "333333333333"], roleName: "OrganizationAccountAccessRole", base: base)
        let outcomes = try await collect(targets, regions: ["us-east-1"])
        #expect(outcomes.map(\.account) == ["222222222222", "333333333333"])
        #expect(outcomes.allSatisfy { $0.sealed != nil })
        let archive = try #require(outcomes[0].sealed)
        #expect(archive.manifest.collector.callerArn?.contains("assumed-role/OrganizationAccountAccessRole") == true)
    }

    @Test func findsWhatTheScenarioMadeAndNeverWritesOrStoresSecrets() async throws {
        let idsPath = folder.file("ids.json")
        let scenario = try lab.runScenario(["--ids-out", idsPath])
        #expect(scenario.status == 0, "\(scenario.error)")
        let ids = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: idsPath))) as? [String: Any])
        let defender = try #require((ids["defender"] as? [String: Any])?["accountId"] as? String)
        let persistence = try #require(ids["persistence"] as? [String: [String: Any]])
        let hiddenRegion = try #require(persistence["instance"]?["region"] as? String)
        let targets = try CollectionTarget.profiles(["lab-\(defender)"], configuration: configuration())
        let outcomes = try await collect(targets, regions: ["us-east-1", hiddenRegion])
        let sealed = try #require(outcomes.first?.sealed)
        let files = try members(sealed.archivePath)
        let snapshot = try SnapshotLayout.snapshot(from: files)

        // 6.1 a second key on alice; 6.2 a new user with a console password; 6.3 a role trusting the attacker;
        // 6.4 an instance with that role in an unused region; 6.5 a VPC endpoint.
        let keyId = try #require(persistence["accessKey"]?["accessKeyId"] as? String)
        #expect(
            snapshot.users.first { $0.userName == "alice" }?.accessKeys.contains { $0.accessKeyId == keyId } == true)
        let userId = try #require(persistence["user"]?["userId"] as? String)
        let backdoorUser = try #require(snapshot.users.first { $0.userId == userId })
        #expect(backdoorUser.loginProfile != nil)
        let roleId = try #require(persistence["role"]?["roleId"] as? String)
        let role = try #require(snapshot.roles.first { $0.roleId == roleId })
        let attacker = try #require((ids["attacker"] as? [String: Any])?["accountId"] as? String)
        #expect(role.trustPolicy.description.contains(attacker))
        let instanceId = try #require(persistence["instance"]?["instanceId"] as? String)
        let instance = try #require(snapshot.instances.first { $0.instanceId == instanceId })
        #expect(instance.region == hiddenRegion)
        #expect(instance.instanceProfileArn != nil)
        let endpointId = try #require(persistence["vpcEndpoint"]?["vpcEndpointId"] as? String)
        #expect(snapshot.vpcEndpoints.contains { $0.vpcEndpointId == endpointId && $0.region == hiddenRegion })
        #expect(!snapshot.trails.isEmpty)

        // No secret key or session token the lab made appears in the archive's bytes.
        let archiveBytes = try Data(contentsOf: URL(fileURLWithPath: sealed.archivePath))
        let credentials = try String(contentsOfFile: lab.state.file("aws/credentials"), encoding: .utf8)
        for line in credentials.split(separator: "\n")
        where line.contains("aws_secret_access_key") || line.contains("aws_session_token") {
            let secret = line.split(separator: "=", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces)
            #expect(archiveBytes.range(of: Data(secret.utf8)) == nil)
        }

        // The collector made no write call: every record of its calls (its key, its user agent) is a read.
        let collectorKey = try #require(sealed.manifest.collector.accessKeyId)
        let mine = try lab.records().filter {
            (($0["userIdentity"] as? [String: Any])?["accessKeyId"] as? String) == collectorKey
                && ($0["userAgent"] as? String) == "custody/test"
        }
        #expect(!mine.isEmpty)
        let reads = try Regex("^(List|Get|Describe)[A-Z]|^(LookupEvents|GenerateCredentialReport|AssumeRole)$")
        for record in mine {
            let name = record["eventName"] as? String ?? ""
            #expect(name.contains(reads), "the collector called \(name)")
        }
    }

    @Test func deniedCallsBecomeCoverageAndTheRestIsSealed() async throws {
        // A user who may read IAM and STS but nothing of EC2.
        let setup = """
            import boto3, json, sys, configparser
            lab = json.load(open(sys.argv[1] + "/lab.json"))
            admin = lab["accounts"][1]["administrator"]
            session = boto3.session.Session(aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"], region_name="us-east-1")
            iam = session.client("iam", endpoint_url=lab["endpoint"])
            iam.create_user(UserName="auditor")
            iam.put_user_policy(UserName="auditor", PolicyName="read-iam", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:GenerateCredentialReport", "sts:GetCallerIdentity", "cloudtrail:*", "organizations:Describe*"], "Resource": "*"}]}))
            key = iam.create_access_key(UserName="auditor")["AccessKey"]
            creds = configparser.ConfigParser(); creds.read(sys.argv[1] + "/aws/credentials")
            creds["auditor"] = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
            creds.write(open(sys.argv[1] + "/aws/credentials", "w"))
            config = configparser.ConfigParser(); config.read(sys.argv[1] + "/aws/config")
            config["profile auditor"] = {"region": "us-east-1", "endpoint_url": lab["endpoint"]}
            config.write(open(sys.argv[1] + "/aws/config", "w"))
            """
        let made = try ExternalTool.python3!.run(["-c", setup, lab.state.path])
        #expect(made.status == 0, "\(made.error)")
        let outcomes = try await collect(
            try CollectionTarget.profiles(["auditor"], configuration: configuration()), regions: ["us-east-1"])
        let outcome = try #require(outcomes.first)
        #expect(outcome.sealed != nil)
        #expect(!outcome.isComplete)
        let denied = outcome.coverageGaps.filter { $0.status == .denied }.map(\.item)
        #expect(denied.contains("DescribeInstances"))
        #expect(denied.contains("DescribeRegions"))
        #expect(!outcome.coverageGaps.contains { $0.source == "iam" })
        let verification = ArchiveVerifier(trust: trust).verify(outcome.sealed!.archivePath)
        #expect(verification.ok)
        #expect(verification.coverageGaps.contains { $0.item == "DescribeInstances" && $0.status == .denied })
    }

    @Test func paginatesManyUsers() async throws {
        let setup = """
            import boto3, json, sys
            lab = json.load(open(sys.argv[1] + "/lab.json"))
            admin = lab["accounts"][2]["administrator"]
            iam = boto3.client("iam", endpoint_url=lab["endpoint"], region_name="us-east-1", aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"])
            for i in range(250):
                iam.create_user(UserName=f"bulk-{i:03d}")
            """
        let made = try ExternalTool.python3!.run(["-c", setup, lab.state.path])
        #expect(made.status == 0, "\(made.error)")
        let outcomes = try await collect(
            try CollectionTarget.profiles(["lab-333333333333"], configuration: configuration()), regions: ["us-east-1"],
            cloudTrail: .none)
        let archive = try #require(outcomes.first?.sealed?.archivePath)
        let snapshot = try SnapshotLayout.snapshot(from: try members(archive))
        #expect(snapshot.users.filter { $0.userName.hasPrefix("bulk-") }.count == 250)
    }

    @Test func theNextCollectionStartsEachRegionWhereItsLastWindowWasSettled() async throws {
        let targets = try CollectionTarget.profiles(["lab-222222222222"], configuration: configuration())
        let first = try #require(try await collect(targets, regions: ["us-east-1"]).first?.sealed)
        try await Task.sleep(for: .seconds(1.1))
        let second = try #require(try await collect(targets, regions: ["us-east-1"]).first?.sealed)
        let before = try #require(first.manifest.cloudTrailWindows?.first)
        let after = try #require(second.manifest.cloudTrailWindows?.first)
        #expect(before.status == .complete && after.status == .complete)
        #expect(after.requested.from == before.settledUntil)
        // Settled 15 minutes before the collection started: that margin is read again.
        let settled = try #require(before.settledUntil.flatMap(Timestamp.parse))
        let started = try #require(Timestamp.parse(first.manifest.startedAt))
        #expect(abs(started.timeIntervalSince(settled) - CollectOptions.defaultSettle) <= 1)
        #expect(second.sequence == 2)
        let chain = try ChainVerifier(archiveVerifier: ArchiveVerifier(trust: trust)).verify(
            folder: folder.file("case/222222222222"))
        #expect(chain.ok)
    }
}
