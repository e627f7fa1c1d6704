import CustodyCrypto
import CustodyJSON
import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

@testable import Report

/// The report folder: every file rendered before any is written, sealed only once all were, and
/// nothing written or sealed when a file cannot be encoded.
@Suite struct ReportBundleTests {
    let folder: TemporaryFolder
    let caseFolder: CaseFolder
    let key: PrivateKey
    let bundle: ReportBundle

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = CaseFolder(root: folder.file("case"))
        _ = try caseFolder.prepare()
        key = try PrivateKey.generate(.ed25519)
        bundle = ReportBundle(folder: folder.file("report"))
    }

    /// An encoder that fails, as `JSONEncoder` does, on the values `fails` picks, and encodes the rest canonically.
    static func failing(on fails: @escaping @Sendable (any Encodable) -> Bool) -> ReportJSON {
        ReportJSON { value in
            // JSON has no NaN: the default encoder refuses it.
            fails(value) ? try CanonicalJSON.encode(Double.nan) : try CanonicalJSON.encode(value)
        }
    }

    func write(_ report: IncidentReport, json: ReportJSON = .canonical) throws -> ReportBundle.Written {
        try bundle.write(
            report, formats: ReportFormat.allCases, caseFolder: caseFolder, signingKey: key, toolVersion: "0.0.0-test",
            json: json)
    }

    /// Nothing of the report is on disk: no file, no archive, no partial archive.
    func expectNothingWritten() {
        #expect(!FileManager.default.fileExists(atPath: bundle.folder), "the report folder was made")
        #expect(!FileManager.default.fileExists(atPath: bundle.archivePath))
        #expect(!FileManager.default.fileExists(atPath: bundle.archivePath + ".partial"))
    }

    @Test func writesEveryFileAndSealsExactlyThoseBytesWithTheEvidenceUsed() throws {
        let report = SyntheticReport.make()
        let written = try write(report)
        let names = ReportFormat.allCases.map(\.fileName)
        #expect(written.files == names.map { bundle.folder + "/" + $0 })
        #expect(written.archive.archivePath == bundle.archivePath)
        let manifest = written.archive.manifest
        #expect(manifest.kind == .report && manifest.account == "111122223333")
        #expect(manifest.collector.version == "0.0.0-test")
        #expect(manifest.startedAt == report.generatedAt && manifest.finishedAt == report.generatedAt)
        #expect(manifest.evidence?.map(\.manifestSHA256) == [String(repeating: "a", count: 64)])
        let members = manifest.members.filter { $0.path.hasPrefix("report/") }
        #expect(members.map(\.path) == names.map { "report/" + $0 })
        for (member, path) in zip(members, written.files) {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(member.sha256 == SHA256.hash(bytes).hex, "\(path)")
        }
    }

    @Test func findingsThatCannotBeEncodedWriteAndSealNothing() throws {
        let json = Self.failing { $0 is FindingsDocument }
        let error = #expect(throws: ReportError(.encodingFailed, "")) { try write(SyntheticReport.make(), json: json) }
        #expect(error?.message.hasPrefix("Cannot encode findings.json: ") == true, "\(String(describing: error))")
        #expect(error?.underlying is EncodingError)
        expectNothingWritten()
    }

    @Test func aTimelineLineThatCannotBeEncodedWritesAndSealsNothing() throws {
        let json = Self.failing { ($0 as? [String: String])?["event_id"] == "e-2" }
        let error = #expect(throws: ReportError(.encodingFailed, "")) { try write(SyntheticReport.make(), json: json) }
        #expect(
            error?.message.hasPrefix("Cannot encode line 3 of timeline.jsonl (event e-2 at 2026-11-29T01:02:03Z): ")
                == true,
            "\(String(describing: error))")
        expectNothingWritten()
    }

    @Test func renderingFailsTheSameWayWithoutABundle() throws {
        let json = Self.failing { _ in true }
        #expect(throws: ReportError(.encodingFailed, "")) { try SyntheticReport.make().render([.json], json: json) }
        #expect(throws: ReportError(.encodingFailed, "")) {
            try SyntheticReport.make().render([.timesketch], json: json)
        }
        #expect(
            try SyntheticReport.make().render([.markdown, .html], json: json).count == 2,
            "Markdown and HTML encode no JSON")
    }

    @Test func refusesAFolderThatHoldsAReportOrIsAFile() throws {
        try bundle.checkFree()
        _ = try write(SyntheticReport.make())
        #expect(throws: ReportError(.outputUnusable, "")) { try bundle.checkFree() }
        let file = try folder.write("not-a-folder", Data("x".utf8))
        #expect(throws: ReportError(.outputUnusable, "")) { try ReportBundle(folder: file).checkFree() }
    }

    @Test func aReportOfNoAccountIsNotWritten() throws {
        var report = SyntheticReport.make()
        report.accounts = []
        report.evidence = []
        #expect(throws: ReportError(.unsealable, "")) { try write(report) }
        expectNothingWritten()
    }
}
