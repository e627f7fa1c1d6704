import CustodyJSON
import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

@testable import Collect

/// What `custody collect --json` prints: its keys, its nulls, and `Schemas/collect.schema.json`.
@Suite struct CollectionSummaryTests {
    static let sealed = CollectionSummary.Outcome(
        target: "prod", account: "111122223333", calls: 212, events: 40, complete: false, interrupted: false,
        coverageGaps: [
            .init(
                source: "guardduty", region: "sa-east-1", item: "ListDetectors", status: .denied, error: "AccessDenied"
            ),
            .init(source: "iam", item: "GetCredentialReport", status: .failed),
        ],
        archive: "case/111122223333/000001-20260921T141320Z.tar", manifestSHA256: String(repeating: "a", count: 64))
    static let failed = CollectionSummary.Outcome(
        target: "staging", calls: 0, events: 0, complete: false, interrupted: false, coverageGaps: [],
        error: "SignatureDoesNotMatch")
    static let summary = CollectionSummary(outcomes: [failed, sealed], interrupted: true)

    @Test func encodesEveryFieldWithSortedKeysAndNullsForAMissingRegionOrError() throws {
        let text = String(decoding: try CanonicalJSON.encode(Self.summary), as: UTF8.self)
        let expected =
            #"{"interrupted":true,"outcomes":[{"calls":0,"complete":false,"coverageGaps":[],"error":"SignatureDoesNotMatch","events":0,"interrupted":false,"target":"staging"},"#
            + #"{"account":"111122223333","archive":"case/111122223333/000001-20260921T141320Z.tar","calls":212,"complete":false,"#
            + #""coverageGaps":[{"error":"AccessDenied","item":"ListDetectors","region":"sa-east-1","source":"guardduty","status":"denied"},"#
            + #"{"error":null,"item":"GetCredentialReport","region":null,"source":"iam","status":"failed"}],"#
            + #""events":40,"interrupted":false,"manifestSHA256":"\#(String(repeating: "a", count: 64))","target":"prod"}]}"#
            + "\n"
        #expect(text == expected)
    }

    @Test func decodesWhatItEncodes() throws {
        let bytes = try CanonicalJSON.encode(Self.summary)
        #expect(try JSONDecoder().decode(CollectionSummary.self, from: Data(bytes)) == Self.summary)
    }

    @Test func takesEachOutcomeOfACollection() {
        let outcome = AccountOutcome(
            target: "lab", account: "222222222222",
            coverageGaps: [
                Manifest.CoverageEntry(source: "ec2", region: "us-east-1", item: "DescribeInstances", status: .partial)
            ],
            error: "the case folder cannot be used", callCount: 3, eventCount: 1, interrupted: true)
        let summary = CollectionSummary([outcome], interrupted: true)
        #expect(
            summary.outcomes == [
                .init(
                    target: "lab", account: "222222222222", calls: 3, events: 1, complete: false, interrupted: true,
                    coverageGaps: [
                        .init(source: "ec2", region: "us-east-1", item: "DescribeInstances", status: .partial)
                    ],
                    error: "the case folder cannot be used")
            ])
    }

    @Test func matchesItsSchema() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("collect.json", try CanonicalJSON.encode(Self.summary))
        let empty = try folder.write(
            "empty.json", try CanonicalJSON.encode(CollectionSummary(outcomes: [], interrupted: false)))
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for path in sys.argv[2:]:
                jsonschema.validate(json.load(open(path)), schema, cls=jsonschema.Draft202012Validator)
            print("valid", len(sys.argv) - 2)
            """
        let run = try #require(ExternalTool.python3).run(
            ["-c", script, LabServer.repositoryRoot + "/Schemas/collect.schema.json", path, empty])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.text == "valid 2\n")
    }
}
