import CustodyErrors
import Diff
import EvidenceArchive
import EvidenceReading
import Foundation

/// Makes an `IncidentReport` from a case folder: verifies every archive, diffs each account's
/// oldest and newest evidence archives (or the two the request names), hunts the CloudTrail of
/// accounts with no such pair, and reads every event of the slices for the tables.
///
/// Only archives that verify are read; the others are listed in the evidence index with their
/// problems. The collector's own calls are counted as the collector's and never shown as an
/// intruder's.
public enum ReportBuilder {
    /// Timeline rows kept at most; reconnaissance without findings is left out first.
    static let timelineLimit = 3000

    /// Builds the report.
    /// - Throws: `ReportError` saying what to do: not a case folder, an unknown account, a wrong
    ///   baseline/current pair, nothing that verifies, or evidence that cannot be read.
    public static func build(_ request: ReportRequest) async throws -> IncidentReport {
        let caseFolder = CaseFolder(root: request.caseFolder)
        guard CaseFolder.isCaseFolder(caseFolder.root) else {
            throw ReportError(
                .caseFolderUnusable,
                "\(request.caseFolder) is not a case folder (it has no \(CaseFolder.metadataFolder)/); give the folder custody collect or custody import-cloudtrail wrote to."
            )
        }
        let accounts = try chooseAccounts(request, caseFolder)
        let index = try EvidenceIndex.build(caseFolder: caseFolder, accounts: accounts, trust: request.trust)
        guard !index.verified.isEmpty else {
            let first =
                index.entries.first { !$0.ok }.map { " (\($0.path): \($0.problemMessages.first ?? $0.verification))" }
                ?? ""
            throw ReportError(
                .nothingVerified,
                "No archive of \(accounts.joined(separator: ", ")) verifies\(first), so there is nothing to report on.",
                remedy:
                    "Run custody verify \(request.caseFolder) to see every problem; pass --trust for a signer other than the case key."
            )
        }
        let explicit = try await explicitPair(request, caseFolder)
        // The event tables name what each call acted on from the records the analyses read.
        let reader = EvidenceReader(
            trust: request.trust, decompressedSizeLimit: request.decompressedSizeLimit,
            recordsKept: DiffEngine.recordsRead)
        var analysis = ReportAssembly(accounts: accounts, qualify: accounts.count > 1)
        for account in accounts {
            let readable = (index.verified[account] ?? []).filter { $0.entry.kind != .report }
            guard !readable.isEmpty else {
                analysis.analyses.append(AccountAnalysis(account: account, method: .none))
                analysis.notes.append("Account \(account): no archive verifies, so nothing of it was read.")
                continue
            }
            let paths = readable.map(\.path)
            let withSnapshots = readable.filter { $0.entry.kind == .evidence }
            var record = AccountAnalysis(account: account, method: .cloudTrailHunt, archives: readable.count)
            do {
                let log: EventLog
                if let pair = explicit, pair.report.account == account {
                    analysis.add(pair.report, account: account)
                    (record.method, record.baseline, record.current) = (.snapshotDiff, pair.baseline, pair.current)
                    log = try await reader.events(paths)
                } else if withSnapshots.count >= 2, let first = withSnapshots.first, let last = withSnapshots.last {
                    let report = try await reader.diff(first.path, last.path, suspectKeys: request.suspectKeys)
                    analysis.add(report, account: account)
                    (record.method, record.baseline, record.current) = (
                        .snapshotDiff, first.entry.path, last.entry.path
                    )
                    log = try await reader.events(paths)
                } else {
                    // The hunt reads every archive of the account, as the event tables need them.
                    let hunt = try await reader.huntWithEvents(paths, suspectKeys: request.suspectKeys)
                    analysis.add(hunt.report, account: account)
                    log = hunt.events
                }
                analysis.add(log, account: account)
                record.eventCount = log.count
                record.incompleteEventCount = log.incomplete.count
            } catch let error as any CustodyError where error is EvidenceReadError || error is DiffError {
                throw Self.unreadable(account, request, error)
            }
            analysis.analyses.append(record)
        }
        if let pair = explicit, !accounts.contains(pair.report.account) {
            throw ReportError(
                .comparisonInvalid,
                "\(request.baseline ?? "") and \(request.current ?? "") are archives of account \(pair.report.account), which this report does not cover; add --account \(pair.report.account)."
            )
        }
        return analysis.finish(request: request, index: index)
    }

    /// The error for evidence of `account` that could not be read or diffed.
    static func unreadable(_ account: String, _ request: ReportRequest, _ error: any CustodyError) -> ReportError {
        ReportError(
            .evidenceUnreadable, "Reading the evidence of account \(account) failed: \(error.explanation)",
            remedy: "Run custody verify \(request.caseFolder).", underlying: error)
    }

    /// The accounts asked for (all of the case when none), checked against the case.
    static func chooseAccounts(_ request: ReportRequest, _ caseFolder: CaseFolder) throws -> [String] {
        let present: [String]
        do {
            present = try caseFolder.accounts()
        } catch {
            throw ReportError(.caseFolderUnusable, "\(request.caseFolder) cannot be read: \(error).", underlying: error)
        }
        guard !present.isEmpty else {
            throw ReportError(
                .nothingVerified,
                "\(request.caseFolder) holds no account folders yet; collect or import evidence first.")
        }
        guard !request.accounts.isEmpty else { return present }
        let asked = Array(Set(request.accounts)).sorted()
        for account in asked where !present.contains(account) {
            throw ReportError(
                .accountUnknown,
                "Account \(account) has no folder in \(request.caseFolder); the case holds \(present.joined(separator: ", "))."
            )
        }
        return asked
    }

    /// The diff of `baseline` and `current` when the request names them.
    static func explicitPair(_ request: ReportRequest, _ caseFolder: CaseFolder) async throws -> (
        report: DiffReport, baseline: String, current: String
    )? {
        switch (request.baseline, request.current) {
        case (nil, nil): return nil
        case (let baseline?, let current?):
            let a = resolve(baseline, caseFolder), b = resolve(current, caseFolder)
            do {
                let report = try await EvidenceReader(
                    trust: request.trust, decompressedSizeLimit: request.decompressedSizeLimit
                )
                .diff(a, b, suspectKeys: request.suspectKeys)
                let before = report.before?.path ?? a, after = report.after?.path ?? b
                return (
                    report, EvidenceIndex.relative(before, to: caseFolder.root),
                    EvidenceIndex.relative(after, to: caseFolder.root)
                )
            } catch let error as any CustodyError where error is EvidenceReadError || error is DiffError {
                throw ReportError(
                    .comparisonInvalid, "Cannot diff \(baseline) and \(current): \(error.explanation)",
                    underlying: error)
            }
        default:
            throw ReportError(
                .comparisonInvalid,
                "Give both a baseline and a current archive, or neither (then each account's oldest and newest are compared)."
            )
        }
    }

    /// A path as given, or inside the case folder when it is relative to it.
    static func resolve(_ path: String, _ caseFolder: CaseFolder) -> String {
        if FileManager.default.fileExists(atPath: path) || path.hasPrefix("/") { return path }
        let inside = caseFolder.root + "/" + path
        return FileManager.default.fileExists(atPath: inside) ? inside : path
    }
}
