import CustodyTestSupport
import Foundation
import Testing

/// `custody demo` end to end, as the README's main command runs it, in its reproducible form:
/// the lab on a logical clock with seeded ids and the training key signing. Its report is what
/// `Reports/` holds, byte for byte; when the code changes what it writes, this fails until
/// `Scripts/regenerate-reports` is run and the new report committed.
@Suite(.serialized)
struct DemoCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let committed = repositoryRoot + "/Reports"

    /// Every regular file under `folder`, by path relative to it.
    static func files(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    @Test func reproducibleDemoWritesExactlyTheCommittedReport() throws {
        let folder = try TemporaryFolder()
        let demo = folder.file("demo")
        let run = try CustodyBinary.tool.run(
            ["demo", "--reproducible", "--dir", demo, "--source", Self.repositoryRoot])
        #expect(run.status == 0, "\(run.text)\(run.error)")
        #expect(run.text.contains("verified with the evidence it names"), "\(run.text)")
        #expect(run.text.contains("report/report.html"))

        for part in ["report", "case"] {
            var produced = Self.files(demo + "/" + part)
            produced[".custody/case.key"] = nil  // the case's private key is never committed
            let expected = Self.files(Self.committed + "/" + part)
            #expect(!expected.isEmpty, "Reports/\(part) is missing: run Scripts/regenerate-reports")
            let differing = Set(produced.keys).union(expected.keys).filter { produced[$0] != expected[$0] }.sorted()
            #expect(
                differing.isEmpty,
                "Reports/\(part) differs from what the code now writes in \(differing.prefix(10)); run Scripts/regenerate-reports and commit the result"
            )
        }
    }

    /// On the real clock the lab is late like CloudTrail; the demo waits that out, so its findings are
    /// the committed report's, each tied to the event that caused it, not by luck of timing.
    @Test func liveDemoOnTheRealClockFindsWhatTheCommittedReportFinds() throws {
        let folder = try TemporaryFolder()
        let demo = folder.file("demo")
        let run = try CustodyBinary.tool.run(["demo", "--dir", demo, "--source", Self.repositoryRoot, "--json"])
        #expect(run.status == 0, "\(run.text)\(run.error)")
        // With --json, what the demo says goes to stderr and stdout holds one document.
        #expect(run.error.contains("waiting"), "the demo waits for the lab's late events")
        #expect(try JSONSchemas.problems(run.output, against: "demo.schema.json") == nil, "\(run.text)")
        func findings(_ path: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["findings"] as? [[String: Any]]
                ?? []
        }
        let live = try findings(demo + "/report/findings.json")
        let committed = try findings(Self.committed + "/report/findings.json")
        #expect(
            live.compactMap { $0["rule"] as? String }.sorted()
                == committed.compactMap { $0["rule"] as? String }.sorted())
        for finding in live {
            #expect(finding["event"] != nil, "\(finding["rule"] ?? "?") is tied to no event")
        }
    }

    @Test func committedReportVerifiesWithItsEvidenceAndFailsWhenTampered() throws {
        let fingerprint = try #require(try Self.trainingFingerprint())
        let verify = try CustodyBinary.run(
            [
                "verify", Self.committed + "/report/report.tar", Self.committed + "/case", "--trust-fingerprint",
                fingerprint,
            ])
        #expect(verify.status == 0, "\(verify.text)\(verify.error)")
        #expect(verify.text.contains("were checked in case folder"))

        let folder = try TemporaryFolder()
        let copy = folder.file("report.tar")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.committed + "/report/report.tar"))
        let marker = Data("<h1".utf8)
        let at = try #require(bytes.range(of: marker))
        bytes[at.lowerBound + 1] = UInt8(ascii: "H")
        try bytes.write(to: URL(fileURLWithPath: copy))
        let tampered = try CustodyBinary.run(["verify", copy, "--trust-fingerprint", fingerprint])
        #expect(tampered.status == 1)
        #expect(tampered.text.contains("member-changed"))
    }

    @Test func demoRefusesAFolderItDidNotMake() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("notes.txt", Data("a responder's notes".utf8))
        let run = try CustodyBinary.run(["demo", "--dir", folder.path, "--source", Self.repositoryRoot])
        #expect(run.status == 2)
        #expect(run.error.contains("was not made by custody demo"))
        #expect(FileManager.default.fileExists(atPath: folder.file("notes.txt")))
    }

    /// The training key's fingerprint, as `custody keygen` would print it.
    static func trainingFingerprint() throws -> String? {
        let run = try ExternalTool(path: "/bin/sh").run([
            "-c", "openssl pkey -in \"$1\" -pubout -outform DER | sha256sum | cut -c1-64", "sh",
            repositoryRoot + "/Scripts/training-signing-key.pem",
        ])
        let text = run.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return run.status == 0 && text.count == 64 ? text : nil
    }
}
