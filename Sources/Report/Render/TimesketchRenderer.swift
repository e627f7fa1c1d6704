import CustodyJSON

/// `timeline.jsonl`: one JSON object per timeline row in Timesketch's import format
/// (`message`, `datetime` in ISO 8601, `timestamp_desc`, then flat fields), sorted keys, oldest
/// first (`Schemas/timeline.schema.json`).
enum TimesketchRenderer {
    /// The lines of `timeline.jsonl`, each encoded with `json`.
    /// - Throws: `ReportError` with code `encodingFailed`, naming the line that could not be encoded.
    static func render(_ report: IncidentReport, json: ReportJSON = .canonical) throws -> [UInt8] {
        var out: [UInt8] = []
        for (index, row) in report.timeline.enumerated() {
            var fields: [String: JSONValue] = [
                "message": .string(message(row)),
                "datetime": .string(datetime(row.time)),
                "timestamp_desc": "Event Time",
                "data_type": "aws:cloudtrail:event",
                "source_short": "custody",
                "account_id": .string(row.account),
                "actor": .string(row.actor),
                "phase": .string(row.phase.rawValue),
            ]
            let optional: [(String, String?)] = [
                ("event_name", row.eventName), ("event_source", row.eventSource), ("event_id", row.eventID),
                ("principal_arn", row.principal), ("access_key_id", row.accessKeyId),
                ("source_ip", row.sourceIPAddress), ("vpc_endpoint_id", row.vpcEndpointId), ("aws_region", row.region),
                ("target", row.target), ("error_code", row.errorCode), ("user_agent", row.userAgent),
                ("finding", row.findingTitle), ("evidence", row.evidence),
            ]
            for (key, value) in optional { if let value { fields[key] = .string(value) } }
            if !row.findings.isEmpty { fields["finding_rules"] = .string(row.findings.joined(separator: ",")) }
            do {
                out += try json.encode(JSONValue.object(fields))
            } catch {
                throw ReportError(
                    .encodingFailed,
                    "Cannot encode line \(index + 1) of \(ReportFormat.timesketch.fileName) (event \(row.eventID ?? "without id") at \(row.time)): \(error). No file of the report was written or sealed; report this as a bug in custody.",
                    underlying: error)
            }
        }
        return out
    }

    /// `CreateAccessKey by arn:… (AKIA…) from 203.0.113.66 in us-east-1 on userName=alice [failed: AccessDenied]`.
    static func message(_ row: TimelineEntry) -> String {
        var text = "\(row.eventName ?? "event") by \(row.principal ?? "unknown principal")"
        if let key = row.accessKeyId { text += " (\(key))" }
        if let origin = row.origin { text += " from \(origin)" }
        if let region = row.region { text += " in \(region)" }
        if let target = row.target { text += " on \(target)" }
        if let error = row.errorCode { text += " [failed: \(error)]" }
        if let finding = row.findingTitle { text += " — \(finding)" }
        return text
    }

    /// ISO 8601 with an explicit offset (`2026-11-29T03:04:05+00:00`), the form Timesketch's importer documents.
    static func datetime(_ time: String) -> String {
        guard let timestamp = UTCTimestamp(parsing: time) else { return time }
        return String(timestamp.iso8601.dropLast()) + "+00:00"
    }
}
