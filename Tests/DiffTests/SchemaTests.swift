import CustodyJSON
import CustodyTestSupport
import Diff
import Foundation
import Testing

/// The JSON the commands print is what `Schemas/` says, checked with python's jsonschema.
/// Whether python3 with jsonschema is here.

@Suite
struct SchemaTests {

    static let script = """
        import json, sys, jsonschema, referencing
        root = sys.argv[1]
        schemas = {n: json.load(open(root + "/" + n)) for n in ("findings.schema.json", "diff.schema.json")}
        registry = referencing.Registry().with_resources(
            [(s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values()]
            + [(n, referencing.Resource.from_contents(s)) for n, s in schemas.items()])
        schema = schemas[sys.argv[2]]
        jsonschema.Draft202012Validator(schema, registry=registry).validate(json.load(open(sys.argv[3])))
        """

    func validate(_ value: some Encodable, against schema: String) throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("report.json", try CanonicalJSON.encode(value))
        let run = try #require(ExternalTool.python3).run([
            "-c", Self.script, LabServer.repositoryRoot + "/Schemas", schema, path,
        ])
        #expect(run.status == 0, "\(run.error)")
    }

    @Test func diffReportMatchesItsSchema() async throws {
        let report = try await ScenarioDiffTests().report(suspectKeys: [ScenarioDiffTests.leaked])
        #expect(!report.findings.isEmpty && !report.actors.isEmpty)
        try validate(report, against: "diff.schema.json")
    }

    @Test func huntReportMatchesItsSchema() async throws {
        let log = await Fixtures.log([
            "stratus/aws.persistence.iam-create-admin-user.json", "stratus/aws.persistence.sts-federation-token.json",
        ])
        let report = DiffEngine.hunt(events: log)
        #expect(!report.findings.isEmpty)
        try validate(report, against: "findings.schema.json")
    }

    @Test func findingsSchemaNamesEveryRule() throws {
        let data = try Data(
            contentsOf: URL(fileURLWithPath: LabServer.repositoryRoot + "/Schemas/findings.schema.json"))
        let text = try #require(String(data: data, encoding: .utf8))
        let missing = Rule.all.map(\.id.rawValue).filter { !text.contains("\"\($0)\"") }
        #expect(missing.isEmpty, "rules missing from Schemas/findings.schema.json: \(missing)")
    }
}
