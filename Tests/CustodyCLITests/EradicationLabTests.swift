import CustodyTestSupport
import Foundation
import Testing

/// The course's hands-on 7 against the local lab: the attack, the defender's containment, a
/// collection, then eradication and another. After containment `custody diff` of the baseline and
/// the new archive names exactly the one thing the containment left and exits 1, and the report's
/// Eradication section names it; after eradication the diff exits 0.
@Suite(.serialized)
final class EradicationLabTests {
    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        // No LookupEvents throttle: three collections at AWS's two calls a second would take most of the time.
        lab = try LabServer(accounts: 3, extraArguments: ["--lookup-rate", "0"])
        folder = try TemporaryFolder()
    }

    func play(_ phase: String) throws -> [String: Any] {
        let ids = folder.file("ids.json")
        let run = try lab.runScenario(["--phase", phase, "--ids-out", ids])
        #expect(run.status == 0, "\(phase): \(run.error)")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ids))) as? [String: Any]
            ?? [:]
    }

    /// Collects the account and returns the new archive. A collection's window ends at the whole
    /// second it starts: the last phase's second passes first, so its events are in this archive.
    func collect(_ account: String, regions: [String]) async throws -> String {
        try await Task.sleep(for: .seconds(1.1))
        let run = try CustodyBinary.tool.run(
            [
                "collect", "--case", folder.file("case"), "--profile", "lab-\(account)", "--regions",
                regions.joined(separator: ","), "--cloudtrail", "lookup",
            ], environment: lab.environment)
        #expect(run.status == 0, "\(run.error)")
        let archives = try FileManager.default.contentsOfDirectory(atPath: folder.file("case/\(account)"))
            .filter { $0.hasSuffix(".tar") }.sorted()
        return folder.file("case/\(account)/\(try #require(archives.last))")
    }

    func eradication(_ before: String, _ after: String) throws -> (status: Int32, check: [String: Any]) {
        let run = try CustodyBinary.run(["diff", "--json", before, after])
        let report = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any], "\(run.error)")
        return (run.status, try #require(report["eradication"] as? [String: Any]))
    }

    @Test func containmentLeavesTheEndpointUntilEradicationRemovesIt() async throws {
        var ids = try play("baseline")
        let defender = try #require((ids["defender"] as? [String: Any])?["accountId"] as? String)
        let home = (ids["defender"] as? [String: Any])?["homeRegion"] as? String ?? "eu-west-1"
        let regions = ["us-east-1", home, "sa-east-1"]
        let baseline = try await collect(defender, regions: regions)
        _ = try play("attack")
        ids = try play("contain")
        let left = try #require((ids["response"] as? [String: Any])?["leftByContain"] as? [String: Any])
        let endpoint = try #require(left["id"] as? String)
        let contained = try await collect(defender, regions: regions)

        let afterContainment = try eradication(baseline, contained)
        #expect(afterContainment.status == 1)
        #expect(afterContainment.check["verdict"] as? String == "remains")
        let results = afterContainment.check["results"] as? [[String: Any]] ?? []
        let remaining = results.filter { $0["status"] as? String == "remains" }
        #expect(
            remaining.compactMap { ($0["entity"] as? [String: Any])?["id"] as? String } == [endpoint],
            "\(remaining.map { $0["reason"] ?? "" })")
        #expect((remaining.first?["commands"] as? [String])?.contains { $0.contains("delete-vpc-endpoints") } == true)
        // The leaked key and the backdoor key are disabled, the tokens revoked: contained, not remaining.
        #expect(results.count { $0["status"] as? String == "contained" } >= 4)

        let report = try CustodyBinary.run([
            "report", "--case", folder.file("case"), "--out", folder.file("report"), "--format", "md",
        ])
        #expect(report.status == 0, "\(report.error)")
        let markdown = try String(contentsOfFile: folder.file("report/report.md"), encoding: .utf8)
        let section = try #require(markdown.range(of: "\n## Eradication\n"))
        let next = try #require(markdown.range(of: "\n## Verdict\n"))
        let body = markdown[section.upperBound..<next.lowerBound]
        #expect(body.contains("\(defender): not complete") && body.contains(endpoint))

        _ = try play("eradicate")
        let eradicated = try await collect(defender, regions: regions)
        let afterEradication = try eradication(baseline, eradicated)
        #expect(afterEradication.status == 0)
        #expect(afterEradication.check["verdict"] as? String == "complete")
    }
}
