import Diff

@testable import Report
import EvidenceReading

/// A report made by hand, every event field an attacker chooses filled with markup, table pipes,
/// backticks, newlines and control characters.
enum SyntheticReport {
    static let script = "<script>alert('x')</script>"
    static let image = "<img src=x onerror=alert(1)>"
    static let pipes = "a|b||c"
    static let ticks = "``code`` and `x`"
    static let newline = "line one\nline two\r\n# not a heading"
    static let ansi = "\u{1b}[31mred\u{1b}[0m"
    static let bidi = "user\u{202e}gpj.exe"
    static let separator = "para\u{2028}graph"
    /// What a spreadsheet would run as a formula.
    static let formula = "=cmd|' /C calc'!A0"
    static var hostile: [String] { [script, image, pipes, ticks, newline, ansi, bidi, separator] }
    /// Every hostile string joined, as one field.
    static var all: String { hostile.joined(separator: " ") }

    static func make() -> IncidentReport {
        let event = EventReference(
            eventID: "e-1", eventTime: "2026-11-29T01:02:03Z", eventSource: "iam.amazonaws.com",
            eventName: "CreateUser", region: "us-east-1",
            principal: "arn:aws:iam::111122223333:user/\(image)", principalType: "IAMUser",
            accessKeyId: "AKIAEXAMPLE000000001",
            sourceIPAddress: "203.0.113.9", userAgent: all, account: "111122223333")
        let finding = Finding(
            rule: .userCreated, title: "IAM user \(script) created", severity: .high,
            reason: "Made by \(pipes) with \(ticks).",
            basis: .cloudTrailOnly, account: "111122223333", region: "us-east-1",
            entity: EntityReference(kind: .user, id: "AIDA\(ansi)", name: newline), event: event, actor: "actor-1",
            containment: Containment(
                advice: "Delete the login profile of \(bidi).",
                commands: ["aws iam delete-login-profile --user-name '\(image)'", "echo \(ticks)"]))
        let second = Finding(
            rule: .newSource, title: "Key used from \(separator)", severity: .medium, reason: "New source.",
            basis: .cloudTrailOnly,
            account: "111122223333", entity: EntityReference(kind: .accessKey, id: "AKIAEXAMPLE000000001"),
            containment: Containment(advice: "Check the source."))
        let rows = Phase.allCases.enumerated().map { i, phase in
            TimelineEntry(
                time: "2026-11-29T01:0\(i):03Z", account: "111122223333",
                actor: phase == .containment ? "responder" : "actor-1", phase: phase,
                principal: event.principal, accessKeyId: "AKIAEXAMPLE000000001", sourceIPAddress: "203.0.113.9",
                vpcEndpointId: i == 2 ? "vpce-\(pipes)" : nil,
                region: "us-east-1", eventSource: "iam.amazonaws.com", eventName: i == 0 ? script : "CreateUser",
                target: "userName=\(all)",
                errorCode: i == 1 ? "AccessDenied" : nil, userAgent: all, eventID: "e-\(i)",
                findings: i == 0 ? ["iam.user.created"] : [],
                findingIds: i == 0 ? [ExportedFinding.ids([finding, second])[0]] : [],
                findingTitle: i == 0 ? finding.title : nil,
                evidence: "111122223333/000001-20261129T010203Z.tar cloudtrail/x.json:1")
        }
        var report = IncidentReport(
            title: "Incident report: account 111122223333", generatedAt: "2026-11-29T02:00:00Z",
            caseFolder: "/cases/\(pipes)",
            accounts: ["111122223333"], suspectKeys: ["AKIAEXAMPLE000000001"],
            window: ReportWindow(
                from: "2026-11-28T00:00:00Z", to: "2026-11-29T02:00:00Z", firstEvent: "2026-11-29T01:00:03Z",
                lastEvent: "2026-11-29T01:07:03Z", attackStart: "2026-11-29T01:00:03Z"),
            severityCounts: SeverityCounts([finding, second]),
            analyses: [
                AccountAnalysis(
                    account: "111122223333", method: .cloudTrailHunt, archives: 1, eventCount: 9, findingCount: 2)
            ],
            findings: [finding, second], containment: ReportAssembly.containment([finding, second]),
            actors: [
                ActorSummary(
                    id: "actor-1", account: "111122223333", seeds: ["AKIAEXAMPLE000000001"],
                    credentials: ["AKIAEXAMPLE000000001 (suspect)"],
                    principals: [event.principal!], sourceIPAddresses: ["203.0.113.9"], vpcEndpoints: [],
                    userAgents: [all], regions: ["us-east-1"],
                    firstSeen: "2026-11-29T01:00:03Z", lastSeen: "2026-11-29T01:05:03Z", eventCount: 6)
            ],
            timeline: rows,
            keyUsage: [
                KeyUsage(
                    accessKeyId: "AKIAEXAMPLE000000001", actor: "actor-1", isCollector: false,
                    principals: [event.principal!], firstSeen: "2026-11-29T01:00:03Z",
                    lastSeen: "2026-11-29T01:05:03Z", sourceIPAddresses: ["203.0.113.9"], vpcEndpoints: [],
                    userAgents: [all], regions: ["us-east-1"],
                    eventCount: 6, errorCount: 1)
            ],
            regions: [
                RegionActivity(
                    region: "us-east-1", eventCount: 5, actorEventCount: 5, errorCount: 1,
                    firstSeen: nil, lastSeen: nil, neverUsedBefore: false),
                RegionActivity(
                    region: "sa-\(script)", eventCount: 1, actorEventCount: 1, errorCount: 0,
                    firstSeen: nil, lastSeen: nil, neverUsedBefore: true, reason: "first use"),
            ],
            queries: [
                QueryTable(
                    id: "events-by-identity", title: "Calls by identity", purpose: "Who.",
                    sql: "SELECT useridentity.arn FROM cloudtrail_logs", columns: ["useridentity.arn", "who", "calls"],
                    rows: [[event.principal!, "actor-1", "6"], [all, "", "1"]], totalRows: 3)
            ],
            activity: ActivitySeries(
                start: "2026-11-29T01:00:00Z", bucketSeconds: 60,
                series: [
                    .init(label: "actor-1", counts: [1, 1, 1, 1, 1, 0]),
                    .init(label: "responder", counts: [0, 0, 0, 0, 0, 1]),
                ]),
            evidence: [
                EvidenceEntry(
                    path: "111122223333/000001-20261129T010203Z.tar", account: "111122223333", sequence: 1,
                    kind: .cloudTrail, manifestSHA256: String(repeating: "a", count: 64),
                    signerFingerprint: String(repeating: "b", count: 64), ok: false, problems: ["member-changed"],
                    problemMessages: ["member \(script) changed"],
                    coverageGaps: ["guardduty sa-east-1 ListFindings: denied (\(image))"])
            ],
            eventCount: 9, collectorEventCount: 1, notes: ["A note about \(newline)."])
        report.indicators = [
            Indicator(
                kind: .accessKeyId, value: "AKIAEXAMPLE000000001", firstSeen: "2026-11-29T01:00:03Z",
                lastSeen: "2026-11-29T01:05:03Z", sources: ["actor-1", "F1"]),
            Indicator(
                kind: .ipv4, value: "203.0.113.9", firstSeen: "2026-11-29T01:00:03Z", lastSeen: "2026-11-29T01:05:03Z",
                sources: ["actor-1"]),
            Indicator(
                kind: .userAgent, value: all, firstSeen: "2026-11-29T01:00:03Z", lastSeen: "2026-11-29T01:05:03Z",
                sources: ["actor-1"]),
            Indicator(kind: .arn, value: formula, firstSeen: "2026-11-29T01:02:03Z", sources: ["F1"]),
        ]
        // Every event besides the rows: a collector's call, one of someone else, one without a time.
        let extras = [
            TimelineEntry(
                time: "2026-11-29T01:06:03Z", account: "111122223333", actor: "collector", phase: nil,
                principal: "arn:aws:iam::111122223333:user/\(script)", accessKeyId: "AKIACOLLECTOR0000001",
                sourceIPAddress: "198.51.100.10", region: "us-east-1", eventSource: "iam.amazonaws.com",
                eventName: "ListUsers", userAgent: all, eventID: "e-collector",
                evidence: "111122223333/000001-20261129T010203Z.tar cloudtrail/x.json:7"),
            TimelineEntry(
                time: "2026-11-29T01:07:03Z", account: "111122223333", actor: "other principals", phase: nil,
                principal: "arn:aws:iam::111122223333:user/\(bidi)", sourceIPAddress: ansi, region: pipes,
                eventSource: "ec2.amazonaws.com", eventName: ticks, target: newline, errorCode: separator,
                userAgent: all, eventID: "e-other",
                evidence: "111122223333/000001-20261129T010203Z.tar cloudtrail/x.json:8"),
            TimelineEntry(
                time: "", account: "111122223333", actor: "other principals", phase: nil,
                principal: "arn:aws:iam::111122223333:user/bob", eventName: "ListBuckets", eventID: "e-untimed",
                evidence: "111122223333/000001-20261129T010203Z.tar \(image):9"),
        ]
        report.events = TimelineEvents(rows + extras)
        report.eradication = [
            Eradication(
                account: "111122223333", archive: "111122223333/000002-\(pipes).tar", takenAt: "2026-11-29T01:30:00Z",
                results: [
                    EradicationResult(
                        status: .remains, account: "111122223333", rule: .userCreated, finding: 0, title: finding.title,
                        entity: finding.entity, actor: "actor-1",
                        reason: "User \(script) is still there, with \(ticks).",
                        commands: ["aws iam delete-login-profile --user-name '\(image)'"]),
                    EradicationResult(
                        status: .contained, account: "111122223333", title: "Access key of \(bidi) (suspect)",
                        entity: EntityReference(kind: .accessKey, id: "AKIA\(separator)", region: "sa-\(script)"),
                        actor: "actor-1", reason: "Inactive: \(newline) \(ansi)."),
                ])
        ]
        report.verdict = Verdict.text(report)
        report.summary = Summary.text(report)
        return report
    }
}
