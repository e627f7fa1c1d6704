import CustodyTestSupport
import Foundation
import Testing

/// Every command that prints a result prints it as JSON with `--json` (or `--output json`, as the
/// AWS CLI spells it), and the JSON is what its schema in `Schemas/` says.
@Suite(.serialized)
final class JSONOutputTests {
    let folder: TemporaryFolder
    let caseFolder: String

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = folder.file("case")
    }

    /// Runs custody and checks its stdout against `schema`.
    @discardableResult
    func json(_ arguments: [String], schema: String, status: Int32 = 0) throws -> [String: Any] {
        let run = try CustodyBinary.run(arguments)
        #expect(run.status == status, "\(arguments): \(run.error)")
        #expect(try JSONSchemas.problems(run.output, against: schema) == nil, "\(arguments)")
        return try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any], "\(run.text)")
    }

    /// The committed demo case, copied so that nothing is written into the repository.
    func committedCase() throws -> (path: String, trust: [String]) {
        let copy = folder.file("committed")
        try FileManager.default.copyItem(atPath: LabServer.repositoryRoot + "/Reports/case", toPath: copy)
        let fingerprint = try #require(try DemoCommandTests.trainingFingerprint())
        return (copy, ["--trust-fingerprint", fingerprint])
    }

    @Test func keygenSealShowVerifyAndExtractPrintTheirSchemas() throws {
        let key = try json(["keygen", "--out", folder.file("k"), "--json"], schema: "keygen.schema.json")
        #expect(key["privateKey"] as? String == folder.file("k"))
        let notes = try folder.write("notes.md", Data("# notes\n".utf8))
        let sealed = try json(
            ["seal", "--case", caseFolder, "--account", "111122223333", notes, "--output", "json"],
            schema: "seal.schema.json")
        let archive = try #require(sealed["archive"] as? String)
        try json(["show", archive, "--json"], schema: "show.schema.json")
        let verified = try json(["verify", caseFolder, "--json"], schema: "verify.schema.json")
        #expect(verified["ok"] as? Bool == true)
        let extracted = try json(
            ["extract", archive, "--to", folder.file("out"), "--json"], schema: "extract.schema.json")
        #expect((extracted["files"] as? [String])?.contains("files/notes.md") == true)
        try json(["version", "--json"], schema: "version.schema.json")
    }

    @Test func importCloudTrailPrintsTheArchiveAndItsSummary() throws {
        let record = """
            {"Records":[{"eventVersion":"1.08","eventTime":"2026-11-02T09:07:00Z","eventSource":"iam.amazonaws.com",\
            "eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.66",\
            "userIdentity":{"type":"IAMUser","accountId":"111122223333","accessKeyId":"AKIAIOSFODNN7EXAMPLE"},\
            "eventID":"6f1c2a8e-0000-4000-8000-000000000001","recipientAccountId":"111122223333"}]}
            """
        let file = try folder.write("trail.json", Data(record.utf8))
        let imported = try json(
            ["import-cloudtrail", "--case", caseFolder, "--account", "111122223333", file, "--json"],
            schema: "import-cloudtrail.schema.json")
        #expect(imported["complete"] as? Bool == true)
    }

    @Test func huntDiffAndReportPrintTheirSchemas() throws {
        let (path, trust) = try committedCase()
        let chain = try FileManager.default.contentsOfDirectory(atPath: path + "/222222222222").filter {
            $0.hasSuffix(".tar")
        }.sorted()
        try json(["hunt", path, "--json"] + trust, schema: "findings.schema.json", status: 1)
        try json(
            ["diff", path + "/222222222222/" + chain[0], path + "/222222222222/" + chain[1], "--json"] + trust,
            schema: "diff.schema.json", status: 1)
        let reported = try json(
            [
                "report", "--case", path, "--out", folder.file("report"), "--json", "--sign-key",
                LabServer.repositoryRoot + "/Scripts/training-signing-key.pem",
            ] + trust, schema: "report.schema.json")
        #expect((reported["files"] as? [String])?.isEmpty == false)
    }

    @Test func preflightPrintsItsSchemaEvenWhenATargetIsUnusable() throws {
        try json(
            ["preflight", "--profile", "no-such-profile", "--json"], schema: "preflight.schema.json", status: 1)
    }

    @Test func outputTakesOnlyJSONOrText() throws {
        let run = try CustodyBinary.run(["version", "--output", "yaml"])
        #expect(run.status == 2)
        #expect(run.error.contains("--output 'yaml' is not one of json, text"))
        let text = try CustodyBinary.run(["version", "--output", "text"])
        #expect(text.status == 0 && !text.text.hasPrefix("{"))
    }
}
