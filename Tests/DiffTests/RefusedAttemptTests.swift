import CustodyJSON
import CustodyTestSupport
@testable import Diff
import Testing

/// A denied call of a rule about what calls make is a low attempt: seen in a hunt, not an alert
/// on its own, raised when a suspect made it; a call refused for another reason is nothing.
@Suite struct RefusedAttemptTests {
    static let mallory = RecordMaker.user("mallory", key: "AKIAMALLORY000000001")

    func hunt(_ records: [JSONValue], suspects: [String] = []) async throws -> [Finding] {
        let folder = try TemporaryFolder()
        let log = try await Fixtures.log(records: records, folder: folder)
        return DiffEngine.hunt(events: log, suspectKeys: suspects).findings
    }

    func createAccessKey(_ maker: inout RecordMaker, error: String) -> JSONValue {
        maker.record(
            "CreateAccessKey", source: "iam.amazonaws.com", identity: Self.mallory, request: ["userName": "bob"],
            error: error)
    }

    @Test func aDeniedCallIsALowAttemptNamingItsTargetAndCaller() async throws {
        var maker = RecordMaker()
        let findings = try await hunt([createAccessKey(&maker, error: "AccessDenied")])
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.rule == .accessKeyCreated && finding.severity == .low)
        #expect(finding.title == "Refused attempt: CreateAccessKey of bob (AccessDenied)")
        #expect(finding.entity.id == "AKIAMALLORY000000001")
        #expect(finding.details["attempt"] == "true" && finding.details["errorCode"] == "AccessDenied")
        #expect(finding.details["target"] == "bob")
    }

    @Test func aCallRefusedForAnotherReasonIsNothing() async throws {
        var maker = RecordMaker()
        #expect(try await hunt([createAccessKey(&maker, error: "LimitExceededException")]).isEmpty)
    }

    @Test func aSuspectsDeniedCallIsRaisedToMediumOnly() async throws {
        var maker = RecordMaker()
        let findings = try await hunt(
            [createAccessKey(&maker, error: "AccessDenied")], suspects: ["AKIAMALLORY000000001"])
        let finding = try #require(findings.first { $0.rule == .accessKeyCreated })
        #expect(finding.severity == .medium && finding.actor != nil)
    }

    @Test func aRuleThatJudgesItsOwnAttemptsKeepsItsFinding() async throws {
        var maker = RecordMaker()
        let findings = try await hunt([
            maker.record(
                "StopLogging", source: "cloudtrail.amazonaws.com", identity: Self.mallory, request: ["name": "main"],
                error: "AccessDenied")
        ])
        #expect(findings.count == 1)
        #expect(
            findings.first?.severity == .medium && findings.first?.title.hasPrefix("Attempt to stop logging") == true)
    }

    @Test func aDeniedContainmentIsNoAttempt() async throws {
        var maker = RecordMaker()
        let findings = try await hunt([
            maker.record(
                "DeleteAccessKey", source: "iam.amazonaws.com", identity: Self.mallory,
                request: ["userName": "bob", "accessKeyId": "AKIABOB0000000000001"], error: "AccessDenied")
        ])
        #expect(findings.isEmpty, "\(findings.map(\.title))")
    }
}
