import AWSClient
@testable import Collect
import CustodyTestSupport
import Foundation
import Testing

/// A sweep's Athena side against the lab's organization trail: Custody's table statement creates the
/// table, Custody's query finds the suspect key's events in the delivered logs, and the rounds follow
/// the key it created to that key's own events.
@Suite(.serialized)
final class AthenaSweepLabTests {
    let lab: LabServer

    init() throws {
        lab = try LabServer(
            accounts: 3,
            extraArguments: ["--organization-trail", "--delivery-interval", "3600", "--digest-interval", "3600"])
    }

    func configuration(profile: String) -> AWSConfiguration {
        var configuration = AWSConfiguration(
            profile: profile, environment: ProcessInfo.processInfo.environment.merging(lab.environment) { $1 })
        configuration.userAgent = "custody/test"
        return configuration
    }

    /// A user of `member` whose key (the suspect) creates a second key, which then makes calls; both
    /// keys' ids, once everything is delivered.
    func plantActivity(member: String, logging: String, resultsBucket: String) throws -> (
        suspect: String, created: String
    ) {
        let script = """
            import boto3, json, sys, urllib.request
            endpoint, member, logging, results = sys.argv[1:5]
            def client(service, **keys):
                session = boto3.Session(**keys) if keys else boto3.Session(profile_name="lab-" + member)
                return session.client(service, endpoint_url=endpoint, region_name="us-east-1")
            iam = client("iam")
            iam.create_user(UserName="intruder")
            iam.attach_user_policy(UserName="intruder", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
            first = iam.create_access_key(UserName="intruder")["AccessKey"]
            as_first = dict(aws_access_key_id=first["AccessKeyId"], aws_secret_access_key=first["SecretAccessKey"])
            client("sts", **as_first).get_caller_identity()
            second = client("iam", **as_first).create_access_key(UserName="intruder")["AccessKey"]
            as_second = dict(aws_access_key_id=second["AccessKeyId"], aws_secret_access_key=second["SecretAccessKey"])
            client("sts", **as_second).get_caller_identity()
            client("iam", **as_second).list_users()
            boto3.Session(profile_name="lab-" + logging).client(
                "s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=results)
            urllib.request.urlopen(urllib.request.Request(endpoint + "/lab-api/flush", method="POST")).read()
            print(json.dumps([first["AccessKeyId"], second["AccessKeyId"]]))
            """
        let result = try #require(ExternalTool.python3).run(
            ["-c", script, lab.endpoint, member, logging, resultsBucket], environment: lab.environment)
        #expect(result.status == 0, "\(result.error)")
        let keys = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String])
        return (keys[0], keys[1])
    }

    @Test func findsTheSuspectKeysEventsAndThoseOfTheKeyItCreated() async throws {
        let json = try lab.labJSON()
        let options = try #require(json["options"] as? [String: Any])
        let trail = try #require(options["organizationTrail"] as? [String: Any])
        let bucket = try #require(trail["bucket"] as? String)
        let logging = try #require(trail["loggingAccount"] as? String)
        let organization = try #require((json["organization"] as? [String: Any])?["id"] as? String)
        let accounts = (json["accounts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        let member = try #require(accounts.first { $0 != logging && $0 != accounts.first })
        let (suspect, created) = try plantActivity(member: member, logging: logging, resultsBucket: "sweep-results")

        let aws = try AWS(configuration(profile: "lab-\(logging)"))
        var runner = AthenaQueryRunner(aws: aws, workGroup: nil, outputLocation: "s3://sweep-results/custody/")
        runner.timeout = .seconds(120)
        let now = Date()
        let table = try AthenaCloudTrailTable(
            table: "org_trail", location: "s3://\(bucket)/AWSLogs/\(organization)/", accounts: accounts,
            regions: ["us-east-1", "eu-west-1"], since: now.addingTimeInterval(-3 * 86_400))
        let made = try await runner.run(table.ddl)
        #expect(made.described.output.queryExecution?.status?.state == "SUCCEEDED")

        var executions: [AthenaQueryRunner.Execution] = []
        let terms = try SweepTerms(
            keys: [suspect], from: now.addingTimeInterval(-3600), to: now.addingTimeInterval(3600))
        let outcome = try await SweepRound.run(terms) { terms in
            let execution = try await runner.run(try AthenaSweepQuery(table: "org_trail", terms: terms).sql)
            executions.append(execution)
            return execution.rows
        }
        #expect(outcome.terms.keys == [suspect, created].sorted())
        #expect(outcome.unfollowed.isEmpty)
        #expect(outcome.rounds.count == 2)
        let rows = try #require(outcome.rounds.last)
        #expect(rows.contains { $0["access_key_id"] == created && $0["event_name"] == "ListUsers" })
        #expect(
            rows.contains {
                $0["access_key_id"] == suspect && $0["event_name"] == "CreateAccessKey" && $0["created_key"] == created
            })
        let calls = Set(rows.map { "\($0["access_key_id"] ?? "-") \($0["event_name"] ?? "-")" })
        #expect(
            calls == [
                "\(suspect) GetCallerIdentity", "\(suspect) CreateAccessKey", "\(created) GetCallerIdentity",
                "\(created) ListUsers",
            ], "\(rows)")
        // Every row names the log file it came from, in the member's folder of the Organization's layout.
        let prefix = "s3://\(bucket)/AWSLogs/\(organization)/\(member)/CloudTrail/us-east-1/"
        #expect(rows.allSatisfy { $0["log_file"]?.hasPrefix(prefix) == true }, "\(rows.map { $0["log_file"] })")
        // Athena's statistics and result file are kept for each query.
        #expect(executions.allSatisfy { ($0.bytesScanned ?? 0) > 0 && $0.resultFile != nil })
    }
}
