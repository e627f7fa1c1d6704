import ArchiveTestSupport
import CustodyCrypto
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// A report is sealed as an archive of its own, outside the chains, naming the evidence manifests
/// it was made from; verifying it with its case proves the evidence is still that evidence.
@Suite struct ReportArchiveTests {
    let fixture: ArchiveFixture
    let evidence: [SealResult]
    let reportPath: String

    init() throws {
        let fixture = try ArchiveFixture()
        self.fixture = fixture
        evidence = try (0..<2).map { try fixture.seal(["n.txt": "snapshot \($0)"], minutes: $0) }
        reportPath = fixture.folder.file("out/report.tar")
        try sealReport(evidence.map(Self.reference))
    }

    static func reference(_ result: SealResult) -> Manifest.EvidenceReference {
        Manifest.EvidenceReference(
            path: "\(ArchiveFixture.account)/\(result.archiveName)", account: ArchiveFixture.account,
            sequence: result.sequence, manifestSHA256: result.manifestSHA256)
    }

    @discardableResult
    func sealReport(_ references: [Manifest.EvidenceReference], at path: String? = nil) throws -> SealResult {
        let time = ArchiveFixture.epoch.addingTimeInterval(600)
        let request = SealRequest(
            account: ArchiveFixture.account, kind: .report,
            members: [SealMember(path: "report/report.md", source: .bytes(Array("# Incident report\n".utf8)))],
            collector: Manifest.Collector(version: "test"), startedAt: time, finishedAt: time, evidence: references)
        return try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).sealStandalone(
            request, at: path ?? reportPath)
    }

    func verify(_ paths: [String]) throws -> VerificationReport {
        try Verifier(trust: fixture.trust).verify(paths: paths)
    }

    @Test func reportArchiveStandsOutsideTheChainAndNamesItsEvidence() throws {
        let result = try verify([reportPath])
        let archive = try #require(result.archives.first)
        #expect(archive.ok, "\(archive.problems)")
        #expect(archive.kind == .report)
        #expect(archive.sequence == 1)
        #expect(archive.evidence?.map(\.manifestSHA256) == evidence.map(\.manifestSHA256))
        #expect(archive.evidenceCheck?.contains("were not checked") == true)
        // The chain of the account is untouched: still two archives, still intact.
        #expect(try fixture.verifyChain().archives.count == 2)
        #expect(try fixture.verifyChain().ok)
    }

    @Test func reportVerifiedWithItsCaseChecksEveryEvidenceManifest() throws {
        let result = try verify([reportPath, fixture.caseFolder.root])
        #expect(result.ok, "\(result.archives.flatMap(\.problems))")
        #expect(result.archives.first?.evidenceCheck?.contains("were checked") == true)
    }

    @Test func reportInsideItsCaseFolderFindsTheCaseByItself() throws {
        let inside = fixture.caseFolder.root + "/reports/report.tar"
        try sealReport(evidence.map(Self.reference), at: inside)
        let result = try verify([inside])
        #expect(result.ok)
        #expect(result.archives.first?.evidenceCheck?.contains("were checked") == true)
    }

    @Test func evidenceRemovedAfterTheReportIsNamed() throws {
        try FileManager.default.removeItem(atPath: evidence[0].archivePath)
        let archive = try #require(try verify([reportPath, fixture.caseFolder.root]).archives.first)
        #expect(archive.codes == [.evidenceMissing])
        #expect(archive.problems.first?.message.contains(evidence[0].archiveName) == true)
    }

    @Test func evidenceReplacedAfterTheReportIsNamed() throws {
        // A validly signed archive of the same name and sequence, telling another story.
        let other = try ArchiveFixture(key: fixture.key)
        try FileManager.default.createDirectory(atPath: other.caseFolder.root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.caseFolder.metadataPath, toPath: other.caseFolder.metadataPath)
        let forged = try other.seal(["n.txt": "another story"], minutes: 0)
        try FileManager.default.removeItem(atPath: evidence[0].archivePath)
        try FileManager.default.copyItem(atPath: forged.archivePath, toPath: evidence[0].archivePath)
        let archive = try #require(try verify([reportPath, fixture.caseFolder.root]).archives.first)
        #expect(archive.codes == [.evidenceChanged])
    }

    @Test func tamperedReportFailsVerification() throws {
        try Tamper.flipByte(in: reportPath, at: "Incident report")
        let archive = try #require(try verify([reportPath]).archives.first)
        #expect(archive.codes.contains(.memberChanged))
    }

    @Test func reportIsNeverSealedOverAnExistingFile() throws {
        #expect(throws: ArchiveError.self) { try sealReport([]) }
        #expect(FileManager.default.fileExists(atPath: reportPath + ".partial") == false)
    }

    @Test
    func reportManifestMatchesTheSchema() throws {
        let bytes = try #require(try ArchiveTrailer.read(reportPath).manifestBytes)
        let path = try fixture.folder.write("report-manifest.json", bytes)
        let script = """
            import json, sys, jsonschema
            manifest = json.load(open(sys.argv[2]))
            jsonschema.validate(manifest, json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)
            print(manifest["kind"], len(manifest["evidence"]))
            """
        let run = try ExternalTool.python3!.run([
            "-c", script, InteropTests.repositoryRoot + "/Schemas/manifest.schema.json", path,
        ])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text == "report 2\n")
    }

    @Test
    func theDocumentedManualCheckPassesOnAReportArchive() throws {
        let run = try ExternalTool(path: "/bin/sh").run(
            ["-c", try InteropTests.manualCheckScript()],
            environment: ["ARCHIVE": reportPath, "FINGERPRINT": fixture.key.publicKey.fingerprint])
        #expect(run.status == 0, "\(run.text)\(run.error)")
    }
}
