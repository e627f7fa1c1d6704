import CustodyJSON
import CustodyTestSupport
import Diff
import Foundation
import Testing

@testable import Report

/// A suspect's clean-up carries its label in the report, and a collector's key used by something
/// else than custody is shown and warned about, while the collection's own calls stay the collector's.
@Suite struct SeverityAndAttributionReportTests {
    static let thief = "192.0.2.99"

    /// The scenario, then the leaked key deleting the endpoint it made and the collector's key
    /// used from another address with another user agent, outside any collection.
    static func report() async throws -> IncidentReport {
        // Event ids of their own, after the scenario's.
        var m = Scenario.Maker(time: Scenario.start + 2 * 3600, count: 1000)
        m.ip = Scenario.attackerIP
        let extra = [
            m.record(
                "DeleteVpcEndpoints", "ec2", Scenario.identity("test", key: Scenario.leaked), region: "sa-east-1",
                request: ["DeleteVpcEndpointsRequest": ["VpcEndpointId": ["tag": 1, "content": "vpce-0hidden"]]]),
            {
                m.ip = thief
                m.agent = "python-requests/2.31.0"
                return m.record("ListBuckets", "s3", Scenario.identity("lab-admin", key: Scenario.collectorKey))
            }(),
        ]
        return try await BuilderTests.scenarioReport(try Scenario(extra: extra))
    }

    @Test func aSuspectsCleanUpIsLabelledInEveryFormat() async throws {
        let report = try await Self.report()
        let cleanUp = try #require(report.findings.first { $0.rule == .containmentAction })
        #expect(cleanUp.severity == .low && cleanUp.effect == .cleanUp && cleanUp.actor != nil)
        #expect(!report.findings.contains { $0.effect != nil && $0.severity == .high })
        let files = try report.render([.markdown, .html, .json])
        func text(_ name: String) throws -> String {
            String(decoding: try #require(files.first { $0.name == name }).bytes, as: UTF8.self)
        }
        #expect(try text("report.md").contains("**low** **clean-up**"))
        #expect(try text("report.md").contains("**Effect:** **clean-up**"))
        #expect(try text("report.html").contains(#"<span class="flag effect">clean-up</span>"#))
        #expect(try text("findings.json").contains(#""effect":"clean-up""#))
        let row = try #require(report.timeline.first { $0.eventName == "DeleteVpcEndpoints" })
        #expect(row.phase == .other && row.findings == ["response.containment-action"])
    }

    @Test func theCollectorsKeyUsedByAnythingElseIsShownAndWarnedAbout() async throws {
        let report = try await Self.report()
        let warning = try #require(report.notes.first { $0.contains("was used by something other than custody") })
        #expect(warning.contains(Scenario.collectorKey) && warning.contains(": 1 call from \(Self.thief)"))
        // The collection's own three calls are still the collector's; the other call is anyone's.
        #expect(report.collectorEventCount == 3)
        let usage = try #require(report.keyUsage.first { $0.accessKeyId == Scenario.collectorKey })
        #expect(usage.isCollector && usage.eventCount == 1 && usage.sourceIPAddresses == [Self.thief])
        let files = try report.render([.markdown, .html])
        for file in files {
            #expect(String(decoding: file.bytes, as: UTF8.self).contains("was used by something other than custody"))
        }
    }
}
