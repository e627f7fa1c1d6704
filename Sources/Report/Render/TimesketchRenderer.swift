import CustodyJSON

/// `timeline.jsonl`: one JSON object per CloudTrail event of the slices (`IncidentReport.events`,
/// the collector's calls included) in Timesketch's import format (`message`, `datetime` in ISO
/// 8601, `timestamp_desc`, then flat string fields: `actor`, `phase`, `finding_ids` … to filter
/// on), sorted keys, oldest first (`Schemas/timeline.schema.json`).
enum TimesketchRenderer {
    /// The lines of `timeline.jsonl`, each encoded with `json`.
    /// - Throws: `ReportError` with code `encodingFailed`, naming the line that could not be encoded.
    static func render(_ report: IncidentReport, json: ReportJSON = .canonical) throws -> [UInt8] {
        var out: [UInt8] = []
        try render(report, json: json) { out += $0 }
        return out
    }

    /// Hands the lines to `write` as they are encoded, in pieces of about `piece` bytes, so a
    /// report of millions of events never holds the whole file.
    /// - Throws: `ReportError` with code `encodingFailed`, naming the line that could not be
    ///   encoded, or what `write` throws; the lines before it may have been written.
    static func render(
        _ report: IncidentReport, json: ReportJSON = .canonical, piece: Int = 1 << 20,
        to write: ([UInt8]) throws -> Void
    ) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(piece)
        for (index, row) in report.events.enumerated() {
            let line: [UInt8]
            do {
                line = try json.encodeStrings(fields(row))
            } catch {
                throw ReportError(
                    .encodingFailed,
                    "Cannot encode line \(index + 1) of \(ReportFormat.timesketch.fileName) (event \(row.eventID ?? "without id") at \(row.time)): \(error). No file of the report was written or sealed; report this as a bug in custody.",
                    underlying: error)
            }
            // U+2028 and U+2029 start with 0xE2; most lines hold neither.
            buffer += line.contains(0xE2) ? IncidentReport.escapingSeparators(line) : line
            if buffer.count >= piece {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try write(buffer) }
    }

    /// The fields of one line; those the event lacks are left out.
    static func fields(_ row: TimelineEntry) -> [String: String] {
        let time = datetime(row.time)
        var fields: [String: String] = [
            "message": message(row) + (time == nil ? " [no valid eventTime]" : ""),
            "datetime": time ?? epoch,
            "timestamp_desc": "Event Time",
            "data_type": "aws:cloudtrail:event",
            "source_short": "custody",
            "account_id": row.account,
            "actor": row.actor,
        ]
        let optional: [(String, String?)] = [
            ("phase", row.phase?.rawValue),
            ("event_name", row.eventName), ("event_source", row.eventSource), ("event_id", row.eventID),
            ("principal_arn", row.principal), ("access_key_id", row.accessKeyId),
            ("source_ip", row.sourceIPAddress), ("vpc_endpoint_id", row.vpcEndpointId), ("aws_region", row.region),
            ("target", row.target), ("error_code", row.errorCode), ("user_agent", row.userAgent),
            ("finding", row.findingTitle), ("evidence", row.evidence),
        ]
        for (key, value) in optional { if let value { fields[key] = value } }
        if time == nil { fields["event_time_invalid"] = row.time }
        if !row.findings.isEmpty { fields["finding_rules"] = row.findings.joined(separator: ",") }
        if !row.findingIds.isEmpty { fields["finding_ids"] = row.findingIds.joined(separator: ",") }
        return fields
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

    /// ISO 8601 with an explicit offset (`2026-11-29T03:04:05+00:00`), the form Timesketch's
    /// importer documents; `nil` when `time` is no valid time.
    static func datetime(_ time: String) -> String? {
        guard let timestamp = UTCTimestamp(parsing: time) else { return nil }
        return String(timestamp.iso8601.dropLast()) + "+00:00"
    }

    /// The `datetime` of an event without a valid `eventTime`: Timesketch needs one on every line,
    /// and the Unix epoch, decades before CloudTrail, cannot be taken for an event's real time.
    static let epoch = "1970-01-01T00:00:00+00:00"
}
