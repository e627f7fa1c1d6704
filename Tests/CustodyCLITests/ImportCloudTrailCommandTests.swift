import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// `custody import-cloudtrail` run as a user would: output, messages and exit codes.
@Suite struct ImportCloudTrailCommandTests {
    static let record =
        #"{"eventVersion":"1.09","eventTime":"2024-08-18T10:42:11Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","recipientAccountId":"111122223333"}"#

    let folder: TemporaryFolder
    let caseFolder: String

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = folder.file("case")
    }

    func importing(_ paths: [String], account: String = "111122223333") throws -> ExternalTool.Result {
        try CustodyBinary.run(["import-cloudtrail", "--case", caseFolder, "--account", account] + paths)
    }

    @Test func sealsCleanFilesAndExitsZero() throws {
        try folder.write("logs/a.json", Array(#"{"Records":[\#(Self.record),\#(Self.record)]}"#.utf8))
        try folder.write("logs/b.jsonl", Array((Self.record + "\n" + Self.record + "\n").utf8))
        let run = try importing([folder.file("logs")])
        #expect(run.status == 0, "\(run.error)")
        let lines = run.text.split(separator: "\n").map(String.init)
        #expect(lines.first == caseFolder + "/111122223333/000001-20260921T141320Z.tar")
        #expect(lines.dropFirst().first?.hasPrefix("manifest sha256 ") == true)
        #expect(
            lines.last == "4 record(s) in 2 file(s), 2024-08-18T10:42:11Z to 2024-08-18T10:42:11Z, every record read")
        #expect(try CustodyBinary.run(["verify", caseFolder]).status == 0)
    }

    @Test func sealsWithGapsAndExitsThreeNamingEveryBrokenRecord() throws {
        let path = try folder.write(
            "logs/a.jsonl", Array((Self.record + "\n{\"eventName\":\n" + Self.record + "\n").utf8))
        let run = try importing([path])
        #expect(run.status == 3, "\(run.error)")
        #expect(run.text.contains("2 record(s) in 1 file(s)") && run.text.contains("1 could not be read"))
        #expect(run.error.contains("\(path):2: record 2, byte \(Self.record.utf8.count + 1): "))
        #expect(run.error.contains("sealed with gaps"))
        #expect(try CustodyBinary.run(["verify", caseFolder]).status == 0)
    }

    @Test func sealsIncompleteRecordsAndExitsFourNamingEach() throws {
        let logstash = Self.record.replacingOccurrences(
            of: #""eventTime":"2024-08-18T10:42:11Z""#, with: #""@timestamp":"2024-08-18T10:42:11.000Z""#)
        let nameless = Self.record.replacingOccurrences(of: #""eventName":"ListUsers","#, with: "")
        let lines = [Self.record, logstash, nameless, Self.record]
        let path = try folder.write("logs/export.jsonl", Array((lines.joined(separator: "\n") + "\n").utf8))
        let run = try importing([path])
        #expect(run.status == 4, "\(run.error)")
        let last = run.text.split(separator: "\n").last.map(String.init)
        #expect(
            last
                == "4 record(s) in 1 file(s), 2024-08-18T10:42:11Z to 2024-08-18T10:42:11Z, every record read, "
                + "2 incomplete (no valid eventTime, eventName or eventSource; listed in cloudtrail/import.json)")
        let second = Self.record.utf8.count + 1
        #expect(run.error.contains("\(path):2: record 2, byte \(second): incomplete, no eventTime\n"))
        #expect(
            run.error.contains(
                "\(path):3: record 3, byte \(second + logstash.utf8.count + 1): incomplete, no eventName\n"))
        #expect(run.error.contains("\(path): 2 incomplete record(s), kept; all are listed in cloudtrail/import.json"))
        #expect(!run.error.contains("sealed with gaps"))
        #expect(try CustodyBinary.run(["verify", caseFolder]).status == 0)
    }

    @Test func namesTheFirstIncompleteRecordsOfAFileAndSaysWhereTheRestAre() throws {
        let logstash = Self.record.replacingOccurrences(of: #""eventTime":"2024-08-18T10:42:11Z","#, with: "")
        let path = try folder.write(
            "export.jsonl", Array((Array(repeating: logstash, count: 1500).joined(separator: "\n")).utf8))
        let run = try importing([path])
        #expect(run.status == 4, "\(run.error)")
        #expect(run.error.components(separatedBy: ": incomplete, no eventTime\n").count == 11)
        #expect(
            run.error.contains(
                "\(path): 1500 incomplete record(s), kept; the first 1000 are listed in cloudtrail/import.json"))
        #expect(run.text.contains("every record read, 1500 incomplete"))
    }

    @Test func exitsThreeWhenRecordsAreBothBrokenAndIncomplete() throws {
        let nameless = Self.record.replacingOccurrences(of: #""eventName":"ListUsers","#, with: "")
        let path = try folder.write("a.jsonl", Array((nameless + "\n{\"eventName\":\n" + Self.record + "\n").utf8))
        let run = try importing([path])
        #expect(run.status == 3, "\(run.error)")
        #expect(run.text.contains("1 could not be read, 1 incomplete"))
        #expect(run.error.contains("sealed with gaps"))
    }

    @Test func reportsRecordsOfOtherAccountsButKeepsThem() throws {
        let other = Self.record.replacingOccurrences(of: "111122223333", with: "999988887777")
        let path = try folder.write("a.json", Array("[\(Self.record),\(other)]".utf8))
        let run = try importing([path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text.contains("2 record(s)"))
        #expect(run.error.contains("1 record(s) belong to other accounts than 111122223333, kept: 999988887777 (1)"))
    }

    @Test func exitsTwoWhenItCannotRun() throws {
        let missing = try importing([folder.file("missing")])
        #expect(missing.status == 2)
        #expect(missing.error.contains(folder.file("missing")))

        let notes = try folder.write("notes.txt", Array("nothing here".utf8))
        let nothing = try importing([notes])
        #expect(nothing.status == 2)
        #expect(nothing.error.contains("No CloudTrail found"))

        let badAccount = try importing([notes], account: "12345")
        #expect(badAccount.status == 2)
        #expect(badAccount.error.contains("--account '12345'"))

        let halfWindow = try CustodyBinary.run(
            ["import-cloudtrail", "--case", caseFolder, "--account", "111122223333", "--since", "2h", notes])
        #expect(halfWindow.status == 2)
        #expect(halfWindow.error.contains("--since and --until"))
        #expect(!FileManager.default.fileExists(atPath: caseFolder + "/111122223333"))
    }

    @Test func explainsItselfWithAnExample() throws {
        let help = try CustodyBinary.run(["import-cloudtrail", "--help"])
        #expect(help.status == 0)
        #expect(help.text.contains("Example: custody import-cloudtrail --case"))
        #expect(help.text.contains("--since"))
        #expect(help.text.contains("4 every record read but some"))
    }
}
