import EvidenceReading
import Foundation
import Testing

@testable import Report

/// The Athena condition that leaves out the collector's calls marks the same calls `EventLog` does.
@Suite struct CollectorConditionTests {
    @Test(arguments: [
        "custody", "custody/0.1.0 collect", "[custody/0.1.0 collect]", "[custody]", "custodyx/1.0", "xcustody/1.0",
        "aws-cli/2.15.30 custody/1.0", "Custody/1.0", "", "[custody", "custody]",
    ])
    func theUserAgentPatternAgreesWithTheCollectorsTest(agent: String) throws {
        // Athena's regexp_like finds the pattern anywhere, as NSRegularExpression's firstMatch does.
        let pattern = try NSRegularExpression(pattern: CollectorCondition.userAgentPattern)
        let matches = pattern.firstMatch(in: agent, range: NSRange(agent.startIndex..., in: agent)) != nil
        #expect(matches == CollectorSpan.isCustodyAgent(agent))
    }

    @Test func overlappingCollectionsOfOneIdentityMakeOneTimeRange() throws {
        let spans = [
            CollectorSpan(accessKeyId: "AKIAONE", principal: nil, startedAt: 1_000_000, finishedAt: 1_000_600),
            CollectorSpan(accessKeyId: "AKIAONE", principal: nil, startedAt: 1_000_700, finishedAt: 1_000_800),
            CollectorSpan(accessKeyId: "AKIAONE", principal: nil, startedAt: 2_000_000, finishedAt: 2_000_000),
        ]
        let lines = try #require(CollectorCondition.lines(spans))
        #expect(
            lines == [
                "NOT coalesce(",
                #"    regexp_like(useragent, '^\[?custody(/|\]|$)')"#,
                "    AND (",
                "        (useridentity.accesskeyid = 'AKIAONE'",
                "            AND (eventtime BETWEEN '1970-01-12T13:41:40Z' AND '1970-01-12T14:05:00Z'"
                    + " OR eventtime BETWEEN '1970-01-24T03:28:20Z' AND '1970-01-24T03:38:20Z'))",
                "    ),",
                "    false)",
            ])
    }

    @Test func eachIdentityHasItsOwnTimes() throws {
        let spans = [
            CollectorSpan(accessKeyId: "AKIATWO", principal: "arn:aws:iam::2:user/c", startedAt: 0, finishedAt: 60),
            CollectorSpan(accessKeyId: "AKIAONE", principal: "arn:aws:iam::1:user/c", startedAt: 600, finishedAt: 660),
        ]
        let lines = try #require(CollectorCondition.lines(spans))
        #expect(
            Array(lines[3..<7]) == [
                "        ((useridentity.accesskeyid = 'AKIAONE' OR useridentity.arn = 'arn:aws:iam::1:user/c')",
                "            AND eventtime BETWEEN '1970-01-01T00:05:00Z' AND '1970-01-01T00:16:00Z')",
                "        OR ((useridentity.accesskeyid = 'AKIATWO' OR useridentity.arn = 'arn:aws:iam::2:user/c')",
                "               AND eventtime BETWEEN '1969-12-31T23:55:00Z' AND '1970-01-01T00:06:00Z')",
            ])
    }

    @Test func quotesInAnIdentityAreDoubled() throws {
        let spans = [
            CollectorSpan(accessKeyId: nil, principal: "arn:aws:iam::1:user/o'brien", startedAt: 0, finishedAt: 60)
        ]
        let lines = try #require(CollectorCondition.lines(spans))
        #expect(lines.contains { $0.contains("useridentity.arn = 'arn:aws:iam::1:user/o''brien'") })
    }

    @Test func noConditionWhenNoCollectionHasAnIdentityAndATime() {
        #expect(CollectorCondition.lines([]) == nil)
        #expect(
            CollectorCondition.lines([
                CollectorSpan(accessKeyId: nil, principal: nil, startedAt: 0, finishedAt: 60),
                CollectorSpan(accessKeyId: "AKIAONE", principal: nil, startedAt: nil, finishedAt: 60),
            ]) == nil)
    }
}
