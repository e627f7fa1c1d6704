import Foundation

extension ReportBundle {
    /// Writes `timeline.jsonl` as its lines are encoded: as `timeline.jsonl.partial`, renamed into
    /// place once whole. When a line cannot be encoded or written, the partial file is removed, and
    /// the folder too when this write made it and it is empty again.
    /// - Throws: `ReportError` with code `encodingFailed` (a line that cannot be encoded) or
    ///   `outputUnusable` (the file cannot be written).
    func writeTimeline(_ report: IncidentReport, json: ReportJSON, madeFolder: Bool) throws {
        let final = (folder as NSString).appendingPathComponent(ReportFormat.timesketch.fileName)
        let partial = final + ".partial"
        let files = FileManager.default
        do {
            guard files.createFile(atPath: partial, contents: nil) else {
                throw ReportError(.outputUnusable, "Cannot create \(partial); check that \(folder) is writable.")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
            do {
                try TimesketchRenderer.render(report, json: json) { try handle.write(contentsOf: $0) }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if files.fileExists(atPath: final) { try files.removeItem(atPath: final) }
            try files.moveItem(atPath: partial, toPath: final)
        } catch {
            try? files.removeItem(atPath: partial)
            if madeFolder, (try? files.contentsOfDirectory(atPath: folder).isEmpty) == true {
                try? files.removeItem(atPath: folder)
            }
            if let error = error as? ReportError { throw error }
            throw ReportError(
                .outputUnusable, "Cannot write \(final): \(error.localizedDescription)", underlying: error)
        }
    }
}
