public import CustodyCrypto
public import EvidenceArchive
import Foundation

/// The folder a report is written to: the rendered files, and `report.tar` sealing them with the
/// evidence manifests the report was made from.
///
/// Every file is rendered before anything is written, so a report that cannot be rendered leaves
/// nothing behind; the archive is sealed only once every file was written, and it holds exactly
/// the bytes written.
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
        let files = try report.render(formats, json: json, toolVersion: toolVersion)
        let request = try sealRequest(report, files: files, toolVersion: toolVersion)
        var written: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for file in files {
                let path = (folder as NSString).appendingPathComponent(file.name)
                try Data(file.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
                written.append(path)
            }
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
    private func sealRequest(_ report: IncidentReport, files: [ReportFile], toolVersion: String) throws -> SealRequest {
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
            members: files.map { SealMember(path: "report/" + $0.name, source: .bytes($0.bytes)) },
            collector: Manifest.Collector(version: toolVersion), startedAt: time, finishedAt: time,
            coverage: report.accounts.sorted().map {
                Manifest.CoverageEntry(source: "report", item: "account \($0)", status: .complete)
            },
            evidence: evidence)
    }
}
