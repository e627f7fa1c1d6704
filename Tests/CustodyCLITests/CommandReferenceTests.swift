import CustodyTestSupport
import Foundation
import Testing

/// Docs/commands.md is what the commands' own help says, so the two never disagree.
@Suite struct CommandReferenceTests {
    @Test func committedReferenceIsWhatTheHelpSays() throws {
        let folder = try TemporaryFolder()
        let written = folder.file("commands.md")
        let run = try #require(ExternalTool.python3).run([
            LabServer.repositoryRoot + "/Scripts/command-reference", CustodyBinary.tool.path, written,
        ])
        #expect(run.status == 0, "\(run.error)")
        let committed = try String(contentsOfFile: LabServer.repositoryRoot + "/Docs/commands.md", encoding: .utf8)
        #expect(
            try String(contentsOfFile: written, encoding: .utf8) == committed,
            "Docs/commands.md is out of date: run Scripts/command-reference")
    }

    @Test func everyFlagOfEveryCommandIsInTheReference() throws {
        let committed = try String(contentsOfFile: LabServer.repositoryRoot + "/Docs/commands.md", encoding: .utf8)
        for command in [
            "keygen", "seal", "verify", "show", "extract", "preflight", "collect", "import-cloudtrail", "diff", "hunt",
            "report", "demo", "version", "sweep",
        ] {
            let help = try CustodyBinary.run([command, "--help"]).text
            let section = committed.components(separatedBy: "## custody \(command)\n").dropFirst().first ?? ""
            #expect(!section.isEmpty, "no section for \(command)")
            let body = section.components(separatedBy: "\n## custody ").first ?? ""
            for flag in Self.flags(in: help) where flag != "--help" && flag != "--version" {
                #expect(body.contains("`\(flag)"), "\(command) \(flag) is not in Docs/commands.md")
            }
        }
    }

    /// The long flags an OPTIONS list of `--help` names.
    static func flags(in help: String) -> [String] {
        help.split(separator: "\n").compactMap { line in
            let trimmed = line.drop { $0 == " " }
            guard line.hasPrefix("  "), trimmed.hasPrefix("--") else { return nil }
            return String(trimmed.prefix { !$0.isWhitespace && $0 != "," })
        }
    }
}
