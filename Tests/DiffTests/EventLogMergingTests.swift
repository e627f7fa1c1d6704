import CustodyTestSupport
@testable import Diff
import Foundation
import Testing
import EvidenceReading

/// Slices read in parallel are merged into one log: an event two slices hold is counted once,
/// events are in time order with the order of the slices kept within a second, every string means
/// the same in the whole as in its slice, and the collector's calls are marked.
@Suite struct EventLogMergingTests {
    static func record(_ id: String, second: Int, account: String = "111122223333", key: String = "AKIAUSER") -> String
    {
        #"{"eventVersion":"1.09","eventTime":"2026-05-01T10:00:\#(String(format: "%02d", second))Z","eventSource":"s3.amazonaws.com","eventName":"Call-\#(id)","awsRegion":"us-east-1","eventID":"\#(id)","recipientAccountId":"\#(account)","userAgent":"\#(key == "AKIACOLLECTOR" ? "custody/1.0 collect" : "aws-cli/2.15")","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/u-\#(key)","accessKeyId":"\#(key)"}}"#
    }

    @Test func countsEachEventOnceInTimeOrder() async throws {
        let folder = try TemporaryFolder()
        // Slice a holds 1 to 4, slice b 3 to 6 (an overlap, as consecutive collections have), and
        // b also an event with a's id 1 from another account, which is another event.
        let a = try folder.write(
            "a.jsonl",
            Data(
                [("e1", 1), ("e2", 2), ("e3", 2), ("e4", 3)].map { Self.record($0, second: $1) }.joined(separator: "\n")
                    .utf8))
        let b = try folder.write(
            "b.jsonl",
            Data(
                ([("e3", 2), ("e4", 3), ("e5", 2), ("e6", 0)].map { Self.record($0, second: $1, key: "AKIACOLLECTOR") }
                    + [Self.record("e1", second: 1, account: "444455556666")]).joined(separator: "\n").utf8))
        let collection = CollectorSpan(
            accessKeyId: "AKIACOLLECTOR", principal: nil, startedAt: "2026-05-01T10:00:00Z",
            finishedAt: "2026-05-01T10:00:03Z")
        let log = await EventLog.read(
            files: [(a, "a.tar"), (b, "b.tar")], account: "111122223333", collectors: [collection])
        let references = (0..<log.count).map { log.reference(at: $0) }
        #expect(log.duplicates == 2)
        #expect(references.map(\.eventID) == ["e6", "e1", "e1", "e2", "e3", "e5", "e4"])
        #expect(
            references.map(\.account) == [
                "111122223333", "111122223333", "444455556666", "111122223333", "111122223333", "111122223333",
                "111122223333",
            ])
        // Strings of the second slice are re-numbered into the first's table.
        #expect(references.map(\.eventName) == references.map { "Call-\($0.eventID ?? "")" })
        #expect(
            references.map(\.accessKeyId) == [
                "AKIACOLLECTOR", "AKIAUSER", "AKIAUSER", "AKIAUSER", "AKIAUSER", "AKIACOLLECTOR", "AKIAUSER",
            ])
        #expect((0..<log.count).map { log.isCollector(at: $0) } == references.map { $0.accessKeyId == "AKIACOLLECTOR" })
        #expect(
            references.map { $0.evidence?.archive } == ["b.tar", "a.tar", "b.tar", "a.tar", "a.tar", "b.tar", "a.tar"])
        // The kept copy of e3 and e4 is the first slice's.
        #expect(references[4].evidence?.record == 3)
    }

    @Test func readsARNsAsSplittingThemWould() {
        let arns = [
            "arn:aws:iam::111122223333:role/path/name", "arn:aws:iam::111122223333:role/name/", "name", "", "/", "a//",
            "arn:aws:sts::111122223333:assumed-role/r/s", "arn:aws:iam:::", "arn:aws:iam::", "::::", "a:b:c:d:e",
            "a:b:c:d:e:f:g",
            "arn:aws:iam::東京:user/😀",
        ]
        for arn in arns {
            #expect(EventFacts.lastPathComponent(arn) == arn.split(separator: "/").last.map(String.init), "\(arn)")
            let account =
                arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
            #expect(EventFacts.accountOf(arn: arn) == account, "\(arn)")
        }
    }
}
