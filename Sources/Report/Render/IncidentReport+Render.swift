extension IncidentReport {
    /// Renders the report in each format asked for, in the order given (duplicates once). Pure:
    /// the same report gives the same bytes.
    /// - Throws: `ReportError` with code `encodingFailed`, naming the file (and the timeline line)
    ///   that could not be encoded; then no file is returned, so nothing partial can be written or sealed.
    /// - Parameter toolVersion: Custody's version, which `findings.ocsf.json` names as its product's.
    public func render(_ formats: [ReportFormat], toolVersion: String? = nil) throws -> [ReportFile] {
        try render(formats, json: .canonical, toolVersion: toolVersion)
    }

    /// Renders the report, encoding its JSON files with `json`.
    func render(_ formats: [ReportFormat], json: ReportJSON, toolVersion: String? = nil) throws -> [ReportFile] {
        var seen = Set<ReportFormat>()
        let document = formats.contains(.markdown) || formats.contains(.html) ? document() : nil
        return try formats.compactMap { format in
            guard seen.insert(format).inserted else { return nil }
            switch format {
            case .markdown:
                return ReportFile(name: format.fileName, bytes: Array(MarkdownRenderer.render(document!).utf8))
            case .html: return ReportFile(name: format.fileName, bytes: Array(HTMLRenderer.render(document!).utf8))
            case .json: return ReportFile(name: format.fileName, bytes: Self.escapingSeparators(try findings(json)))
            case .timesketch:
                return ReportFile(name: format.fileName, bytes: try TimesketchRenderer.render(self, json: json))
            case .iocs: return ReportFile(name: format.fileName, bytes: Array(IndicatorCSV.render(indicators).utf8))
            case .stix: return ReportFile(name: format.fileName, bytes: Self.escapingSeparators(try stix(json)))
            case .asff:
                return ReportFile(
                    name: format.fileName,
                    bytes: Self.escapingSeparators(try export(ASFFDocument(self), as: format, json)))
            case .ocsf:
                let records = OCSFDocument(self, toolVersion: toolVersion)
                return ReportFile(
                    name: format.fileName, bytes: Self.escapingSeparators(try export(records, as: format, json)))
            }
        }
    }

    /// The bytes of `iocs.stix.json`.
    private func stix(_ json: ReportJSON) throws -> [UInt8] {
        do {
            return try json.encode(IndicatorSTIX.bundle(self))
        } catch {
            throw ReportError(
                .encodingFailed,
                "Cannot encode \(ReportFormat.stix.fileName): \(error). No file of the report was written or sealed; report this as a bug in custody.",
                underlying: error)
        }
    }

    /// The bytes of `findings.json`.
    private func findings(_ json: ReportJSON) throws -> [UInt8] {
        do {
            return try json.encode(FindingsDocument(self))
        } catch {
            throw ReportError(
                .encodingFailed,
                "Cannot encode \(ReportFormat.json.fileName): \(error). No file of the report was written or sealed; report this as a bug in custody.",
                underlying: error)
        }
    }

    /// JSON with U+2028 and U+2029 written as `\u2028` and `\u2029`: valid either way, but line-based
    /// readers (Python's `splitlines`, JavaScript before ES2019) take the raw characters for line ends.
    /// They can only stand inside strings, so the swap keeps the value.
    static func escapingSeparators(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9
            {
                out += Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
