public import CustodyCrypto
public import EvidenceArchive
import Foundation

/// The folder a report is written to: the rendered files, and `report.tar` sealing them with the
/// evidence manifests the report was made from.
///
/// Every file is rendered before anything is written, so a report that cannot be rendered leaves
/// nothing behind, except `timeline.jsonl`, which is written as it is encoded (it holds every
/// event) and removed when a line cannot be; the archive is sealed only once every file was
/// written, and it holds exactly the bytes written.
public struct ReportBundle: Sendable {
    /// The output folder.
    public var folder: String

    /// The sealed archive's name inside the folder.
    public static let archiveName = "report.tar"

    /// The sealed archive's path.
    public var archivePath: String { (folder as NSString).appendingPathComponent(Self.archiveName) }

    /// What was written.
    public struct Written: Sendable {
        /// The rendered files' paths, in the order of the formats asked for.
        public var files: [String]
        /// The sealed archive.
        public var archive: SealResult
    }

    /// A bundle in `folder`; nothing is written until `write`.
    public init(folder: String) {
        self.folder = folder
    }

    /// Refuses a folder that already holds a report, so nothing is overwritten.
    /// - Throws: `ReportError` with code `outputUnusable` when the folder is a file or holds `report.tar`.
    public func checkFree() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ReportError(.outputUnusable, "--out \(folder) is a file; give a folder for the report.")
        }
        if FileManager.default.fileExists(atPath: archivePath) {
            throw ReportError(
                .outputUnusable,
                "\(archivePath) already exists; choose another --out, or move the old report away first.")
        }
    }

    /// Renders `report` in `formats`, writes the files and seals them into `report.tar` with the
    /// manifests of the evidence the report used.
    /// - Parameters:
    ///   - caseFolder: The case the report belongs to; its id goes into the archive's manifest.
    ///   - signingKey: The key that signs the archive.
    ///   - toolVersion: The version of the tool, for the manifest's collector.
    /// - Throws: `ReportError` (`encodingFailed` before anything is written, `outputUnusable` when a
    ///   file cannot be written, `unsealable` when the report names no account or no time), or the
    ///   sealer's `ArchiveError`.
    public func write(
        _ report: IncidentReport, formats: [ReportFormat], caseFolder: CaseFolder, signingKey: PrivateKey,
        toolVersion: String
    ) throws -> Written {
        try write(
            report, formats: formats, caseFolder: caseFolder, signingKey: signingKey, toolVersion: toolVersion,
            json: .canonical)
    }

    /// Writes the bundle, encoding its JSON files with `json`.
    func write(
        _ report: IncidentReport, formats: [ReportFormat], caseFolder: CaseFolder, signingKey: PrivateKey,
        toolVersion: String, json: ReportJSON
    ) throws -> Written {
        var ordered: [ReportFormat] = []
        for format in formats where !ordered.contains(format) { ordered.append(format) }
        let files = try report.render(ordered.filter { $0 != .timesketch }, json: json, toolVersion: toolVersion)
        let members = ordered.map { format in
            let path = (folder as NSString).appendingPathComponent(format.fileName)
            return SealMember(
                path: "report/" + format.fileName,
                source: format == .timesketch
                    ? .file(path) : .bytes(files.first { $0.name == format.fileName }?.bytes ?? []))
        }
        let request = try sealRequest(report, members: members, toolVersion: toolVersion)
        let existed = FileManager.default.fileExists(atPath: folder)
        var written: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if ordered.contains(.timesketch) { try writeTimeline(report, json: json, madeFolder: !existed) }
            for format in ordered {
                let path = (folder as NSString).appendingPathComponent(format.fileName)
                if let file = files.first(where: { $0.name == format.fileName }) {
                    try Data(file.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
                }
                written.append(path)
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError(
                .outputUnusable, "Cannot write the report to \(folder): \(error.localizedDescription)",
                underlying: error)
        }
        let archive = try Sealer(caseFolder: caseFolder, signingKey: signingKey).sealStandalone(
            request, at: archivePath)
        return Written(files: written, archive: archive)
    }

    /// What to seal: the files under `report/`, a coverage entry per account, and the manifests
    /// of the evidence the report used.
    private func sealRequest(_ report: IncidentReport, members: [SealMember], toolVersion: String) throws
        -> SealRequest
    {
        let evidence = report.evidence.compactMap { entry -> Manifest.EvidenceReference? in
            guard entry.used, let account = entry.account, let sequence = entry.sequence, let sha = entry.manifestSHA256
            else {
                return nil
            }
            return Manifest.EvidenceReference(
                path: entry.path, account: account, sequence: sequence, manifestSHA256: sha)
        }
        guard let account = report.accounts.sorted().first ?? evidence.first?.account else {
            throw ReportError(
                .unsealable, "The report covers no account, so there is nothing to seal; check --case and --account.")
        }
        guard let time = Timestamp.parse(report.generatedAt) else {
            throw ReportError(
                .unsealable,
                "The report's time '\(report.generatedAt)' is not an ISO 8601 time, so it cannot be sealed; make the report with ReportBuilder."
            )
        }
        return SealRequest(
            account: account, kind: .report,
            members: members,
            collector: Manifest.Collector(version: toolVersion), startedAt: time, finishedAt: time,
            coverage: report.accounts.sorted().map {
                Manifest.CoverageEntry(source: "report", item: "account \($0)", status: .complete)
            },
            evidence: evidence)
    }
}
