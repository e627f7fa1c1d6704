import CustodyJSON
import CustodyTestSupport
import Diff
import Evidence
import EvidenceArchive
import Foundation
import Testing

@testable import Report

/// The report's Eradication section: each account's check from its oldest and newest snapshots,
/// high in the report, with what remains and its commands; what to do when there is no later snapshot.
@Suite struct EradicationReportTests {
    /// The responder contained the scenario's intruder before a third collection, all but the VPC endpoint.
    static var contained: Snapshot {
        var s = Scenario.after
        s.users[0].accessKeys = [
            Scenario.key("AKIAALICEFIRST000001"), Scenario.key("AKIABACKDOOR00000001", "Inactive"),
        ]
        s.users[1].inlinePolicies = [
            InlinePolicy(
                policyName: "AWSRevokeOlderSessions",
                document: [
                    "Statement": [
                        [
                            "Effect": "Deny", "Action": "*", "Resource": "*",
                            "Condition": [
                                "DateLessThan": [
                                    "aws:TokenIssueTime": .string(
                                        Scenario.iso(
                                            Date(timeIntervalSince1970: TimeInterval(Scenario.start + 4 * 3600))))
                                ]
                            ],
                        ]
                    ]
                ])
        ]
        s.users.removeAll { $0.userName == "svc-backup" }
        s.roles = []
        s.instances.removeAll { $0.instanceId == "i-0backdoor" }
        // Logging started again (StopLogging).
        s.trails = [
            Trail(
                name: "management-events",
                trailArn: "arn:aws:cloudtrail:us-east-1:\(Scenario.account):trail/management-events",
                homeRegion: "us-east-1", isMultiRegionTrail: true, isLogging: true)
        ]
        return s
    }

    func markdown(_ report: IncidentReport) throws -> String {
        String(decoding: try #require(try report.render([.markdown]).first).bytes, as: UTF8.self)
    }

    @Test func aCollectionAfterContainmentLeavesTheEndpointAndTheSectionSaysSoHighUp() async throws {
        var scenario = try Scenario()
        scenario.archives.append(try scenario.seal(Self.contained, events: [], hour: 5))
        let report = try await BuilderTests.scenarioReport(scenario)
        let check = try #require(report.eradication.first)
        #expect(report.eradication.count == 1 && check.account == Scenario.account)
        #expect(check.archive?.hasPrefix("\(Scenario.account)/000003-") == true, "\(check.archive ?? "")")
        let remaining = check.results.filter { $0.status == .remains }
        #expect(remaining.map(\.entity.id) == ["vpce-0hidden"], "\(remaining.map(\.reason))")
        #expect(check.verdict == .remains)
        // Results name the report's own findings.
        let endpoint = try #require(remaining.first?.finding)
        #expect(report.findings[endpoint].rule == .vpcEndpointCreated)

        let text = try markdown(report)
        let section = try #require(text.range(of: "\n## Eradication\n"))
        let indicators = try #require(text.range(of: "\n## Indicators\n"))
        let verdict = try #require(text.range(of: "\n## Verdict\n"))
        #expect(indicators.upperBound < section.lowerBound && section.upperBound < verdict.lowerBound)
        #expect(text.contains("[Eradication](#eradication)"))
        let body = String(text[section.upperBound..<verdict.lowerBound])
        #expect(body.contains("### Account \(Scenario.account): not complete"))
        #expect(body.contains("aws ec2 delete-vpc-endpoints --region sa-east-1 --vpc-endpoint-ids vpce-0hidden"))
        #expect(body.contains("F\(endpoint + 1)"))
    }

    @Test func rightAfterTheAttackTheRevocationsCarryTheReportsTime() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let check = try #require(report.eradication.first)
        #expect(check.verdict == .remains)
        let commands = check.results.flatMap(\.commands)
        #expect(commands.contains { $0.contains("AWSRevokeOlderSessions") || $0.contains("custody-revoke-sessions") })
        #expect(!commands.contains { $0.contains(Containment.currentTimePlaceholder) })
        #expect(commands.contains { $0.contains(report.generatedAt) })
        #expect(!check.results.contains { $0.reason.contains(Containment.currentTimePlaceholder) })
        // findings.json carries the check.
        let json = try JSONValue.parse(Data(try #require(try report.render([.json]).first).bytes))
        #expect(json["eradication"]?[0]?["verdict"]?.stringValue == "remains")
    }

    @Test func withOneSnapshotItSaysToCollectAfterContainment() async throws {
        let scenario = try Scenario()
        try FileManager.default.removeItem(atPath: scenario.archives[1])
        let report = try await BuilderTests.scenarioReport(scenario)
        #expect(report.eradication.isEmpty)
        let text = try markdown(report)
        #expect(text.contains("No check for account"))
        #expect(text.contains("custody collect --case \(scenario.caseFolder.root)"))
    }

    @Test func evidenceInTheSectionStaysText() throws {
        let report = SyntheticReport.make()
        let html = String(decoding: try #require(try report.render([.html]).first).bytes, as: UTF8.self)
        let start = try #require(html.range(of: "id=\"eradication\""))
        let end = try #require(html.range(of: "id=\"verdict\""))
        let section = html[start.upperBound..<end.lowerBound]
        #expect(!section.contains("<script") && !section.contains("<img"))
        #expect(section.contains("User &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; is still there"))
        #expect(section.contains("\\u001b[31mred") && section.contains("\\u202e"))
        let markdown = try markdown(report)
        #expect(markdown.contains("- [ ] **remains**") && markdown.contains("delete-login-profile"))
    }
}
