import EvidenceArchive

/// Verifies every archive of the chosen accounts of a case, as `custody verify` does (the case
/// key trusted besides the request's signers), and says which archives may be read.
struct EvidenceIndex {
    /// Every archive, in account and sequence order.
    var entries: [EvidenceEntry] = []
    /// The absolute paths of the archives that verified, per account, in sequence order.
    var verified: [String: [(path: String, entry: EvidenceEntry)]] = [:]
    /// Problems of the case folder itself.
    var notes: [String] = []

    static func build(caseFolder: CaseFolder, accounts: [String], trust: TrustStore) throws -> EvidenceIndex {
        var index = EvidenceIndex()
        let verifier = Verifier(trust: trust)
        for account in accounts {
            let report: VerificationReport
            do {
                report = try verifier.verify(paths: [caseFolder.accountPath(account)])
            } catch {
                throw ReportError(
                    .evidenceUnreadable, "The archives of account \(account) cannot be read: \(error).",
                    remedy: "Check the case folder's permissions.", underlying: error)
            }
            for chain in report.chains {
                let chainProblems = chain.problems
                for problem in chainProblems
                where problem.archive == nil || !chain.archives.contains(where: { $0.path == problem.archive }) {
                    index.notes.append("Account \(account): \(problem.message)")
                }
                for archive in chain.archives {
                    var entry = Self.entry(archive, caseRoot: caseFolder.root)
                    for problem in chainProblems where problem.archive == archive.path {
                        entry.problems.append(problem.code.rawValue)
                        entry.problemMessages.append(problem.message)
                    }
                    entry.ok = entry.problems.isEmpty
                    entry.used = entry.ok && entry.kind != .report
                    index.entries.append(entry)
                    if entry.ok { index.verified[account, default: []].append((archive.path, entry)) }
                }
            }
        }
        return index
    }

    static func entry(_ archive: ArchiveVerification, caseRoot: String) -> EvidenceEntry {
        EvidenceEntry(
            path: relative(archive.path, to: caseRoot), account: archive.account, sequence: archive.sequence,
            kind: archive.kind,
            finishedAt: archive.finishedAt, manifestSHA256: archive.manifestSHA256,
            signerFingerprint: archive.signerFingerprint,
            signerTrustedBecause: archive.signerTrustedBecause,
            cloudTrailWindow: archive.cloudTrailWindow.map { "\($0.from)/\($0.to)" }, ok: archive.ok,
            problems: archive.problems.map(\.code.rawValue), problemMessages: archive.problems.map(\.message),
            coverageGaps: archive.coverageGaps.map { gap in
                let place = [gap.source, gap.region, gap.item].compactMap { $0 }.joined(separator: " ")
                return "\(place): \(gap.status)" + (gap.error.map { " (\($0))" } ?? "")
            })
    }

    /// `path` relative to `root` when it is inside it.
    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
