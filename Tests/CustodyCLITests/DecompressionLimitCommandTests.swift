import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// A gzip bomb among imported CloudTrail, read by every command that reads CloudTrail with
/// `--max-decompressed-size` set low: each stops at the limit and names the file.
@Suite struct DecompressionLimitCommandTests {
    static let record =
        #"{"eventVersion":"1.09","eventTime":"2024-08-18T10:42:11Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","eventID":"ID","awsRegion":"us-east-1","recipientAccountId":"111122223333"}"#

    let folder: TemporaryFolder
    let caseFolder: String
    let bomb: String

    /// Two records, then 16 MiB of blank lines: about 16 KiB of gzip.
    init() throws {
        folder = try TemporaryFolder()
        caseFolder = folder.file("case")
        var text = Array((Self.record.replacingOccurrences(of: "ID", with: "a") + "\n").utf8)
        text += Array((Self.record.replacingOccurrences(of: "ID", with: "b") + "\n").utf8)
        text += [UInt8](repeating: 0x0a, count: 16 << 20)
        bomb = try folder.write("logs/bomb.jsonl.gz", try Gzip.compress(text))
    }

    func importing(_ extra: [String]) throws -> ExternalTool.Result {
        try CustodyBinary.run(
            ["import-cloudtrail", "--case", caseFolder, "--account", "111122223333"] + extra + [bomb])
    }

    @Test func importStopsReadingAtTheLimitNamesTheFileAndSealsItWhole() throws {
        let run = try importing(["--max-decompressed-size", "1MiB"])
        #expect(run.status == 3, "\(run.error)")
        #expect(run.error.contains("\(bomb)"))
        #expect(run.error.contains("expands to more than 1 MiB"))
        #expect(run.text.contains("2 record(s) in 1 file(s)"))
        #expect(try CustodyBinary.run(["verify", caseFolder]).status == 0)
    }

    @Test func huntAndReportSayWhereTheyStoppedAndReadAllUnderTheDefault() throws {
        #expect(try importing([]).status == 0)
        let limited = try CustodyBinary.run(["hunt", "--json", "--max-decompressed-size", "1MiB", caseFolder])
        #expect(limited.status == 0, "\(limited.error)")
        #expect(limited.text.contains("cloudtrail/imported/bomb.jsonl.gz of 000001-"))
        #expect(limited.text.contains("expands to more than 1 MiB"))
        #expect(limited.text.contains(#""eventCount":2"#))
        let full = try CustodyBinary.run(["hunt", "--json", caseFolder])
        #expect(full.status == 0 && !full.text.contains("expands to more than"), "\(full.error)")

        let out = folder.file("report")
        let report = try CustodyBinary.run([
            "report", "--case", caseFolder, "--out", out, "--max-decompressed-size", "1MiB",
        ])
        #expect(report.status == 0, "\(report.error)")
        #expect(try String(contentsOfFile: out + "/report.md", encoding: .utf8).contains("expands to more than 1 MiB"))
    }

    @Test(arguments: [
        ["hunt", "x"], ["diff", "x", "y"], ["report", "--case", "x", "--out", "y"],
        ["import-cloudtrail", "--case", "x", "--account", "111122223333", "y"],
    ])
    func everyCommandThatReadsCloudTrailTakesTheOption(_ arguments: [String]) throws {
        let help = try CustodyBinary.run([arguments[0], "--help"])
        #expect(help.text.contains("--max-decompressed-size <SIZE>"))
        let wrong = try CustodyBinary.run(arguments + ["--max-decompressed-size", "lots"])
        #expect(wrong.status == 2, "\(wrong.error)")
        #expect(wrong.error.contains("give a size"))
    }
}
