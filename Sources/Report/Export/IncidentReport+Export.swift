extension IncidentReport {
    /// The bytes of one of the finding exports (`findings.asff.json`, `findings.ocsf.json`).
    /// - Throws: `ReportError` with code `encodingFailed`, naming the file.
    func export(_ document: some Encodable, as format: ReportFormat, _ json: ReportJSON) throws -> [UInt8] {
        do {
            return try json.encode(document)
        } catch {
            throw ReportError(
                .encodingFailed,
                "Cannot encode \(format.fileName): \(error). No file of the report was written or sealed; report this as a bug in custody.",
                underlying: error)
        }
    }
}
