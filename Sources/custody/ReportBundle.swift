import CustodyCrypto
import EvidenceArchive
import Foundation
import Report

/// The folder a report is written to: the rendered files, and `report.tar` sealing them with the
/// evidence manifests the report was made from.
struct ReportBundle {
    /// The output folder.
    var folder: String

    /// The sealed archive's name inside the folder.
    static let archiveName = "report.tar"

    var archivePath: String { (folder as NSString).appendingPathComponent(Self.archiveName) }

    /// What was written.
    struct Written {
        var files: [String]
        var archive: SealResult
    }

    /// Refuses a folder that already holds a report, so nothing is overwritten.
    func checkFree() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandFailure("--out \(folder) is a file; give a folder for the report.")
        }
        if FileManager.default.fileExists(atPath: archivePath) {
            throw CommandFailure("\(archivePath) already exists; choose another --out, or move the old report away first.")
        }
    }

    /// Writes the rendered files and seals them.
    func write(_ report: IncidentReport, formats: [ReportFormat], caseFolder: CaseFolder, signingKey: PrivateKey) throws
        -> Written
    {
        let files = report.render(formats)
        var written: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for file in files {
                let path = (folder as NSString).appendingPathComponent(file.name)
                try Data(file.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
                written.append(path)
            }
        } catch {
            throw CommandFailure("Cannot write the report to \(folder): \(error.localizedDescription)")
        }
        let evidence = report.evidence.compactMap { entry -> Manifest.EvidenceReference? in
            guard entry.used, let account = entry.account, let sequence = entry.sequence, let sha = entry.manifestSHA256 else {
                return nil
            }
            return Manifest.EvidenceReference(path: entry.path, account: account, sequence: sequence, manifestSHA256: sha)
        }
        guard let account = report.accounts.sorted().first ?? evidence.first?.account else {
            throw CommandFailure("The report covers no account, so there is nothing to seal; check --case and --account.")
        }
        let time = Timestamp.parse(report.generatedAt) ?? Date()
        let request = SealRequest(
            account: account, kind: .report,
            members: files.map { SealMember(path: "report/" + $0.name, source: .bytes($0.bytes)) },
            collector: Manifest.Collector(version: Custody.version), startedAt: time, finishedAt: time,
            coverage: report.accounts.sorted().map { Manifest.CoverageEntry(source: "report", item: "account \($0)", status: .complete) },
            evidence: evidence)
        do {
            let archive = try Sealer(caseFolder: caseFolder, signingKey: signingKey).sealStandalone(request, at: archivePath)
            return Written(files: written, archive: archive)
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
