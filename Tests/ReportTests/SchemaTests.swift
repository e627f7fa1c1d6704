import CustodyTestSupport
import Foundation
import Testing

@testable import Report

/// Whether python3 with jsonschema is here.

/// findings.json and each line of timeline.jsonl are what `Schemas/` says, checked with python's jsonschema.
@Suite
struct SchemaTests {
    static let script = """
        import json, sys, jsonschema, referencing
        root = sys.argv[1]
        names = ("findings.schema.json", "report-findings.schema.json", "timeline.schema.json")
        schemas = {n: json.load(open(root + "/" + n)) for n in names}
        registry = referencing.Registry().with_resources(
            [(s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values()])
        validator = jsonschema.Draft202012Validator(schemas[sys.argv[2]], registry=registry)
        text = open(sys.argv[3]).read()
        documents = [json.loads(l) for l in text.split("\\n") if l] if sys.argv[3].endswith(".jsonl") else [json.loads(text)]
        for document in documents:
            validator.validate(document)
        print(len(documents))
        """

    func validate(_ file: ReportFile, against schema: String) throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(file.name, file.bytes)
        let root = ImportedCloudTrailTests.repositoryRoot + "/Schemas"
        let run = try #require(ExternalTool.python3).run(["-c", Self.script, root, schema, path])
        #expect(run.status == 0, "\(run.error)")
    }

    @Test func findingsAndTimelineMatchTheirSchemas() async throws {
        for report in [
            try await BuilderTests.scenarioReport(try Scenario()), try await ImportedCloudTrailTests.report(),
            SyntheticReport.make(), try await IncompleteEventsReportTests.report(),
            try await SeverityAndAttributionReportTests.report(),
        ] {
            let files = try report.render([.json, .timesketch])
            try validate(files[0], against: "report-findings.schema.json")
            try validate(files[1], against: "timeline.schema.json")
        }
    }
}
