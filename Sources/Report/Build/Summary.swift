import CustodyJSON
import Diff

/// The report's opening: what happened, since when, which keys and accounts, what is still live at
/// the report's time, and what has been done, in three to five plain sentences built from the
/// report's own findings, actors, exposure windows and timeline.
enum Summary {
    static func text(_ report: IncidentReport) -> String {
        var sentences: [String] = []
        let accounts = list(report.accounts, noun: "account")
        let counts = report.severityCounts
        let kinds = Array(
            Set(report.findings.filter { $0.severity == .high && $0.effect == nil }.map(Verdict.ruleTitle))
        )
        .sorted()
        let keys = Array(Set(report.actors.flatMap(\.seeds))).sorted()
        let addresses = Array(Set(report.actors.flatMap(\.sourceIPAddresses))).sorted()
        if report.actors.isEmpty && counts.total == 0 {
            let span = [report.window.firstEvent, report.window.lastEvent].compactMap { $0 }
            sentences.append(
                "Nothing in the evidence read shows a compromise of \(accounts): no finding in \(report.eventCount) "
                    + "CloudTrail events" + (span.count == 2 ? " between \(span[0]) and \(span[1])" : "") + ".")
            sentences.append(
                "No key is known to be in other hands, so nothing needs containing as far as the evidence shows; it says "
                    + "nothing about time outside the window covered.")
        } else {
            var sentence =
                report.window.attackStart.map { "Since \($0), " } ?? "In the time the evidence covers, "
            if report.actors.isEmpty {
                sentence += "the evidence of \(accounts) holds"
            } else {
                sentence +=
                    (report.actors.count == 1 ? "an intruder" : "\(report.actors.count) suspect actors")
                    + (keys.isEmpty ? "" : " holding \(list(keys, noun: "key"))") + " acted in "
                    + list(Array(Set(report.actors.map(\.account))).sorted(), noun: "account")
                    + (addresses.isEmpty ? "" : " from \(limited(addresses, 5))") + ", with"
            }
            sentence += " \(counts.high) high and \(counts.medium) medium findings"
            if !kinds.isEmpty { sentence += " (\(limited(kinds, 4)))" }
            sentences.append(sentence + ".")
            if let used = credentialsSentence(report) { sentences.append(used) }
            sentences.append(liveSentence(report))
        }
        let containment = report.timeline.filter { $0.phase == .containment }
        if let first = containment.first {
            sentences.append(
                "The responder's containment began at \(first.time) (\(containment.count) action\(containment.count == 1 ? "" : "s") recorded); "
                    + "finish the steps under Do now that it has not covered.")
        } else if counts.high > 0 || !report.actors.isEmpty {
            sentences.append("No containment is recorded yet: start with Do now, disabling the keys first.")
        }
        let failed = report.evidence.filter { !$0.ok }.count
        if failed > 0 {
            sentences.append("\(failed) of \(report.evidence.count) archives do not verify and were left out.")
        } else if sentences.count < 3 {
            sentences.append("All \(report.evidence.count) archives verified.")
        }
        return sentences.joined(separator: " ")
    }

    /// Which credentials the actors used and which other accounts came in.
    static func credentialsSentence(_ report: IncidentReport) -> String? {
        guard !report.actors.isEmpty else { return nil }
        let credentials = report.actors.flatMap(\.credentials).map { String($0.prefix { $0 != " " }) }
        let longTerm = Array(Set(credentials.filter { !$0.hasPrefix("ASIA") })).sorted()
        let temporary = Set(credentials.filter { $0.hasPrefix("ASIA") }).count
        let principals = Array(Set(report.actors.flatMap(\.principals).map(shortName))).sorted()
        var sentence = "It acted as \(limited(principals, 5))"
        if !longTerm.isEmpty { sentence += " with the \(list(longTerm, noun: "access key"))" }
        if temporary > 0 {
            sentence +=
                "\(longTerm.isEmpty ? " with" : " and") \(temporary) temporary credential\(temporary == 1 ? "" : "s")"
        }
        let foreign = report.indicators.filter { $0.kind == .accountId }.map(\.value)
        if !foreign.isEmpty {
            sentence += "; other accounts that took part: \(limited(foreign, 8))"
        }
        return sentence + "."
    }

    /// What is still live at the report's time, as far as the evidence shows.
    static func liveSentence(_ report: IncidentReport) -> String {
        let now = UTCTimestamp(parsing: report.generatedAt)?.seconds
        let containment = report.timeline.filter { $0.phase == .containment }
        func contained(_ words: [String]) -> Bool {
            containment.contains { row in words.contains { !$0.isEmpty && (row.target ?? "").contains($0) } }
        }
        let keys = Array(
            Set(
                report.actors.flatMap(\.credentials).map { String($0.prefix { $0 != " " }) }.filter {
                    $0.hasPrefix("AKIA") && !contained([$0])
                })
        ).sorted()
        var sessions: [String] = []
        for window in report.actors.flatMap(\.exposures) {
            let end = window.expiresAt.flatMap { UTCTimestamp(parsing: $0)?.seconds }
            var expired = false
            if let now, let end { expired = end <= now }
            guard let key = window.accessKeyId, !expired, !sessions.contains(where: { $0.hasPrefix(key) }) else {
                continue
            }
            sessions.append(key + (window.expiresAt.map { " until \($0)" } ?? ""))
        }
        let removed = Set(
            report.findings.filter { $0.effect == .cleanUp }.map { "\($0.entity.kind.rawValue)|\($0.entity.id)" })
        var persistence: [String] = []
        for finding in report.findings where finding.effect == nil && finding.severity >= .medium {
            // Keys are named above, with the actors' other long-term keys.
            guard ContainmentPlan.stage(finding) == .removePersistence || finding.entity.kind == .instance,
                finding.entity.kind != .accessKey,
                !removed.contains("\(finding.entity.kind.rawValue)|\(finding.entity.id)"),
                !contained([finding.entity.id, finding.entity.name ?? ""])
            else { continue }
            let entity = ContainmentPlan.entity(finding.entity)
            if !persistence.contains(entity) { persistence.append(entity) }
        }
        var parts: [String] = []
        if !keys.isEmpty { parts.append("the \(list(keys, noun: "key")), not disabled") }
        if !sessions.isEmpty {
            parts.append(
                "\(sessions.count) temporary credential\(sessions.count == 1 ? "" : "s") not yet expired (\(limited(sessions, 4)))"
            )
        }
        if !persistence.isEmpty { parts.append("persistence not yet removed: \(limited(persistence, 6))") }
        guard !parts.isEmpty else {
            return "At the report's time (\(report.generatedAt)) nothing of the intruder's is still live as far as the "
                + "evidence shows: its keys were disabled, its sessions expired and what it made was removed."
        }
        return "Still live at the report's time (\(report.generatedAt)), as far as the evidence shows: "
            + parts.joined(separator: "; ") + "."
    }

    /// `user/alice` for an ARN, the text itself otherwise.
    static func shortName(_ arn: String) -> String {
        guard arn.hasPrefix("arn:"), let resource = arn.split(separator: ":", maxSplits: 5).last else { return arn }
        return String(resource)
    }

    /// "account 1", "accounts 1 and 2", "accounts 1, 2 and 3".
    static func list(_ items: [String], noun: String) -> String {
        (items.count == 1 ? noun : noun + "s") + " " + limited(items, 8)
    }

    /// Up to `limit` items in words, with how many more there are.
    static func limited(_ items: [String], _ limit: Int) -> String {
        let shown = Array(items.prefix(limit))
        let more = items.count - shown.count
        if more > 0 { return shown.joined(separator: ", ") + " and \(more) more" }
        guard shown.count > 1, let last = shown.last else { return shown.first ?? "" }
        return shown.dropLast().joined(separator: ", ") + " and " + last
    }
}
