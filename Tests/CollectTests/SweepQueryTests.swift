@testable import Collect
import CustodyTestSupport
import Foundation
import Testing

/// The SQL a sweep builds, the terms it accepts, and how it follows keys from round to round.
@Suite struct SweepQueryTests {
    let from = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28T20:26:40Z
    var to: Date { from.addingTimeInterval(90 * 86_400) }

    func terms(_ keys: [String] = ["AKIAEXAMPLESUSPECT01"], ips: [String] = [], accounts: [String] = []) throws
        -> SweepTerms
    {
        try SweepTerms(keys: keys, sourceIPs: ips, accounts: accounts, from: from, to: to)
    }

    /// Parses `sql` with sqlglot in `dialect`; the error text when it does not parse.
    func parse(_ sql: String, dialect: String) throws -> String? {
        let script = """
            import sqlglot, sys
            try:
                sqlglot.parse_one(sys.stdin.read(), read=sys.argv[1], error_level=sqlglot.ErrorLevel.RAISE)
            except Exception as error:
                print(error)
                sys.exit(1)
            """
        let result = try #require(ExternalTool.python3).run(["-c", script, dialect], input: Data(sql.utf8))
        return result.status == 0 ? nil : result.text + result.error
    }

    @Test func everySweepQueryIsValidTrino() throws {
        let queries = [
            try AthenaSweepQuery(table: "cloudtrail_logs", terms: terms()),
            try AthenaSweepQuery(
                table: "security.org_trail",
                terms: terms(
                    ["AKIAEXAMPLESUSPECT01", "ASIAEXAMPLESESSION01"], ips: ["203.0.113.7", "2001:db8::1"],
                    accounts: ["111122223333", "444455556666"])),
        ]
        for query in queries {
            #expect(try parse(query.sql, dialect: "trino") == nil, "\(query.sql)")
        }
        // A query that is not Trino is told apart, so the check above can fail.
        #expect(try parse("SELECT * FROM t WHERE", dialect: "trino") != nil)
    }

    @Test func theTableStatementIsValidHiveAsAthenaRunsDDL() throws {
        let table = try AthenaCloudTrailTable(
            table: "security.org_trail", location: "s3://logs/org/AWSLogs/o-a1b2c3d4e5",
            accounts: ["444455556666", "111122223333"], regions: ["us-east-1", "eu-west-1"], since: from)
        #expect(try parse(table.ddl, dialect: "hive") == nil, "\(table.ddl)")
        #expect(table.ddl.contains("LOCATION 's3://logs/org/AWSLogs/o-a1b2c3d4e5/'"))
        #expect(table.ddl.contains("'projection.account.values'='111122223333,444455556666'"))
        #expect(table.ddl.contains("'projection.timestamp.range'='2026/05/28,NOW'"))
        #expect(
            table.ddl.contains(
                "'storage.location.template'='s3://logs/org/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}'"
            ))
        #expect(throws: CollectError.self) {
            try AthenaCloudTrailTable(
                table: "t", location: "s3://logs/elsewhere/", accounts: ["111122223333"], regions: ["us-east-1"],
                since: from)
        }
    }

    @Test func theQueryIsBoundedInTimeAndReadsOnlyTheWindowsDays() throws {
        let sql = try AthenaSweepQuery(table: "t", terms: terms(accounts: ["111122223333"])).sql
        #expect(sql.contains("\"timestamp\" BETWEEN '2026/05/27' AND '2026/08/27'"), "\(sql)")
        #expect(sql.contains("eventtime >= '2026-05-28T20:26:40Z'"))
        #expect(sql.contains("eventtime < '2026-08-26T20:26:40Z'"))
        #expect(sql.contains("recipientaccountid IN ('111122223333')"))
        #expect(sql.contains("useridentity.accesskeyid IN ('AKIAEXAMPLESUSPECT01')"))
        #expect(sql.contains("\"$path\" AS log_file"))
        #expect(!sql.contains("sourceipaddress IN"))
    }

    @Test func anEventOfTheEndsSecondIsInsideTheWindow() throws {
        // CloudTrail writes 12:00:07Z for an event at 12:00:07.4; an end at 12:00:07.9 must keep it.
        let end = Date(timeIntervalSince1970: 1_780_000_007.9)
        let terms = try SweepTerms(keys: ["AKIAEXAMPLESUSPECT01"], from: end.addingTimeInterval(-60.5), to: end)
        let sql = try AthenaSweepQuery(table: "t", terms: terms).sql
        #expect(sql.contains("eventtime < '2026-05-28T20:26:48Z'"), "\(sql)")
        #expect(sql.contains("eventtime >= '2026-05-28T20:25:47Z'"), "\(sql)")
    }

    @Test func refusesTermsThatCouldNotBeSQLValuesOrHaveNoWindow() throws {
        #expect(throws: CollectError.self) { try terms(["AKIA' OR '1'='1"]) }
        #expect(throws: CollectError.self) { try terms([]) }
        #expect(throws: CollectError.self) { try terms(ips: ["203.0.113.7'"]) }
        #expect(throws: CollectError.self) { try terms(accounts: ["1111"]) }
        #expect(throws: CollectError.self) {
            try SweepTerms(keys: ["AKIAEXAMPLESUSPECT01"], from: to, to: from)
        }
        #expect(throws: CollectError.self) { try AthenaSweepQuery(table: "t; DROP TABLE x", terms: terms()) }
        #expect(throws: CollectError.self) { try AthenaSweepQuery(table: "a.b.c", terms: terms()) }
    }

    @Test func followsCreatedKeysAndSessionsUntilNoNewKeyAppears() async throws {
        let suspect = "AKIAEXAMPLESUSPECT01"
        let created = "AKIAEXAMPLECREATED01"
        let session = "ASIAEXAMPLESESSION01"
        func row(_ key: String, _ name: String, created: String? = nil, error: String? = nil) -> SweepRow {
            SweepRow(
                ["access_key_id": key, "event_name": name, "created_key": created ?? "", "error_code": error ?? ""])
        }
        var asked: [[String]] = []
        let outcome = try await SweepRound.run(try terms([suspect])) { terms in
            asked.append(terms.keys)
            var rows = [
                row(suspect, "CreateAccessKey", created: created),
                // A failed call and a key another caller made are not followed.
                row(suspect, "AssumeRole", created: "ASIAEXAMPLEFAILED001", error: "AccessDenied"),
                row("AKIAEXAMPLEDEFENDER1", "CreateAccessKey", created: "AKIAEXAMPLEUNRELATED"),
            ]
            if terms.keys.contains(created) { rows.append(row(created, "AssumeRole", created: session)) }
            if terms.keys.contains(session) { rows.append(row(session, "ListBuckets")) }
            return rows
        }
        #expect(asked == [[suspect], [created, suspect], [session, created, suspect].sorted()])
        #expect(outcome.terms.keys == [created, session, suspect].sorted())
        #expect(outcome.rounds.count == 3)
        #expect(outcome.unfollowed.isEmpty)

        // Bounded: a chain longer than the limit stops, naming the keys it did not follow.
        var next = 0
        let bounded = try await SweepRound.run(try terms([suspect]), limit: 2) { terms in
            next += 1
            return [row(terms.keys.last ?? suspect, "CreateAccessKey", created: "AKIAEXAMPLECHAIN000\(next)")]
        }
        #expect(bounded.rounds.count == 2)
        #expect(bounded.unfollowed == ["AKIAEXAMPLECHAIN0002"])
    }
}

/// The log files a sweep's rows name.
@Suite struct SweepLogFileTests {
    @Test func readsTheAccountRegionAndDayOfEitherLayout() throws {
        let organization = try #require(
            SweepLogFile(
                path:
                    "s3://logs/p/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2026/05/28/111122223333_CloudTrail_eu-west-1_20260528T2025Z_Ab12Cd34Ef56Gh78.json.gz"
            ))
        #expect(organization.bucket == "logs")
        #expect(organization.account == "111122223333")
        #expect(organization.region == "eu-west-1")
        #expect(organization.day == "2026/05/28")
        #expect(organization.root == "p/AWSLogs/o-a1b2c3d4e5/111122223333/")
        let account = try #require(
            SweepLogFile(path: "s3://logs/AWSLogs/444455556666/CloudTrail/us-east-1/2026/05/28/f.json.gz"))
        #expect(account.root == "AWSLogs/444455556666/" && account.account == "444455556666")
        #expect(SweepLogFile(path: "s3://logs/elsewhere/f.json.gz") == nil)
        #expect(SweepLogFile(path: "s3://logs/AWSLogs/1111/CloudTrail/us-east-1/2026/05/28/f.json.gz") == nil)
        #expect(SweepLogFile(path: "/AWSLogs/111122223333/CloudTrail/us-east-1/2026/05/28/f.json.gz") == nil)
    }
}
