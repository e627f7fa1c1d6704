import CustodyTestSupport
import Foundation
import Testing

/// `custody report` run as a user would, on a case holding imported real CloudTrail (a Stratus
/// Red Team detonation of StopLogging): the bundle, its sealing, and what it refuses.
@Suite struct ReportCommandTests {
    static let fixture =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
        + "/DiffTests/Resources/stratus/aws.defense-evasion.cloudtrail-stop.json"

    let folder: TemporaryFolder
    let caseFolder: String
    let out: String

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = folder.file("case")
        out = folder.file("report")
        let imported = try CustodyBinary.run([
            "import-cloudtrail", "--case", caseFolder, "--account", "143434273843", Self.fixture,
        ])
        #expect(imported.status == 0, "\(imported.error)")
    }

    func report(_ extra: [String] = []) throws -> ExternalTool.Result {
        try CustodyBinary.run(["report", "--case", caseFolder, "--out", out] + extra)
    }

    @Test func writesEveryFormatAndSealsThemWithTheEvidence() throws {
        let run = try report()
        #expect(run.status == 0, "\(run.error)")
        for name in [
            "report.md", "report.html", "findings.json", "timeline.jsonl", "iocs.csv", "iocs.stix.json", "report.tar",
        ] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name) is missing")
        }
        #expect(run.text.contains("made from 1 evidence archive(s)"))
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown.contains("logging.trail.impaired"))
        let verify = try CustodyBinary.run(["verify", out + "/report.tar", caseFolder])
        #expect(verify.status == 0, "\(verify.text)")
        #expect(verify.text.contains("1 evidence archive(s) it names were checked"))
    }

    @Test func reportOfEvidenceRemovedLaterFailsVerification() throws {
        #expect(try report().status == 0)
        let account = caseFolder + "/143434273843"
        for name in try FileManager.default.contentsOfDirectory(atPath: account) where name.hasSuffix(".tar") {
            try FileManager.default.removeItem(atPath: account + "/" + name)
        }
        let verify = try CustodyBinary.run(["verify", out + "/report.tar", caseFolder])
        #expect(verify.status == 1)
        #expect(verify.text.contains("evidence-missing"))
    }

    @Test func writesOnlyTheFormatsAsked() throws {
        #expect(try report(["--format", "md,timesketch"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["report.md", "report.tar", "timeline.jsonl"])
    }

    @Test func neverOverwritesAnEarlierReport() throws {
        #expect(try report().status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/report.tar"))
        let again = try report()
        #expect(again.status == 2)
        #expect(again.error.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/report.tar")) == before)
    }

    @Test(arguments: [
        (["--format", "pdf"], "--format 'pdf' is not one of md, html, json, timesketch, iocs, stix"),
        (["--baseline", "a.tar"], "--baseline and --current go together"),
        (["--account", "12345"], "'12345' is not an AWS account id"),
    ])
    func refusesBadOptionsNamingThem(extra: [String], message: String) throws {
        let run = try report(extra)
        #expect(run.status == 2)
        #expect(run.error.contains(message), "\(run.error)")
    }

    @Test func refusesAFolderThatIsNoCase() throws {
        let run = try CustodyBinary.run(["report", "--case", folder.path, "--out", out])
        #expect(run.status == 2)
        #expect(run.error.contains("is not a case folder"))
    }
}
