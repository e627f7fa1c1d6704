import CustodyJSON
import Foundation
import Testing

@testable import Report

/// The tables, charts and queries speak of the incident: the collector's own calls are counted
/// once in the overview and left out of everything else, while any other use of its key stays.
@Suite struct CollectorCallsReportTests {
    static let stranger = "192.0.2.50"

    /// The scenario with more collection calls, in regions no one else used, and two uses of the
    /// collector's key that are not the collector's: another user agent within the collection's
    /// time, and custody's user agent long after it.
    static func report() async throws -> IncidentReport {
        var m = Scenario.Maker(time: Scenario.start + 800, count: 2000)
        m.ip = "198.51.100.10"
        m.agent = Scenario.custodyAgent
        let collector = Scenario.identity("lab-admin", key: Scenario.collectorKey)
        var extra = [
            m.record("DescribeVpcs", "ec2", collector, region: "ap-southeast-2"),
            m.record("DescribeVpcs", "ec2", collector, region: "eu-west-1"),
        ]
        m.ip = stranger
        m.agent = "aws-cli/2.15.30"
        extra.append(m.record("ListAccessKeys", "iam", collector, region: "ap-northeast-3"))
        m.time = Scenario.start + 2 * 3600
        m.agent = Scenario.custodyAgent
        extra.append(m.record("DescribeSnapshots", "ec2", collector, region: "me-south-1"))
        return try await BuilderTests.scenarioReport(try Scenario(extra: extra))
    }

    @Test func theRegionTableAndChartsShowNoCollectionCallButEveryOtherUseOfItsKey() async throws {
        let report = try await Self.report()
        #expect(report.collectorEventCount == 5)
        let regions = Dictionary(uniqueKeysWithValues: report.regions.map { ($0.region, $0) })
        #expect(regions["ap-southeast-2"] == nil)
        #expect(regions["eu-west-1"]?.eventCount == 1, "alice's call only")
        #expect(regions["sa-east-1"]?.eventCount == 2, "the suspect's calls only")
        #expect(regions["ap-northeast-3"]?.eventCount == 1 && regions["me-south-1"]?.eventCount == 1)
        #expect(report.regions.reduce(0) { $0 + $1.eventCount } == report.eventCount - report.collectorEventCount)
        #expect(!SVGCharts.regions(report.regions).text.contains { $0.contains("ap-southeast-2") })

        #expect(!report.activity.series.contains { $0.label == "collector" })
        let charted = report.activity.series.reduce(0) { $0 + $1.counts.reduce(0, +) }
        #expect(charted == report.eventCount - report.collectorEventCount)
        #expect(!SVGCharts.activity(report.activity).svg.contains("collector"))

        let key = try #require(report.keyUsage.first { $0.accessKeyId == Scenario.collectorKey })
        #expect(key.isCollector && key.eventCount == 2 && key.sourceIPAddresses == [Self.stranger])
        #expect(key.regions == ["ap-northeast-3", "me-south-1"])
        #expect(key.userAgents.sorted() == ["aws-cli/2.15.30", Scenario.custodyAgent])
    }

    @Test func theQueryTablesShowNoCollectionCallButEveryOtherUseOfItsKey() async throws {
        let report = try await Self.report()
        let cells = report.queries.flatMap(\.rows).joined()
        #expect(!cells.contains("DescribeVpcs") && !cells.contains("ap-southeast-2"))
        let byRegion = try #require(report.queries.first { $0.id == "events-by-region" })
        #expect(byRegion.rows.first { $0[0] == "eu-west-1" }?[1] == "1")
        #expect(
            byRegion.rows.contains { $0[0] == "ap-northeast-3" } && byRegion.rows.contains { $0[0] == "me-south-1" })
        let identities = try #require(report.queries.first { $0.id == "events-by-identity" })
        #expect(identities.rows.filter { $0[0].hasSuffix(":user/lab-admin") }.map { $0[2] } == ["2"])
        let names = try #require(report.queries.first { $0.id == "events-by-name" })
        #expect(
            names.rows.contains { $0[1] == "ListAccessKeys" } && names.rows.contains { $0[1] == "DescribeSnapshots" })
        #expect(names.rows.reduce(0) { $0 + (Int($1[2]) ?? 0) } == report.eventCount - report.collectorEventCount)
    }

    @Test func everyQueryLeavesOutTheCollectionsCallsInItsSQL() async throws {
        let report = try await Self.report()
        // The scenario's two collections: the baseline's quarter of an hour, and the instant of the second.
        let windows = [(Scenario.start, Scenario.start + 900), (Scenario.start + 3 * 3600, Scenario.start + 3 * 3600)]
        let identity =
            "(useridentity.accesskeyid = '\(Scenario.collectorKey)' OR useridentity.arn = 'arn:aws:iam::\(Scenario.account):user/lab-admin')"
        #expect(report.queries.count == 7)
        for query in report.queries {
            #expect(query.sql.contains("FROM cloudtrail_logs\n"), "\(query.id)")
            #expect(query.sql.contains("NOT coalesce(\n"), "\(query.id)")
            #expect(query.sql.contains(#"regexp_like(useragent, '^\[?custody(/|\]|$)')"#), "\(query.id)")
            let times = windows.map { from, to in
                let bounds = [from - 300, to + 300].map { UTCTimestamp(seconds: Int64($0)).iso8601 }
                return "eventtime BETWEEN '\(bounds[0])' AND '\(bounds[1])'"
            }
            #expect(
                query.sql.contains("(\(identity)\n") && query.sql.contains("AND (\(times.joined(separator: " OR ")))"),
                "\(query.id)")
        }
    }

    @Test func theLeftOutCallsAreCountedOnceBesideTheTables() async throws {
        let report = try await Self.report()
        let files = try report.render([.markdown, .html])
        for file in files {
            let text = String(decoding: file.bytes, as: UTF8.self).replacingOccurrences(of: "&#39;", with: "'")
            #expect(text.components(separatedBy: "5 calls of the collector").count == 2, "\(file.name)")
            #expect(text.contains("\(report.eventCount) (of which 5 the collector's own calls)"), "\(file.name)")
            #expect(!text.contains("DescribeVpcs") && !text.contains("ap-southeast-2"), "\(file.name)")
        }
    }

    @Test func aReportSpeaksOfTheIncidentAndNotOfATrainingCourse() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let files = try report.render([.markdown, .html, .json])
        for file in files {
            let text = String(decoding: file.bytes, as: UTF8.self).lowercased()
            #expect(!text.contains("course") && !text.contains("hands-on"), "\(file.name)")
        }
        let html = String(decoding: try #require(files.first { $0.name == "report.html" }).bytes, as: UTF8.self)
            .replacingOccurrences(of: "&#39;", with: "'")
        #expect(html.contains(##"<a href="#cloudtrail-queries">CloudTrail queries (Athena)</a>"##))
        #expect(html.contains("on the table cloudtrail_logs, created for the trail's logs as AWS documents it"))
        let titles = report.queries.map(\.title)
        #expect(
            titles.contains("Calls refused for lack of permission") && titles.contains("Every use of the suspect keys"))
    }
}
