import CustodyJSON
import CustodyTestSupport
import Diff
import Evidence
import EvidenceArchive
import Foundation
import Testing
import EvidenceReading

/// CloudTrail written to break the rules' arithmetic: records without `eventTime`, durations far
/// beyond any integer. Hunting over them must neither trap nor date anything to the dawn of time.
@Suite struct HostileCloudTrailTests {
    static let account = "111122223333"
    static let key = "AKIAHOSTILE000000001"

    let folder: TemporaryFolder
    let caseFolder: CaseFolder
    let sealer: Sealer

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = CaseFolder(root: folder.file("case"))
        sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
    }

    /// Seals `lines` (JSON Lines of records, as written) as an imported file.
    func seal(_ lines: [String]) throws -> String {
        let member = SealMember(
            path: "cloudtrail/imported/hostile.jsonl",
            source: .bytes(Array((lines.joined(separator: "\n") + "\n").utf8)))
        let time = Date(timeIntervalSince1970: 1_790_000_000)
        return try sealer.seal(
            SealRequest(
                account: Self.account, kind: .cloudTrail, members: [member],
                collector: Manifest.Collector(version: "test"), startedAt: time, finishedAt: time)
        ).archivePath
    }

    /// A record as text, `eventTime` removed when `timed` is false and `durationSeconds` written
    /// exactly as `duration` (a JSON number or string, as it appears in the file).
    static func record(
        _ maker: inout RecordMaker, _ name: String, source: String = "iam.amazonaws.com", error: String? = nil,
        duration: String? = nil, caller: JSONValue = RecordMaker.user("mallory", key: key), timed: Bool = true
    ) -> String {
        let request: JSONValue =
            duration == nil
            ? .null
            : [
                "roleArn": "arn:aws:iam::111122223333:role/admin", "roleSessionName": "s",
                "durationSeconds": "DURATION",
            ]
        var value = maker.record(name, source: source, identity: caller, request: request, error: error)
        if !timed, case .object(var members) = value {
            members["eventTime"] = nil
            value = .object(members)
        }
        return value.description.replacingOccurrences(of: #""DURATION""#, with: duration ?? "null")
    }

    /// Every way a record in a sealed archive has been seen to trap the rules.
    static func hostileLines() -> [String] {
        var maker = RecordMaker(account: account)
        var lines: [String] = []
        // Denied calls and discovery calls of one key, the first of each without a time: the burst
        // rules once took a window from `Int64.min`.
        lines.append(record(&maker, "ListUsers", error: "AccessDenied", timed: false))
        for name in ["ListRoles", "ListGroups", "ListPolicies", "GetUser", "ListAccessKeys"] {
            lines.append(record(&maker, name, error: "AccessDenied"))
        }
        lines.append(record(&maker, "DescribeInstances", source: "ec2.amazonaws.com", timed: false))
        for name in ["ListBuckets", "GetCallerIdentity", "ListUsers", "ListRoles", "GetAccountSummary", "ListGroups"] {
            lines.append(record(&maker, name))
        }
        // Durations no integer holds, as a number and as a string.
        let foreign = RecordMaker.user("outsider", key: "AKIAOUTSIDER00000001", account: "999988887777")
        for duration in ["1e300", "-1e300", "1e999", #""9223372036854775807""#, #""-9223372036854775808""#] {
            lines.append(record(&maker, "GetSessionToken", source: "sts.amazonaws.com", duration: duration))
            lines.append(
                record(&maker, "AssumeRole", source: "sts.amazonaws.com", duration: duration, caller: foreign))
            lines.append(
                record(
                    &maker, "AssumeRole", source: "sts.amazonaws.com", duration: duration, caller: foreign,
                    timed: false))
        }
        // A role planted and assumed without times.
        lines.append(record(&maker, "CreateRole", timed: false))
        return lines
    }

    @Test func huntOverRecordsWithoutTimesAndHugeDurationsFindsWithoutTrapping() async throws {
        let archive = try seal(Self.hostileLines())
        let report = try await EvidenceReader(trust: TrustStore()).hunt([archive], suspectKeys: [Self.key])
        #expect(report.eventCount == Self.hostileLines().count)
        // The bursts are found from the timed calls alone: an untimed call is in no window.
        let denied = try #require(report.findings.first { $0.rule == .deniedBurst })
        #expect(denied.relatedEvents.count == 5)
        #expect(denied.relatedEvents.allSatisfy { $0.eventTime != nil })
        let discovery = try #require(report.findings.first { $0.rule == .enumeration })
        #expect(discovery.relatedEvents.allSatisfy { $0.eventTime != nil })
        // Absurd durations give an exposure that ends when time itself can be written, never a trap.
        let sessions = report.findings.filter { $0.rule == .sessionTokenIssued }
        #expect(sessions.count == 5)
        for session in sessions {
            let exposure = try #require(session.exposure)
            #expect(exposure.issuedAt.hasPrefix("20"))
            if let seconds = exposure.durationSeconds { #expect(seconds >= 0) }
        }
        // An untimed AssumeRole is judged, but has no exposure window: it was issued at no known time.
        let assumed = report.findings.filter { $0.rule == .roleAssumedBySuspect }
        #expect(assumed.count == 10)
        #expect(assumed.filter { $0.exposure == nil }.count == 5)
        for finding in report.findings {
            #expect(finding.exposure.map { !$0.issuedAt.hasPrefix("-") && !$0.issuedAt.hasPrefix("0") } ?? true)
        }
    }

    @Test func diffEngineHuntsTheSameRecordsReadFromFiles() async throws {
        let path = try folder.write("hostile.jsonl", Array((Self.hostileLines().joined(separator: "\n") + "\n").utf8))
        let log = await EventLog.read(files: [path], account: Self.account)
        let report = DiffEngine.hunt(events: log, suspectKeys: [Self.key])
        #expect(report.eventCount == Self.hostileLines().count)
        #expect(report.findings.contains { $0.rule == .deniedBurst })
    }
}
