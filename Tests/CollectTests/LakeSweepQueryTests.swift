import AWSClient
@testable import Collect
import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// The SQL a sweep sends to CloudTrail Lake, the event data store references it accepts, and the
/// slice it makes of the rows.
@Suite struct LakeSweepQueryTests {
    let from = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28T20:26:40Z
    var to: Date { from.addingTimeInterval(90 * 86_400) }
    let store = "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"

    func terms(_ keys: [String] = ["AKIAEXAMPLESUSPECT01"], ips: [String] = [], accounts: [String] = []) throws
        -> SweepTerms
    {
        try SweepTerms(keys: keys, sourceIPs: ips, accounts: accounts, from: from, to: to)
    }

    /// Parses `sql` with sqlglot as Trino, Lake's dialect; the error text when it does not parse.
    func trinoProblem(_ sql: String) throws -> String? {
        let script = """
            import sqlglot, sys
            try:
                sqlglot.parse_one(sys.stdin.read(), read="trino", error_level=sqlglot.ErrorLevel.RAISE)
            except Exception as error:
                print(error)
                sys.exit(1)
            """
        let result = try #require(ExternalTool.python3).run(["-c", script], input: Data(sql.utf8))
        return result.status == 0 ? nil : result.text + result.error
    }

    @Test func everySweepQueryIsValidTrino() throws {
        let queries = [
            try LakeSweepQuery(eventDataStore: store, terms: terms()),
            try LakeSweepQuery(
                eventDataStore: "EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE",
                terms: terms(
                    ["AKIAEXAMPLESUSPECT01", "ASIAEXAMPLESESSION01"], ips: ["203.0.113.7", "2001:db8::1"],
                    accounts: ["111122223333", "444455556666"])),
        ]
        for query in queries {
            // Lake reads the store's id after FROM as the table, unquoted as in AWS's examples, though a
            // UUID is no Trino identifier: the rest must be Trino.
            let sql = query.sql.replacingOccurrences(of: "FROM \(query.eventDataStore)\n", with: "FROM store\n")
            #expect(sql != query.sql)
            #expect(try trinoProblem(sql) == nil, "\(sql)")
        }
        #expect(try trinoProblem("SELECT eventjson FROM WHERE") != nil)
    }

    @Test func namesTheStoreByIdAndIsBoundedInTime() throws {
        let sql = try LakeSweepQuery(eventDataStore: store, terms: terms(accounts: ["111122223333"])).sql
        #expect(sql.contains("FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE\n"), "\(sql)")
        #expect(sql.contains("eventtime >= '2026-05-28 20:26:40'"), "\(sql)")
        #expect(sql.contains("eventtime < '2026-08-26 20:26:40'"), "\(sql)")
        #expect(sql.contains("recipientaccountid IN ('111122223333')"))
        #expect(sql.contains("useridentity.accesskeyid IN ('AKIAEXAMPLESUSPECT01')"))
        #expect(sql.contains("element_at(requestparameters, 'accessKeyId') IN ('AKIAEXAMPLESUSPECT01')"))
        #expect(sql.contains("eventjson AS event_json"))
        #expect(!sql.contains("sourceipaddress IN"))
        let withAddress = try LakeSweepQuery(eventDataStore: store, terms: terms(ips: ["203.0.113.7"])).sql
        #expect(withAddress.contains("sourceipaddress IN ('203.0.113.7')"))
        #expect(!withAddress.contains("recipientaccountid IN"))
    }

    @Test func acceptsAnARNOrAnIdAndNothingElse() throws {
        #expect(try LakeSweepQuery.id(of: store) == "EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE")
        #expect(try LakeSweepQuery.id(of: "EXAMPLE-f852") == "EXAMPLE-f852")
        #expect(LakeSweepQuery.region(of: store) == "eu-west-1")
        #expect(LakeSweepQuery.region(of: "EXAMPLE-f852") == nil)
        for bad in [
            "arn:aws:s3:::bucket", "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", "x'; DROP", "a b", "",
            "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/",
        ] {
            #expect(throws: CollectError.self, "\(bad)") { try LakeSweepQuery.id(of: bad) }
        }
    }

    @Test func theSliceHoldsEachEventAsLakeReturnedItByRegion() throws {
        let first =
            #"{"eventVersion":"1.08","eventID":"e-1","eventTime":"2026-05-28T20:30:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","accessKeyId":"AKIAEXAMPLESUSPECT01","userName":"test"}}"#
        let second =
            #"{"eventVersion":"1.08","eventID":"e-2","eventTime":"2026-05-28T20:31:00Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"sa-east-1","recipientAccountId":"111122223333"}"#
        let rows = [
            SweepRow(["event_id": "e-1", "aws_region": "us-east-1", "event_json": first]),
            SweepRow(["event_id": "e-2", "aws_region": "sa-east-1", "event_json": second]),
            SweepRow(["event_id": "e-3", "aws_region": "sa-east-1"]),
            SweepRow(["event_id": "e-4", "aws_region": "../..", "event_json": "not json"]),
        ]
        let slice = try LakeEventSlice(rows: rows)
        #expect(slice.events == 2)
        #expect(slice.regions == ["sa-east-1", "us-east-1"])
        #expect(
            slice.members.map(\.path) == [
                "cloudtrail/lake/sa-east-1/events.jsonl.gz", "cloudtrail/lake/us-east-1/events.jsonl.gz",
            ])
        #expect(slice.problems.count == 2 && slice.problems[0].contains("e-3") && slice.problems[1].contains("e-4"))
        guard case .bytes(let gzip) = slice.members[1].source else {
            Issue.record("the slice is not in memory")
            return
        }
        let line = String(decoding: try Gzip.decompress(gzip), as: UTF8.self)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(event["CloudTrailEvent"] as? String == first)
        #expect(event["EventName"] as? String == "CreateAccessKey" && event["AccessKeyId"] as? String != nil)
        #expect(LakeEventSlice.folder("../..") == "unknown-region")
    }

    @Test func aStoreOfOneAccountDoesNotHoldTheOthers() {
        var store = CloudTrail.GetEventDataStoreResponse(
            eventDataStoreArn: "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE",
            organizationEnabled: false)
        #expect(LakeSweep.notHeld("111122223333", by: store) == nil)
        #expect(LakeSweep.notHeld("444455556666", by: store)?.contains("not an organization's") == true)
        store.organizationEnabled = true
        #expect(LakeSweep.notHeld("444455556666", by: store) == nil)
    }
}
