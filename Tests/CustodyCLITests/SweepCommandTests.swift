import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// `custody sweep --engine athena` against the lab's organization trail: a suspect key's activity in
/// two accounts (its own, and another through a role it assumed) is found, followed to the key it
/// created and the session it opened, and sealed per account so that verify and hunt read it.
@Suite(.serialized)
final class SweepCommandTests {
    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        lab = try LabServer(
            accounts: 3,
            extraArguments: ["--organization-trail", "--delivery-interval", "3600", "--digest-interval", "3600"])
        folder = try TemporaryFolder()
    }

    /// The suspect's activity: a user key of `member` that creates a second key and assumes a role of
    /// `other`, each key then calling; the three key ids, once delivered.
    func plant(member: String, other: String, results: String) throws -> [String] {
        let script = """
            import boto3, json, sys, time, urllib.request
            endpoint, member, other, results = sys.argv[1:5]
            def client(service, profile=None, **keys):
                session = boto3.Session(**keys) if keys else boto3.Session(profile_name="lab-" + profile)
                return session.client(service, endpoint_url=endpoint, region_name="us-east-1")
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                     "Principal": {"AWS": f"arn:aws:iam::{member}:root"}}]}
            role = client("iam", other).create_role(RoleName="Pivot", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
            client("iam", other).attach_role_policy(RoleName="Pivot", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
            iam = client("iam", member)
            iam.create_user(UserName="intruder")
            iam.attach_user_policy(UserName="intruder", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
            first = iam.create_access_key(UserName="intruder")["AccessKey"]
            k1 = dict(aws_access_key_id=first["AccessKeyId"], aws_secret_access_key=first["SecretAccessKey"])
            client("sts", **k1).get_caller_identity()
            second = client("iam", **k1).create_access_key(UserName="intruder")["AccessKey"]
            k2 = dict(aws_access_key_id=second["AccessKeyId"], aws_secret_access_key=second["SecretAccessKey"])
            client("iam", **k2).list_users()
            session = client("sts", **k1).assume_role(RoleArn=role["Arn"], RoleSessionName="pivot")["Credentials"]
            s = dict(aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"],
                     aws_session_token=session["SessionToken"])
            client("sts", **s).get_caller_identity()
            client("iam", **s).list_roles()
            client("s3", other).create_bucket(Bucket=results)
            urllib.request.urlopen(urllib.request.Request(endpoint + "/lab-api/flush", method="POST")).read()
            print(json.dumps([first["AccessKeyId"], second["AccessKeyId"], session["AccessKeyId"]]))
            """
        let result = try #require(ExternalTool.python3).run(
            ["-c", script, lab.endpoint, member, other, results], environment: lab.environment)
        #expect(result.status == 0, "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: result.output) as? [String])
    }

    /// The event ids in the log files of every archive of `account` in the case.
    func sealedEventIds(_ caseFolder: String, account: String) throws -> Set<String> {
        var ids = Set<String>()
        let archives = try FileManager.default.contentsOfDirectory(atPath: "\(caseFolder)/\(account)")
            .filter { $0.hasSuffix(".tar") }
        for archive in archives {
            let out = folder.file("extract-\(account)-\(archive)")
            let extract = try CustodyBinary.run(["extract", "\(caseFolder)/\(account)/\(archive)", "--to", out])
            #expect(extract.status == 0, "\(extract.error)")
            let files = FileManager.default.enumerator(atPath: out)?.compactMap { $0 as? String } ?? []
            for file in files where file.contains("/CloudTrail/") && file.hasSuffix(".json.gz") {
                let bytes = try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)"))))
                let log = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
                for record in log?["Records"] as? [[String: Any]] ?? [] {
                    if let id = record["eventID"] as? String { ids.insert(id) }
                }
            }
        }
        return ids
    }

    @Test func sealsEveryEventOfTheSuspectKeyAndWhatItLedToPerAccount() throws {
        let json = try lab.labJSON()
        let trail = try #require((json["options"] as? [String: Any])?["organizationTrail"] as? [String: Any])
        let bucket = try #require(trail["bucket"] as? String)
        let logging = try #require(trail["loggingAccount"] as? String)
        let organization = try #require((json["organization"] as? [String: Any])?["id"] as? String)
        let management = try #require((json["organization"] as? [String: Any])?["managementAccountId"] as? String)
        let member = try #require(
            ((json["accounts"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.first {
                $0 != management && $0 != logging
            })
        let keys = try plant(member: member, other: logging, results: "sweep-results")

        let caseFolder = folder.file("case")
        let run = try CustodyBinary.tool.run(
            [
                "sweep", "--case", caseFolder, "--profile", "lab-\(logging)", "--account", "\(member),\(logging)",
                "--suspect-key", keys[0], "--since", "2h", "--engine", "athena", "--athena-table", "org_trail",
                "--athena-output", "s3://sweep-results/custody/", "--athena-create-table", "--trail-bucket",
                "s3://\(bucket)/AWSLogs/\(organization)/", "--regions", "us-east-1,eu-west-1", "--json",
            ], environment: lab.environment)
        #expect(run.status == 0, "\(run.text) \(run.error)")
        #expect(try JSONSchemas.problems(run.output, against: "sweep.schema.json") == nil, "\(run.text)")
        let summary = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any])
        #expect(Set(summary["keysFollowed"] as? [String] ?? []) == Set(keys))
        #expect((summary["bytesScanned"] as? Int ?? 0) > 0)
        #expect((summary["writes"] as? [String] ?? []).allSatisfy { $0.contains("s3://sweep-results/custody/") })
        let archives = summary["archives"] as? [[String: Any]] ?? []
        #expect(Set(archives.compactMap { $0["account"] as? String }) == [member, logging])
        #expect(
            archives.allSatisfy { ($0["logFiles"] as? Int ?? 0) > 0 && ($0["digestFiles"] as? Int ?? 0) > 0 },
            "\(run.text)")

        // Every event any of the three keys made is in the sealed log files of its account.
        let records = try lab.records()
        for account in [member, logging] {
            let expected = Set(
                records.filter { record in
                    record["recipientAccountId"] as? String == account
                        && keys.contains((record["userIdentity"] as? [String: Any])?["accessKeyId"] as? String ?? "")
                }.compactMap { $0["eventID"] as? String })
            #expect(!expected.isEmpty, "no event of the keys in \(account)")
            let sealed = try sealedEventIds(caseFolder, account: account)
            #expect(expected.isSubset(of: sealed), "missing in \(account): \(expected.subtracting(sealed))")
        }

        // The manifest says what was swept and names the write; it claims no CloudTrail window, so the
        // next collection of the account starts where the last one left off.
        for archive in archives {
            let shown = try CustodyBinary.run(["show", archive["archive"] as? String ?? "", "--json"]).text
            #expect(shown.contains(#""source":"sweep-athena""#), "\(shown)")
            #expect(shown.contains("the one write: Athena StartQueryExecution"), "\(shown)")
            #expect(!shown.contains("cloudTrailWindows"), "\(shown)")
        }

        // The archives verify, CloudTrail's digests included, and hunt reads the events.
        let verify = try CustodyBinary.run(["verify", caseFolder])
        #expect(verify.status == 0, "\(verify.text) \(verify.error)")
        let hunt = try CustodyBinary.run(["hunt", "--json", caseFolder, "--suspect-key", keys[0]])
        #expect(hunt.status == 1, "\(hunt.error)")
        #expect(hunt.text.contains(keys[1]) && hunt.text.contains(keys[2]), "\(hunt.text)")
    }

    @Test func refusesASweepWithoutATimeBoundOrAccounts() throws {
        let base = [
            "sweep", "--case", folder.file("case"), "--suspect-key", "AKIAIOSFODNN7EXAMPLE", "--athena-table", "t",
            "--athena-output", "s3://results/",
        ]
        let unbounded = try CustodyBinary.run(base + ["--organization"])
        #expect(unbounded.status == 2 && unbounded.error.contains("--since is required"), "\(unbounded.error)")
        let nobody = try CustodyBinary.run(base + ["--since", "90d"])
        #expect(nobody.status == 2 && nobody.error.contains("--organization or --account"), "\(nobody.error)")
        let lake = try CustodyBinary.run(base + ["--organization", "--since", "90d", "--engine", "lake"])
        #expect(lake.status == 2 && lake.error.contains("--event-data-store is required"), "\(lake.error)")
    }
}
