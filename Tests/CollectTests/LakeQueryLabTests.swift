import AWSClient
import CustodyTestSupport
import Foundation
import Testing

/// CloudTrail Lake's query calls against the lab: a key's events found in an organization event data
/// store, with the statistics Lake bills by.
@Suite(.serialized)
final class LakeQueryLabTests {
    let lab: LabServer

    init() throws {
        lab = try LabServer(accounts: 2)
    }

    @Test func findsAKeysEventsInAnOrganizationEventDataStore() async throws {
        let json = try lab.labJSON()
        let management = try #require((json["organization"] as? [String: Any])?["managementAccountId"] as? String)
        let member = try #require(
            ((json["accounts"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.first { $0 != management }
        )
        let script = """
            import boto3, json, sys
            endpoint, management, member = sys.argv[1:4]
            def client(service, profile=None, **keys):
                session = boto3.Session(**keys) if keys else boto3.Session(profile_name="lab-" + profile)
                return session.client(service, endpoint_url=endpoint, region_name="us-east-1")
            store = client("cloudtrail", management).create_event_data_store(
                Name="org-events", OrganizationEnabled=True, MultiRegionEnabled=True)
            iam = client("iam", member)
            iam.create_user(UserName="intruder")
            iam.attach_user_policy(UserName="intruder", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
            key = iam.create_access_key(UserName="intruder")["AccessKey"]
            k = dict(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
            client("sts", **k).get_caller_identity()
            client("iam", **k).list_users()
            print(json.dumps([store["EventDataStoreArn"].split("/")[-1], key["AccessKeyId"]]))
            """
        let planted = try #require(ExternalTool.python3).run(
            ["-c", script, lab.endpoint, management, member], environment: lab.environment)
        #expect(planted.status == 0, "\(planted.error)")
        let values = try #require(try JSONSerialization.jsonObject(with: planted.output) as? [String])
        let (store, key) = (values[0], values[1])

        var configuration = AWSConfiguration(
            profile: "lab-\(management)",
            environment: ProcessInfo.processInfo.environment.merging(lab.environment) { $1 })
        configuration.userAgent = "custody/test"
        let cloudTrail = try AWS(configuration).cloudTrail
        let statement =
            "SELECT eventID, eventName, recipientAccountId FROM \(store) WHERE userIdentity.accessKeyId = '\(key)' ORDER BY eventTime"
        let started = try await ReadOnlyPolicy.permittingQueries { try await cloudTrail.startQuery(statement) }
        let id = try #require(started.output.queryId)
        var status = ""
        var described: CloudTrail.DescribeQueryResponse?
        for _ in 0..<50 where !["FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"].contains(status) {
            described = try await cloudTrail.describeQuery(id: id).output
            status = described?.queryStatus ?? ""
            if status != "FINISHED" { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(status == "FINISHED", "\(described?.errorMessage ?? "")")
        #expect((described?.queryStatistics?.eventsMatched ?? 0) == 2)
        let rows = try await cloudTrail.getQueryResults(id: id).allItems { $0.queryResultRows }
        let names = rows.map { row in row.compactMap { $0["eventName"] }.first }
        #expect(Set(names.compactMap { $0 }) == ["GetCallerIdentity", "ListUsers"], "\(rows)")
        #expect(rows.allSatisfy { row in row.contains { $0["recipientAccountId"] == member } })
    }
}
