import CustodyCrypto
import CustodyJSON
import CustodyTestSupport
import Diff
import EvidenceArchive
import Foundation
import Testing

@testable import Report

/// The builder over a sealed case: verification first, the diff and the hunt merged, every event
/// read for the tables, the collector never an intruder, the responder's containment found.
@Suite struct BuilderTests {
    static let generatedAt = Date(timeIntervalSince1970: 1_790_100_000)

    static func scenarioReport(_ scenario: Scenario, suspectKeys: [String] = [Scenario.leaked]) async throws
        -> IncidentReport
    {
        try await ReportBuilder.build(
            ReportRequest(caseFolder: scenario.caseFolder.root, suspectKeys: suspectKeys, generatedAt: generatedAt))
    }

    @Test func diffsTheScenarioAndFindsThePersistenceWithTheAttackersKey() async throws {
        let scenario = try Scenario()
        let report = try await Self.scenarioReport(scenario)
        if let dump = ProcessInfo.processInfo.environment["REPORT_DUMP"] {
            for file in try report.render(ReportFormat.allCases) {
                try Data(file.bytes).write(to: URL(fileURLWithPath: dump + "/" + file.name))
            }
        }
        #expect(report.accounts == [Scenario.account])
        #expect(report.analyses.first?.method == .snapshotDiff)
        #expect(report.analyses.first?.baseline?.hasPrefix("\(Scenario.account)/000001-") == true)
        for rule: RuleID in [
            .accessKeyCreated, .userCreated, .roleCreated, .vpcEndpointCreated, .sessionTokenIssued, .trailImpaired,
        ] {
            #expect(report.findings.contains { $0.rule == rule && $0.severity == .high }, "\(rule)")
        }
        #expect(report.severityCounts.high == report.findings.count { $0.severity == .high })
        #expect(
            Set(report.findings.map { "\($0.rule) \($0.entity.id) \($0.event?.eventID ?? "")" }).count
                == report.findings.count)
        #expect(report.actors.count == 1)
        #expect(report.actors.first?.sourceIPAddresses.contains(Scenario.attackerIP) == true)
        #expect(report.window.attackStart != nil && report.verdict.contains(Scenario.leaked))
    }

    @Test func timelineMarksActorAndPhaseWithTheRespondersContainmentAndWithoutTheCollector() async throws {
        let scenario = try Scenario()
        let report = try await Self.scenarioReport(scenario)
        #expect(!report.timeline.contains { $0.accessKeyId == Scenario.collectorKey })
        let times = report.timeline.compactMap { UTCTimestamp(parsing: $0.time)?.seconds }
        #expect(times.count == report.timeline.count && times == times.sorted(), "the rows are not oldest first")
        let containment = report.timeline.filter { $0.phase == .containment }
        #expect(containment.map(\.eventName) == ["UpdateAccessKey", "PutUserPolicy"])
        #expect(containment.allSatisfy { $0.actor == "responder" && $0.accessKeyId == Scenario.responderKey })
        let actor = try #require(report.actors.first?.id)
        func phase(_ name: String) -> Phase? {
            report.timeline.first { $0.eventName == name && $0.actor == actor }?.phase
        }
        #expect(phase("ListUsers") == .reconnaissance)
        #expect(phase("CreateAccessKey") == .persistence)
        #expect(phase("StopLogging") == .defenceImpairment)
        #expect(phase("GetSecretValue") == .credentialAccess)
        let key = try #require(report.timeline.first { $0.eventName == "CreateAccessKey" })
        #expect(key.target?.contains("userName=alice") == true && key.target?.contains("AKIABACKDOOR00000001") == true)
        #expect(key.sourceIPAddress == Scenario.attackerIP && key.region == "us-east-1" && !key.findings.isEmpty)
        let run = try #require(report.timeline.first { $0.eventName == "RunInstances" })
        #expect(run.target?.contains("i-0backdoor") == true)
    }

    @Test func tablesLeaveTheCollectorOutAndMarkNewRegions() async throws {
        let scenario = try Scenario()
        let report = try await Self.scenarioReport(scenario)
        // The collector's key keeps its row, with none of its three collection calls counted.
        let collector = try #require(report.keyUsage.last)
        #expect(collector.accessKeyId == Scenario.collectorKey)
        #expect(collector.isCollector && collector.actor == nil && collector.eventCount == 0)
        #expect(report.collectorEventCount == 3)
        let leaked = try #require(report.keyUsage.first { $0.accessKeyId == Scenario.leaked })
        #expect(
            leaked.actor == report.actors.first?.id && leaked.sourceIPAddresses == [Scenario.attackerIP]
                && leaked.errorCount == 2)
        let southAmerica = try #require(report.regions.first { $0.region == "sa-east-1" })
        #expect(southAmerica.neverUsedBefore && southAmerica.eventCount == 2 && southAmerica.actorEventCount == 2)
        #expect(report.regions.first { $0.region == "us-east-1" }?.neverUsedBefore == false)
        let identities = try #require(report.queries.first { $0.id == "events-by-identity" })
        #expect(!identities.rows.contains { $0[0].hasSuffix("user/lab-admin") })
        let persistence = try #require(report.queries.first { $0.id == "persistence" })
        #expect(persistence.rows.map { $0[2] } == ["CreateUser", "CreateAccessKey", "CreateUser", "CreateRole"])
        let denied = try #require(report.queries.first { $0.id == "access-denied" })
        #expect(denied.rows.count == 1 && denied.rows[0][5] == "ListSecrets")
        #expect(report.queries.contains { $0.id == "suspect-key-uses" })
    }

    @Test func neverWritesTheSessionTokenFromCloudTrail() async throws {
        let scenario = try Scenario()
        let report = try await Self.scenarioReport(scenario)
        for file in try report.render(ReportFormat.allCases) {
            #expect(!String(decoding: file.bytes, as: UTF8.self).contains(Scenario.sessionToken), "\(file.name)")
        }
        #expect(report.queries.contains { $0.rows.joined().joined().contains("ASIATEMPORARY0000001") })
    }

    @Test func indexesEveryArchiveWithItsManifestHashSignerAndCoverageGaps() async throws {
        let scenario = try Scenario()
        let report = try await Self.scenarioReport(scenario)
        let key = try #require(try scenario.caseFolder.casePublicKey())
        #expect(report.evidence.count == 2)
        for entry in report.evidence {
            #expect(
                entry.ok && entry.used && entry.manifestSHA256?.count == 64
                    && entry.signerFingerprint == key.fingerprint)
            #expect(
                entry.path.hasPrefix(Scenario.account + "/") && entry.coverageGaps.contains { $0.contains("denied") })
        }
        #expect(report.window.from != nil && report.window.to != nil)
    }

    @Test func leavesOutATamperedArchiveAndSaysSo() async throws {
        let scenario = try Scenario()
        let last = try #require(scenario.archives.last)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: last)))
        // Flip a byte inside the first member's data (after its 512-byte header and the pax header).
        let marker = Array(#"{"format":"custody-archive""#.utf8)
        let at = try #require(
            (0..<(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        bytes[at + 2] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: last))
        let report = try await Self.scenarioReport(scenario)
        let entry = try #require(report.evidence.first { last.hasSuffix($0.path) })
        #expect(!entry.ok && !entry.used && !entry.problems.isEmpty)
        #expect(report.analyses.first?.method == .cloudTrailHunt)
        #expect(report.notes.contains { $0.contains("do not verify") } && report.verdict.contains("do not verify"))
    }

    @Test func saysWhatToDoWhenItCannotRun() async throws {
        let folder = try TemporaryFolder()
        await #expect(throws: ReportError(.caseFolderUnusable, "")) {
            try await ReportBuilder.build(ReportRequest(caseFolder: folder.path))
        }
        let scenario = try Scenario()
        await #expect(throws: ReportError(.accountUnknown, "")) {
            try await ReportBuilder.build(
                ReportRequest(caseFolder: scenario.caseFolder.root, accounts: ["999999999999"]))
        }
        await #expect(throws: ReportError(.comparisonInvalid, "")) {
            try await ReportBuilder.build(
                ReportRequest(caseFolder: scenario.caseFolder.root, baseline: scenario.archives[0]))
        }
        do {
            _ = try await ReportBuilder.build(
                ReportRequest(caseFolder: scenario.caseFolder.root, accounts: ["999999999999"]))
        } catch let error as ReportError {
            #expect(error.message.contains(Scenario.account))
        }
    }

    @Test func diffsExactlyTheBaselineAndCurrentGiven() async throws {
        let scenario = try Scenario()
        let report = try await ReportBuilder.build(
            ReportRequest(
                caseFolder: scenario.caseFolder.root, baseline: scenario.archives[1], current: scenario.archives[0],
                generatedAt: Self.generatedAt))
        let analysis = try #require(report.analyses.first)
        #expect(analysis.method == .snapshotDiff)
        #expect(
            scenario.archives[0].hasSuffix(analysis.baseline ?? "?")
                && scenario.archives[1].hasSuffix(analysis.current ?? "?"))
    }
}
