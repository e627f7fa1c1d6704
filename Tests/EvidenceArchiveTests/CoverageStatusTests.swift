import Foundation
import Testing
@testable import EvidenceArchive

/// Coverage and CloudTrail windows share one status: the four values the schema allows, spelled in
/// the JSON exactly as before, and nothing else.
@Suite struct CoverageStatusTests {
    /// A version 2 manifest as Custody signs it (canonical JSON), with every status in both places.
    static let signedManifest = [
        #"{"account":"111122223333","caseId":"0f3c2a9e-5d41-4b8e-9c7a-2e6f1b3d4a58","#,
        #""chain":{"previous":{"manifestSHA256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","#,
        #""name":"000001-20261128T010000Z.tar","signature":"c2lnbmF0dXJl"},"sequence":2},"#,
        #""cloudTrailWindow":{"from":"2026-11-28T01:00:00Z","to":"2026-11-29T01:00:00Z"},"#,
        #""cloudTrailWindows":[{"error":"Throttling","region":"eu-west-1","#,
        #""requested":{"from":"2026-11-28T01:00:00Z","to":"2026-11-29T01:00:00Z"},"#,
        #""settledUntil":"2026-11-29T00:50:00Z","since":"2026-11-28T12:00:00Z","source":"lookup","#,
        #""status":"partial","until":"2026-11-29T01:00:00Z"},{"region":"us-east-1","#,
        #""requested":{"from":"2026-11-28T01:00:00Z","to":"2026-11-29T01:00:00Z"},"#,
        #""settledUntil":"2026-11-29T00:50:00Z","since":"2026-11-28T01:00:00Z","source":"lookup","#,
        #""status":"complete","until":"2026-11-29T01:00:00Z"},{"error":"ListObjectsV2: AccessDenied","#,
        #""region":"eu-west-1","requested":{"from":"2026-11-28T01:00:00Z","to":"2026-11-29T01:00:00Z"},"#,
        #""source":"s3","status":"denied"},{"error":"no trail of the account delivers to S3","#,
        #""region":"us-east-1","requested":{"from":"2026-11-28T01:00:00Z","to":"2026-11-29T01:00:00Z"},"#,
        #""source":"s3","status":"failed"}],"collector":{"accessKeyId":"AKIAQX2KT5RESPONDER1","#,
        #""callerArn":"arn:aws:iam::111122223333:user/responder","tool":"custody","version":"0.1.0"},"#,
        #""coverage":[{"error":"1 of 4 calls failed; first: Throttling","item":"LookupEvents","#,
        #""region":"eu-west-1","source":"cloudtrail","status":"partial"},{"error":"AccessDenied","#,
        #""item":"ListObjectsV2","region":"eu-west-1","source":"cloudtrail-s3","status":"denied"},"#,
        #"{"error":"interrupted before the collection finished; what is here is incomplete","#,
        #""item":"collection","source":"custody","status":"failed"},{"item":"ListUsers","source":"iam","#,
        #""status":"complete"}],"finishedAt":"2026-11-29T01:05:00Z","format":"custody-manifest","#,
        #""kind":"evidence","members":[{"path":"custody.json","#,
        #""sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":52},"#,
        #"{"path":"snapshot/account.json","#,
        #""sha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","size":200}],"#,
        #""regions":["eu-west-1","us-east-1"],"signer":{"algorithm":"ed25519","#,
        #""fingerprint":"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"},"#,
        #""startedAt":"2026-11-29T01:00:00Z","version":2}"#,
    ].joined()

    static func canonical(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: Manifest.CoverageStatus.allCases)
    func decodesEachStatusTheSchemaAllows(status: Manifest.CoverageStatus) throws {
        let json = #"{"item":"ListUsers","source":"iam","status":"\#(status.rawValue)"}"#
        let entry = try JSONDecoder().decode(Manifest.CoverageEntry.self, from: Data(json.utf8))
        #expect(entry.status == status)
        #expect(try Self.canonical(entry) == json)
    }

    @Test func spellsTheStatusesAsTheSchemaDoes() {
        #expect(Manifest.CoverageStatus.allCases.map(\.rawValue) == ["complete", "partial", "failed", "denied"])
        #expect("\(Manifest.CoverageStatus.denied)" == "denied")
    }

    @Test func rejectsAStatusOutsideTheSchema() {
        let json = #"{"item":"ListUsers","source":"iam","status":"skipped"}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Manifest.CoverageEntry.self, from: Data(json.utf8))
        }
    }

    @Test func signedManifestDecodesAndEncodesToTheSameBytes() throws {
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(Self.signedManifest.utf8))
        #expect(manifest.kind == .evidence)
        #expect(manifest.coverage.map(\.status) == [.partial, .denied, .failed, .complete])
        #expect(manifest.cloudTrailWindows?.map(\.status) == [.partial, .complete, .denied, .failed])
        #expect(try Self.canonical(manifest) == Self.signedManifest)
    }
}
