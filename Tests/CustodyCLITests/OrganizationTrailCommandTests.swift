import CustodyTestSupport
import Foundation
import Testing

/// `custody collect --cloudtrail s3` on an organization trail whose bucket lives in a logging account,
/// against the lab: the account's files under both key layouts are copied, no other account's, and
/// `custody hunt` reads their events.
@Suite(.serialized)
final class OrganizationTrailCommandTests {
    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        // No background delivery: the bucket holds only what the test writes.
        lab = try LabServer(accounts: 3, extraArguments: ["--delivery-interval", "3600", "--digest-interval", "3600"])
        folder = try TemporaryFolder()
    }

    /// The lab's Organization id, management account and the other accounts.
    func organization() throws -> (id: String, management: String, others: [String]) {
        let json = try lab.labJSON()
        let organization = try #require(json["organization"] as? [String: Any])
        let id = try #require(organization["id"] as? String)
        let management = try #require(organization["managementAccountId"] as? String)
        let accounts = (json["accounts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        return (id, management, accounts.filter { $0 != management }.sorted())
    }

    /// Creates the bucket in `logging`, the organization trail in `management` (not logging, so the lab
    /// delivers nothing to it), and writes one log file under each of `keys`, each holding one record
    /// whose event id is the key's last path component.
    func plant(bucket: String, logging: String, management: String, keys: [String]) throws {
        let script = """
            import boto3, gzip, json, sys
            endpoint, bucket, logging, management = sys.argv[1:5]
            keys = sys.argv[5:]
            s3 = boto3.Session(profile_name="lab-" + logging).client("s3", endpoint_url=endpoint, region_name="us-east-1")
            s3.create_bucket(Bucket=bucket)
            for key in keys:
                account = key.split("/")[-1].split("_")[0]
                t = key.split("_")[3]
                record = {"eventVersion": "1.09", "eventTime": f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[9:11]}:{t[11:13]}:00Z",
                          "eventSource": "iam.amazonaws.com", "eventName": "CreateAccessKey",
                          "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.7", "userAgent": "aws-cli/2",
                          "eventID": key.split("/")[-1], "readOnly": False, "eventType": "AwsApiCall",
                          "recipientAccountId": account,
                          "userIdentity": {"type": "IAMUser", "accountId": account,
                                           "arn": "arn:aws:iam::" + account + ":user/intruder",
                                           "accessKeyId": "AKIAPLANTEDORG000001", "userName": "intruder"}}
                body = gzip.compress(json.dumps({"Records": [record]}).encode())
                s3.put_object(Bucket=bucket, Key=key, Body=body)
            cloudtrail = boto3.Session(profile_name="lab-" + management).client(
                "cloudtrail", endpoint_url=endpoint, region_name="us-east-1")
            cloudtrail.create_trail(Name="organization", S3BucketName=bucket, IsMultiRegionTrail=True,
                                    IsOrganizationTrail=True)
            """
        let result = try #require(ExternalTool.python3).run(
            ["-c", script, lab.endpoint, bucket, logging, management] + keys, environment: lab.environment)
        #expect(result.status == 0, "\(result.error)")
    }

    /// A log file key of `account` in `region` whose name-time is `time`, under `root`.
    func logKey(root: String, account: String, time: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy/MM/dd"
        let day = formatter.string(from: time)
        formatter.dateFormat = "yyyyMMdd'T'HHmm'Z'"
        let name = "\(account)_CloudTrail_us-east-1_\(formatter.string(from: time))_Ab12Cd34Ef56Gh78.json.gz"
        return "\(root)CloudTrail/us-east-1/\(day)/\(name)"
    }

    @Test func copiesTheAccountsFilesOfAnOrganizationTrailFromALoggingAccountsBucket() throws {
        let (organizationId, management, others) = try organization()
        let logging = try #require(others.last)
        let member = try #require(others.first)
        let bucket = "organization-trail-logs"
        let time = Date().addingTimeInterval(-600)
        let mine = [
            logKey(root: "AWSLogs/\(organizationId)/\(management)/", account: management, time: time),
            logKey(root: "AWSLogs/\(management)/", account: management, time: time.addingTimeInterval(-300)),
        ]
        let theirs = logKey(root: "AWSLogs/\(organizationId)/\(member)/", account: member, time: time)
        try plant(bucket: bucket, logging: logging, management: management, keys: mine + [theirs])

        let caseFolder = folder.file("case")
        let collect = try CustodyBinary.tool.run(
            [
                "collect", "--case", caseFolder, "--profile", "lab-\(management)", "--regions", "us-east-1",
                "--cloudtrail", "s3", "--since", "2h", "--trail-bucket-profile", "lab-\(logging)", "--json",
            ], environment: lab.environment)
        #expect(collect.status == 0 || collect.status == 3, "\(collect.error)")
        #expect(collect.text.contains(#""complete":true"#), "\(collect.text)")
        let archive = try #require(
            try FileManager.default.contentsOfDirectory(atPath: "\(caseFolder)/\(management)").first {
                $0.hasSuffix(".tar")
            })
        let listing = try CustodyBinary.run(["show", "\(caseFolder)/\(management)/\(archive)"])
        for key in mine {
            #expect(listing.text.contains("cloudtrail/s3/\(bucket)/\(key)"), "\(listing.text)")
        }
        #expect(!listing.text.contains(theirs), "another account's file was copied")

        let verify = try CustodyBinary.run(["verify", caseFolder])
        #expect(verify.status == 0, "\(verify.text)")
        let hunt = try CustodyBinary.run(["hunt", "--json", caseFolder])
        // Exit 1: findings (the planted CreateAccessKey calls), read from both layouts' files.
        #expect(hunt.status == 1, "\(hunt.error)")
        #expect(hunt.text.contains(#""eventCount":2"#), "\(hunt.text)")
        for key in mine {
            #expect(hunt.text.contains(#""member":"cloudtrail/s3/\#(bucket)/\#(key)""#))
        }

        // With a role of the logging account instead, assumed with the collected account's credentials.
        let role = "arn:aws:iam::\(logging):role/OrganizationAccountAccessRole"
        let again = try CustodyBinary.tool.run(
            [
                "collect", "--case", caseFolder, "--profile", "lab-\(management)", "--regions", "us-east-1",
                "--cloudtrail", "s3", "--since", "2h", "--trail-bucket-role", role, "--json",
            ], environment: lab.environment)
        #expect(again.text.contains(#""complete":true"#), "\(again.text) \(again.error)")
        let assumed = try lab.records().filter { record in
            let parameters = record["requestParameters"] as? [String: Any]
            return record["eventName"] as? String == "AssumeRole"
                && parameters?["roleSessionName"] as? String == "custody-trail-bucket"
                && parameters?["roleArn"] as? String == role
                && (record["userIdentity"] as? [String: Any])?["accountId"] as? String == management
        }
        #expect(!assumed.isEmpty, "the bucket was not read as the role")
        #expect(try CustodyBinary.run(["verify", caseFolder]).status == 0)
    }

    @Test func copiesAndValidatesTheDigestsOfTheLabsOrganizationTrail() throws {
        let trailLab = try LabServer(
            accounts: 3,
            extraArguments: ["--organization-trail", "--delivery-interval", "3600", "--digest-interval", "3600"])
        let json = try trailLab.labJSON()
        let trail = try #require((json["options"] as? [String: Any])?["organizationTrail"] as? [String: Any])
        let bucket = try #require(trail["bucket"] as? String)
        let logging = try #require(trail["loggingAccount"] as? String)
        let organization = try #require((json["organization"] as? [String: Any])?["id"] as? String)
        let management = try #require((json["organization"] as? [String: Any])?["managementAccountId"] as? String)
        // Calls, then two deliveries, so each region's digests form a chain.
        let script = """
            import boto3, sys, urllib.request
            for _ in range(2):
                boto3.Session(profile_name=sys.argv[2]).client(
                    "sts", endpoint_url=sys.argv[1], region_name="us-east-1").get_caller_identity()
                urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/lab-api/flush", method="POST")).read()
            """
        let calls = try #require(ExternalTool.python3).run(
            ["-c", script, trailLab.endpoint, "lab-\(management)"], environment: trailLab.environment)
        #expect(calls.status == 0, "\(calls.error)")

        let caseFolder = folder.file("org-case")
        let collect = try CustodyBinary.tool.run(
            [
                "collect", "--case", caseFolder, "--profile", "lab-\(management)", "--regions", "us-east-1",
                "--cloudtrail", "s3", "--since", "2h", "--trail-bucket-profile", "lab-\(logging)",
            ], environment: trailLab.environment)
        #expect(collect.status == 0, "\(collect.text) \(collect.error)")
        let archive = try #require(
            try FileManager.default.contentsOfDirectory(atPath: "\(caseFolder)/\(management)").first {
                $0.hasSuffix(".tar")
            })
        let listing = try CustodyBinary.run(["show", "\(caseFolder)/\(management)/\(archive)"]).text
        let root = "cloudtrail/s3/\(bucket)/AWSLogs/\(organization)/\(management)/"
        #expect(listing.contains(root + "CloudTrail/us-east-1/"), "\(listing)")
        #expect(listing.contains(root + "CloudTrail-Digest/us-east-1/"), "\(listing)")
        #expect(!listing.contains("/AWSLogs/\(organization)/\(logging)/"), "another account's files were copied")
        // CloudTrail's own proof holds for the organization layout: signatures, chain, log hashes.
        let verify = try CustodyBinary.run(["verify", caseFolder])
        #expect(verify.status == 0, "\(verify.text) \(verify.error)")
    }

    @Test func refusesABucketRoleThatIsNotARoleArnAndBucketCredentialsWithoutS3() throws {
        let role = try CustodyBinary.run([
            "collect", "--case", folder.file("case"), "--cloudtrail", "s3", "--trail-bucket-role", "logging",
        ])
        #expect(role.status == 2 && role.error.contains("is not a role ARN"), "\(role.error)")
        let lookup = try CustodyBinary.run([
            "collect", "--case", folder.file("case"), "--trail-bucket-profile", "logging",
        ])
        #expect(lookup.status == 2 && lookup.error.contains("go with --cloudtrail s3"), "\(lookup.error)")
    }
}
