import CustodyTestSupport
import Diff
import EvidenceArchive
import Foundation
import Testing
import EvidenceReading

/// The built `custody` next to the test bundle, if it is there.
let builtCustody: ExternalTool? = {
    let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    let path = folder.appendingPathComponent("custody").path
    return FileManager.default.isExecutableFile(atPath: path) ? ExternalTool(path: path) : nil
}()

/// The training scenario end to end against the local lab: baseline, collect, attack, collect,
/// diff. Every artifact the scenario wrote to its ids file is found with the attacker's key and
/// address, and nothing the defender did is reported as high. Collection runs the built `custody`
/// binary, so this target needs neither Collect nor AWSClient.
@Suite(.serialized)
final class LabScenarioTests {

    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        lab = try LabServer(accounts: 3)
        folder = try TemporaryFolder()
    }

    func collect(_ account: String, regions: [String]) throws -> String {
        let run = try #require(builtCustody).run(
            [
                "collect", "--case", folder.file("case"), "--profile", "lab-\(account)", "--regions",
                regions.joined(separator: ","), "--cloudtrail", "lookup",
            ],
            environment: ProcessInfo.processInfo.environment.merging(lab.environment) { $1 })
        #expect(run.status == 0, "\(run.error)")
        let archives = try EvidenceReaderPaths.archives(folder.file("case/\(account)"))
        return try #require(archives.last)
    }

    @Test func diffOfTheTrainingScenarioFindsEveryArtifactAndNothingBenignAsHigh() async throws {
        let idsPath = folder.file("ids.json")
        #expect(try lab.runScenario(["--phase", "baseline", "--ids-out", idsPath]).status == 0)
        var ids =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: idsPath))) as? [String: Any]
            ?? [:]
        let defender = try #require((ids["defender"] as? [String: Any])?["accountId"] as? String)
        let home = (ids["defender"] as? [String: Any])?["homeRegion"] as? String ?? "eu-west-1"
        let regions = ["us-east-1", home, "sa-east-1"]
        let before = try collect(defender, regions: regions)
        #expect(try lab.runScenario(["--phase", "attack", "--ids-out", idsPath]).status == 0)
        // A collection's window ends at the whole second it starts ([since, until)): events of that very
        // second belong to the next archive. Let the attack's last second pass first.
        try await Task.sleep(for: .seconds(1.1))
        ids =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: idsPath))) as? [String: Any]
            ?? [:]
        let after = try collect(defender, regions: regions)

        let report = try await EvidenceReader(trust: TrustStore()).diff(before, after)
        let attacker = try #require(ids["attacker"] as? [String: Any])
        let leaked = try #require(attacker["leakedAccessKeyId"] as? String)
        let ip = try #require(attacker["sourceIp"] as? String)
        let persistence = try #require(ids["persistence"] as? [String: [String: Any]])
        let expected: [(RuleID, String?)] = [
            (.accessKeyCreated, persistence["accessKey"]?["accessKeyId"] as? String),
            (.userCreated, persistence["user"]?["userId"] as? String),
            (.loginProfileCreated, persistence["user"]?["userId"] as? String),
            (.roleCreated, persistence["role"]?["roleId"] as? String),
            (.instanceLaunchedWithRole, persistence["instance"]?["instanceId"] as? String),
            (.regionFirstUse, persistence["instance"]?["region"] as? String),
            (.vpcEndpointCreated, persistence["vpcEndpoint"]?["vpcEndpointId"] as? String),
        ]
        for (rule, id) in expected {
            let id = try #require(id)
            let finding = try #require(report.findings.first { $0.rule == rule && $0.entity.id == id }, "\(rule) \(id)")
            #expect(finding.severity == .high, "\(rule): \(finding.reason)")
            #expect(
                finding.event?.accessKeyId == leaked || finding.event?.sourceIPAddress == ip,
                "\(rule) \(String(describing: finding.event))")
        }
        for (rule, key) in [(RuleID.sessionTokenIssued, "sessionToken"), (.federationTokenIssued, "federationToken")] {
            let token = try #require(persistence[key]?["accessKeyId"] as? String)
            #expect(
                report.findings.contains {
                    $0.rule == rule && $0.exposure?.accessKeyId == token && $0.severity == .high
                })
        }
        let defenderIPs: Set<String> = ["198.51.100.10", "198.51.100.23"]
        let benignHigh = report.findings.filter {
            $0.severity == .high && defenderIPs.contains($0.event?.sourceIPAddress ?? "")
        }
        #expect(benignHigh.isEmpty, "\(benignHigh.map(\.title))")
        let actor = try #require(report.actors.first { $0.credentials.contains { $0.accessKeyId == leaked } })
        #expect(actor.sourceIPAddresses.contains(ip))
        #expect(actor.vpcEndpoints.contains(persistence["vpcEndpoint"]?["vpcEndpointId"] as? String ?? "?"))
    }
}

/// Archives of an account folder, in chain order.
enum EvidenceReaderPaths {
    static func archives(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            ArchiveLayout.sequence(inArchiveName: $0) != nil
        }.sorted()
            .map { folder + "/" + $0 }
    }
}
