import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// `custody version`: what `--version` says, plus the formats read and written.
@Suite struct VersionCommandTests {
    @Test func firstLineIsWhatDashDashVersionPrints() throws {
        let version = try CustodyBinary.run(["version"])
        let flag = try CustodyBinary.run(["--version"])
        #expect(version.status == 0 && flag.status == 0, "\(version.error)\(flag.error)")
        let first = version.text.split(separator: "\n").first.map(String.init)
        #expect(first == flag.text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(version.text.contains("writes custody-manifest version \(Manifest.currentVersion)"))
    }

    @Test func printsJSONAsItsSchemaSays() throws {
        let run = try CustodyBinary.run(["version", "--json"])
        #expect(run.status == 0, "\(run.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any])
        let archive = try #require(object["archive"] as? [String: Any])
        #expect(archive["writes"] as? Int == Manifest.currentVersion)
        #expect(archive["reads"] as? [Int] == Array(Manifest.readableVersions))
        let folder = try TemporaryFolder()
        let printed = try folder.write("version.json", run.output)
        let check = try #require(ExternalTool.python3).run([
            "-c",
            "import json, sys, jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)",
            LabServer.repositoryRoot + "/Schemas/version.schema.json", printed,
        ])
        #expect(check.status == 0, "\(check.error)")
    }
}
