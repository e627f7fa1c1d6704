import Diff

/// The verdict paragraph: what happened, in words a manager can act on, from the report's own data.
enum Verdict {
    static func text(_ report: IncidentReport) -> String {
        var sentences: [String] = []
        let accounts =
            report.accounts.count == 1
            ? "Account \(report.accounts[0])" : "Accounts \(report.accounts.joined(separator: ", "))"
        let span = [report.window.firstEvent, report.window.lastEvent].compactMap { $0 }
        let during = span.count == 2 ? " between \(span[0]) and \(span[1])" : ""
        let counts = report.severityCounts
        if counts.total == 0 && report.actors.isEmpty {
            sentences.append(
                "\(accounts): no finding in \(report.eventCount) CloudTrail events\(during). The evidence read shows no persistence and no misuse by the keys followed; it says nothing about time outside the window covered."
            )
        } else {
            sentences.append(
                "\(accounts): \(counts.high) high, \(counts.medium) medium and \(counts.low) low findings from \(report.eventCount) CloudTrail events\(during)."
            )
        }
        if !report.actors.isEmpty {
            let keys = Array(Set(report.actors.flatMap(\.seeds))).sorted()
            let ips = Array(Set(report.actors.flatMap(\.sourceIPAddresses))).sorted()
            var sentence =
                "\(report.actors.count) suspect actor\(report.actors.count == 1 ? "" : "s") (\(report.actors.map(\.id).joined(separator: ", ")))"
            if !keys.isEmpty {
                sentence += " used the key\(keys.count == 1 ? "" : "s") \(keys.joined(separator: ", "))"
            }
            if !ips.isEmpty {
                sentence +=
                    " from \(ips.prefix(5).joined(separator: ", "))\(ips.count > 5 ? " and \(ips.count - 5) more addresses" : "")"
            }
            if let start = report.window.attackStart { sentence += ", first seen \(start)" }
            sentences.append(sentence + ".")
        }
        let persistence = Array(Set(report.findings.filter { $0.severity == .high }.map { ruleTitle($0) }))
            .sorted()
        if !persistence.isEmpty {
            sentences.append(
                "High findings: \(persistence.prefix(8).joined(separator: "; "))\(persistence.count > 8 ? " and \(persistence.count - 8) more kinds" : "")."
            )
        }
        let containment = report.timeline.filter { $0.phase == .containment }
        if let first = containment.first {
            sentences.append(
                "The responder's containment began at \(first.time) (\(containment.count) action\(containment.count == 1 ? "" : "s") recorded)."
            )
        } else if counts.high > 0 {
            sentences.append(
                "No containment action is recorded yet: work through the containment checklist, disabling rather than deleting keys."
            )
        }
        let failed = report.evidence.filter { !$0.ok }.count
        sentences.append(
            failed == 0
                ? "All \(report.evidence.count) archives verified."
                : "\(failed) of \(report.evidence.count) archives do not verify and were left out; see the evidence index."
        )
        return sentences.joined(separator: " ")
    }

    /// A rule's short title, as in `TECHNIQUES.md` (no attacker-chosen names).
    static func ruleTitle(_ finding: Finding) -> String {
        Rule.all.first { $0.id == finding.rule }?.title ?? finding.rule.rawValue
    }
}
