import CustodyJSON
import CustodyTestSupport
import Diff
import EvidenceArchive
import Foundation
import Testing

@testable import Report

/// Real CloudTrail (Stratus Red Team's detonation logs, see Tests/DiffTests/Resources/FIXTURES.md)
/// imported into a case without snapshots: the report hunts it, and every format renders.
@Suite struct ImportedCloudTrailTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let stratus = repositoryRoot + "/Tests/DiffTests/Resources/stratus"
    static let account = "111122223333"
    static let files = [
        "aws.persistence.iam-create-admin-user.json", "aws.persistence.iam-create-backdoor-role.json",
        "aws.persistence.sts-federation-token.json",
        "aws.defense-evasion.cloudtrail-stop.json", "aws.credential-access.secretsmanager-retrieve-secrets.json",
        "aws.exfiltration.ec2-share-ebs-snapshot.json", "aws.initial-access.console-login-without-mfa.json",
    ]

    /// A case holding one imported-CloudTrail archive of the fixture files, byte for byte.
    static func importedCase() throws -> (TemporaryFolder, CaseFolder) {
        let folder = try TemporaryFolder()
        let caseFolder = CaseFolder(root: folder.file("case"))
        _ = try caseFolder.prepare()
        let sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
        let members = files.map {
            SealMember(path: "cloudtrail/imported/stratus/\($0)", source: .file(stratus + "/" + $0))
        }
        let time = Date(timeIntervalSince1970: 1_790_000_000)
        _ = try sealer.seal(
            SealRequest(
                account: account, kind: .cloudTrail, members: members, collector: Manifest.Collector(version: "test"),
                startedAt: time, finishedAt: time))
        return (folder, caseFolder)
    }

    static func report() async throws -> IncidentReport {
        let (folder, caseFolder) = try importedCase()
        let report = try await ReportBuilder.build(
            ReportRequest(caseFolder: caseFolder.root, generatedAt: BuilderTests.generatedAt))
        withExtendedLifetime(folder) {}
        return report
    }

    @Test func huntsImportedCloudTrailAndFillsEverySection() async throws {
        let report = try await Self.report()
        if let dump = ProcessInfo.processInfo.environment["REPORT_DUMP_IMPORTED"] {
            for file in try report.render(ReportFormat.allCases) {
                try Data(file.bytes).write(to: URL(fileURLWithPath: dump + "/" + file.name))
            }
        }
        #expect(report.analyses.map(\.method) == [.cloudTrailHunt])
        #expect(report.eventCount > 20 && report.collectorEventCount == 0)
        for rule: RuleID in [.userCreated, .federationTokenIssued, .trailImpaired, .secretsRead] {
            #expect(report.findings.contains { $0.rule == rule }, "\(rule)")
        }
        #expect(!report.timeline.isEmpty && !report.keyUsage.isEmpty && !report.regions.isEmpty)
        #expect(report.queries.first { $0.id == "persistence" }?.rows.contains { $0[2] == "CreateUser" } == true)
        #expect(report.timeline.contains { $0.phase == .defenceImpairment && $0.eventName == "StopLogging" })
        #expect(report.timeline.contains { $0.phase == .credentialAccess })
        #expect(report.evidence.count == 1 && report.evidence[0].ok && report.evidence[0].kind == .cloudTrail)
    }

    @Test
    func markdownOfImportedCloudTrailRendersEveryTable() async throws {
        let report = try await Self.report()
        let source = try MarkdownTests.markdown(report)
        let html = try Tools.gfm(source)
        let (count, headers) = MarkdownTests.tables(html)
        #expect(count == MarkdownTests.sourceTables(String(decoding: source, as: UTF8.self)).count && count > 10)
        #expect(headers.allSatisfy { !$0.isEmpty })
    }

    @Test
    func htmlOfImportedCloudTrailLoadsCleanlyWithEveryFinding() async throws {
        let report = try await Self.report()
        let (visit, path, _) = try HTMLBrowserTests.visit(report)
        #expect(visit.requests == ["file://" + path] && visit.errors.isEmpty, "\(visit.requests) \(visit.errors)")
        #expect(visit.colours > 8 && visit.tablesWithHeaders == visit.tables)
        let text = HTMLBrowserTests.squeezed(visit.text)
        for finding in report.findings {
            #expect(text.contains(HTMLBrowserTests.squeezed(TextEscaping.visible(finding.title))), "\(finding.title)")
        }
    }
}
