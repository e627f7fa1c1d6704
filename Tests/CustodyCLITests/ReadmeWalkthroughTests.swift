import CustodyTestSupport
import Foundation
import Testing

/// The README's walk-through, run line by line as a responder would type it, against the lab and
/// from a clean environment: no AWS variable but the lab's config files and `AWS_PROFILE` for the
/// default credentials. The README's placeholders become the lab's: its accounts, its role, files
/// made here.
@Suite(.serialized)
final class ReadmeWalkthroughTests {
    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        lab = try LabServer(accounts: 3)
        folder = try TemporaryFolder()
    }

    /// The `$custody …` lines of the README's walk-through, without their comments.
    static func walkthrough() throws -> [String] {
        let readme = try String(contentsOfFile: LabServer.repositoryRoot + "/README.md", encoding: .utf8)
        let section = readme.components(separatedBy: "## Walk-through").dropFirst().first ?? ""
        let block = section.components(separatedBy: "```").dropFirst().first ?? ""
        return block.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("$custody ") else { return nil }
            let command = line.dropFirst("$custody ".count)
            return String(command.components(separatedBy: "  #").first ?? "").trimmingCharacters(in: .whitespaces)
        }
    }

    /// `line` with the README's placeholders made real, split into arguments, globs expanded.
    func arguments(_ line: String) throws -> [String] {
        let caseKey = folder.file("incident-42/.custody/case.key.pub")
        var text =
            line
            .replacingOccurrences(of: "--profile prod", with: "--profile lab-222222222222")
            .replacingOccurrences(of: "111122223333", with: "222222222222")
            .replacingOccurrences(of: "444455556666", with: "333333333333")
            .replacingOccurrences(of: "IncidentResponder", with: "OrganizationAccountAccessRole")
            .replacingOccurrences(of: "~/.custody/responder.key", with: folder.file("responder.key"))
        if text.contains("9f2c…") {
            let fingerprint = try #require(
                try CustodyBinary.run(["show", "--json", try archives("incident-42/222222222222/000001-*.tar")[0]])
                    .text.components(separatedBy: "\"signerKeyFingerprint\":\"").dropFirst().first?.prefix(64))
            text = text.replacingOccurrences(of: "9f2c…", with: String(fingerprint))
            #expect(FileManager.default.fileExists(atPath: caseKey))
        }
        return try text.split(separator: " ").flatMap { word -> [String] in
            word.contains("*") ? try archives(String(word)) : [String(word)]
        }
    }

    /// The archives a glob such as `./incident-42/222222222222/000001-*.tar` names, in the folder.
    func archives(_ glob: String) throws -> [String] {
        let path = glob.hasPrefix("./") ? String(glob.dropFirst(2)) : glob
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = ((path as NSString).lastPathComponent.components(separatedBy: "*").first) ?? ""
        return try FileManager.default.contentsOfDirectory(atPath: folder.file(directory)).filter {
            $0.hasPrefix(prefix) && $0.hasSuffix(".tar")
        }.sorted().map { folder.file(directory) + "/" + $0 }
    }

    @Test func everyCommandOfTheWalkthroughRunsAsShown() throws {
        let lines = try Self.walkthrough()
        #expect(lines.count >= 10, "\(lines)")
        _ = try folder.write("notes.md", Data("# notes\n".utf8))
        try FileManager.default.createDirectory(atPath: folder.file("screenshots"), withIntermediateDirectories: true)
        _ = try folder.write("screenshots/console.txt", Data("console\n".utf8))
        try FileManager.default.createDirectory(atPath: folder.file("exported-logs"), withIntermediateDirectories: true)
        _ = try folder.write(
            "exported-logs/trail.json",
            Data(
                #"{"Records":[{"eventVersion":"1.08","eventTime":"2026-11-02T09:07:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.66","userIdentity":{"type":"IAMUser","accountId":"222222222222","accessKeyId":"AKIAIOSFODNN7EXAMPLE"},"eventID":"6f1c2a8e-0000-4000-8000-000000000001","recipientAccountId":"222222222222"}]}"#
                    .utf8))
        var environment = lab.environment
        // The default credentials: what assumes the role in each account of --account.
        environment["AWS_PROFILE"] = "lab-111111111111"
        for line in lines {
            if line.hasPrefix("verify copy.tar") {
                let first = try archives("incident-42/222222222222/000001-*.tar")[0]
                try? FileManager.default.removeItem(atPath: folder.file("copy.tar"))
                try FileManager.default.copyItem(atPath: first, toPath: folder.file("copy.tar"))
            }
            let run = try CustodyBinary.tool.run(
                try arguments(line), directory: folder.path, environment: environment, withoutAWSVariables: true)
            let allowed: Set<Int32> = line.hasPrefix("diff") || line.hasPrefix("hunt") ? [0, 1] : [0]
            #expect(allowed.contains(run.status), "custody \(line) exited \(run.status): \(run.error)")
        }
    }
}
