import Diff
import EvidenceReading

/// The eradication checks of the accounts whose snapshots were diffed, their results pointed at
/// the report's own findings (merged, without duplicates, and sorted again), their actors named as
/// the report names them, their archives relative to the case folder, and their revocation
/// policies given the report's time.
struct EradicationAssembly {
    private struct Entry {
        var check: Eradication
        /// The diff's findings, which the check's results name by position.
        var findings: [Finding]
    }

    private var entries: [Entry] = []

    /// Keeps the check of a diff, if it has one.
    mutating func add(_ report: DiffReport) {
        guard let check = report.eradication else { return }
        entries.append(Entry(check: check, findings: report.findings))
    }

    /// The checks, one per account, for the report's `findings`.
    /// - Parameters:
    ///   - key: what makes two findings the same one (`ReportAssembly`'s duplicate key).
    ///   - actorID: the report's id of an actor of an account.
    ///   - caseRoot: the case folder, which archive paths are made relative to.
    ///   - generatedAt: the report's time, put into revocation policies.
    func finish(
        findings: [Finding], key: (Finding) -> String, actorID: (String, String) -> String, caseRoot: String,
        generatedAt: String
    ) -> [Eradication] {
        var position: [String: Int] = [:]
        for (index, finding) in findings.enumerated() where position[key(finding)] == nil {
            position[key(finding)] = index
        }
        return entries.map { entry in
            var check = entry.check
            check.archive = check.archive.map { EvidenceIndex.relative($0, to: caseRoot) }
            for i in check.results.indices {
                var result = check.results[i]
                result.finding = result.finding.flatMap {
                    entry.findings.indices.contains($0) ? position[key(entry.findings[$0])] : nil
                }
                result.actor = result.actor.map { actorID($0, check.account) }
                if var pointer = result.evidence {
                    pointer.archive = EvidenceIndex.relative(pointer.archive, to: caseRoot)
                    result.evidence = pointer
                }
                let pinned = Containment(advice: result.reason, commands: result.commands)
                    .revokingSessions(issuedBefore: generatedAt)
                (result.reason, result.commands) = (pinned.advice, pinned.commands)
                check.results[i] = result
            }
            return check
        }
        .sorted { $0.account < $1.account }
    }
}

extension ReportAssembly {
    /// What makes two findings of the analyses one: the same rule, account, entity and event.
    static func duplicateKey(_ finding: Finding) -> String {
        [
            finding.rule.rawValue, finding.account, finding.entity.kind.rawValue, finding.entity.id,
            finding.event?.eventID ?? "",
        ]
        .joined(separator: "|")
    }
}
