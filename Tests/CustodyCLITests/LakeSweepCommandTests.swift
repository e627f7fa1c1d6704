import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// `custody sweep --engine lake` against the lab: an organization event data store records the training
/// scenario; the sweep for the leaked key finds its events, follows the key it created and the sessions
/// it opened, and seals them per account as a CloudTrail slice that verify and hunt read.
@Suite(.serialized)
final class LakeSweepCommandTests {
    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        lab = try LabServer(accounts: 3)
        folder = try TemporaryFolder()
    }

    /// The organization event data store of the management account; its ARN.
    func createStore(management: String) throws -> String {
        let script = """
            import boto3, sys
            endpoint, management = sys.argv[1:3]
            client = boto3.Session(profile_name="lab-" + management).client(
                "cloudtrail", endpoint_url=endpoint, region_name="us-east-1")
            print(client.create_event_data_store(
                Name="org-events", OrganizationEnabled=True, MultiRegionEnabled=True)["EventDataStoreArn"])
            """
        let result = try #require(ExternalTool.python3).run(
            ["-c", script, lab.endpoint, management], environment: lab.environment)
        #expect(result.status == 0, "\(result.error)")
        return result.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The records of `archive`'s Lake slices, by event id.
    func sliceRecords(_ archive: String) throws -> [String: [String: Any]] {
        let out = folder.file("extract-\((archive as NSString).lastPathComponent)")
        let extract = try CustodyBinary.run(["extract", archive, "--to", out])
        #expect(extract.status == 0, "\(extract.error)")
        var records: [String: [String: Any]] = [:]
        let files = FileManager.default.enumerator(atPath: out)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasPrefix("cloudtrail/lake/") && file.hasSuffix("/events.jsonl.gz") {
            let bytes = try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)"))))
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let text = try #require(event["CloudTrailEvent"] as? String)
                let record = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                #expect(file == "cloudtrail/lake/\(record["awsRegion"] as? String ?? "")/events.jsonl.gz")
                records[record["eventID"] as? String ?? ""] = record
            }
        }
        return records
    }

    @Test func sealsTheLeakedKeysEventsAndWhatItLedToPerAccount() throws {
        let json = try lab.labJSON()
        let management = try #require((json["organization"] as? [String: Any])?["managementAccountId"] as? String)
        let store = try createStore(management: management)
        let ids = folder.file("ids.json")
        let scenario = try lab.runScenario(["--ids-out", ids, "--quiet"])
        #expect(scenario.status == 0, "\(scenario.error)")
        let played = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ids))) as? [String: Any])
        let defender = try #require((played["defender"] as? [String: Any])?["accountId"] as? String)
        let leaked = try #require((played["attacker"] as? [String: Any])?["leakedAccessKeyId"] as? String)
        let persistence = try #require(played["persistence"] as? [String: Any])
        let backdoor = try #require((persistence["accessKey"] as? [String: Any])?["accessKeyId"] as? String)
        let session = try #require((persistence["sessionToken"] as? [String: Any])?["accessKeyId"] as? String)
        let federation = try #require((persistence["federationToken"] as? [String: Any])?["accessKeyId"] as? String)

        let caseFolder = folder.file("case")
        let run = try CustodyBinary.tool.run(
            [
                "sweep", "--case", caseFolder, "--profile", "lab-\(management)", "--organization", "--suspect-key",
                leaked, "--since", "2h", "--engine", "lake", "--event-data-store", store, "--json",
            ], environment: lab.environment)
        #expect(run.status == 0, "\(run.text) \(run.error)")
        #expect(try JSONSchemas.problems(run.output, against: "sweep.schema.json") == nil, "\(run.text)")
        let summary = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any])
        #expect(summary["engine"] as? String == "lake")
        #expect(summary["eventDataStore"] as? String == store)
        let followed = Set(summary["keysFollowed"] as? [String] ?? [])
        #expect([leaked, backdoor, session, federation].allSatisfy(followed.contains), "\(followed)")
        #expect((summary["bytesScanned"] as? Int ?? 0) > 0)
        let queries = summary["queries"] as? [[String: Any]] ?? []
        #expect(queries.count >= 2 && queries.allSatisfy { ($0["eventsScanned"] as? Int ?? 0) > 0 }, "\(queries)")
        #expect((summary["writes"] as? [String] ?? []).allSatisfy { $0.contains("StartQuery") && $0.contains(store) })

        // Every management event any followed key made is in its account's slice, exactly as the lab
        // recorded it.
        let records = try lab.records()
        let expected = Dictionary(
            grouping: records.filter {
                followed.contains((($0["userIdentity"] as? [String: Any])?["accessKeyId"] as? String) ?? "")
                    && $0["managementEvent"] as? Bool != false
            }, by: { $0["recipientAccountId"] as? String ?? "" })
        #expect(expected[defender] != nil)
        let archives = summary["archives"] as? [[String: Any]] ?? []
        #expect(Set(archives.compactMap { $0["account"] as? String }) == Set(expected.keys))
        for archive in archives {
            let account = try #require(archive["account"] as? String)
            let path = try #require(archive["archive"] as? String)
            let sealed = try sliceRecords(path)
            let mine = expected[account] ?? []
            #expect(Set(mine.compactMap { $0["eventID"] as? String }).isSubset(of: Set(sealed.keys)))
            #expect(sealed.values.allSatisfy { $0["recipientAccountId"] as? String == account })
            for record in mine {
                let id = record["eventID"] as? String ?? ""
                #expect(sealed[id].map { NSDictionary(dictionary: $0) } == NSDictionary(dictionary: record), "\(id)")
            }
            #expect(archive["events"] as? Int == sealed.count)

            let shown = try CustodyBinary.run(["show", path, "--json"]).text
            #expect(shown.contains(#""source":"sweep-lake""#), "\(shown)")
            #expect(shown.contains("the one write: CloudTrail Lake StartQuery"), "\(shown)")
            #expect(!shown.contains("cloudTrailWindows"), "\(shown)")
        }

        // The archives verify, and hunt reads the slices: the leaked key's backdoor and sessions.
        let verify = try CustodyBinary.run(["verify", caseFolder])
        #expect(verify.status == 0, "\(verify.text) \(verify.error)")
        let hunt = try CustodyBinary.run(["hunt", "--json", caseFolder, "--suspect-key", leaked])
        #expect(hunt.status == 1, "\(hunt.error)")
        #expect([backdoor, session, federation].allSatisfy(hunt.text.contains), "\(hunt.text)")
    }

    @Test func aStoreThatDoesNotExistIsNamedWithThoseThatDo() throws {
        let json = try lab.labJSON()
        let management = try #require((json["organization"] as? [String: Any])?["managementAccountId"] as? String)
        let store = try createStore(management: management)
        let run = try CustodyBinary.tool.run(
            [
                "sweep", "--case", folder.file("missing"), "--profile", "lab-\(management)", "--organization",
                "--suspect-key", "AKIAIOSFODNN7EXAMPLE", "--since", "2h", "--engine", "lake", "--event-data-store",
                "arn:aws:cloudtrail:us-east-1:\(management):eventdatastore/no-such-store",
            ], environment: lab.environment)
        #expect(run.status != 0)
        #expect(run.error.contains("no event data store") && run.error.contains(store), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("missing/\(management)")))
    }

}

/// What `custody sweep` refuses before calling anything, for the engines' options.
@Suite struct SweepEngineOptionTests {
    @Test(arguments: [
        (["--engine", "lake"], "--event-data-store is required with --engine lake"),
        (["--engine", "lake", "--event-data-store", "arn:aws:s3:::bucket"], "is not an event data store ARN"),
        (["--engine", "lake", "--event-data-store", "store'; --"], "is not an event data store id"),
        (
            ["--engine", "lake", "--event-data-store", "EXAMPLE-f852", "--athena-table", "t"],
            "--athena-table goes with --engine athena"
        ),
        (
            ["--engine", "athena", "--athena-table", "t", "--athena-output", "s3://r/", "--event-data-store", "x"],
            "--event-data-store goes with --engine lake"
        ),
        (["--engine", "splunk"], "give athena or lake"),
    ])
    func refusesOptionsThatDoNotFitTheEngine(arguments: [String], message: String) throws {
        let folder = try TemporaryFolder()
        let run = try CustodyBinary.run(
            [
                "sweep", "--case", folder.file("case"), "--organization", "--suspect-key", "AKIAIOSFODNN7EXAMPLE",
                "--since", "90d",
            ] + arguments)
        #expect(run.status == 2 && run.error.contains(message), "\(run.error)")
    }
}
