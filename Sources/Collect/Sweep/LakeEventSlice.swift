import Evidence
import EvidenceArchive

/// One account's events as a sweep through CloudTrail Lake found them, laid out as a CloudTrail slice
/// that `hunt`, `diff` and `report` read: `cloudtrail/lake/<region>/events.jsonl.gz`, one event per line
/// in the LookupEvents shape (`LookupEventsRecord`), its `CloudTrailEvent` the row's `eventjson` exactly
/// as Lake returned it.
///
/// Lake has no log files, so these records are the evidence; the result pages they come from are
/// sealed beside them, as received.
struct LakeEventSlice: Sendable {
    /// Where the slices lie in an archive.
    static let prefix = "cloudtrail/lake/"

    /// One member per region.
    var members: [SealMember] = []
    /// The regions of the events, sorted.
    var regions: [String] = []
    /// Events written.
    var events = 0
    /// Rows whose event could not be read, and why.
    var problems: [String] = []

    /// The slice of `rows` (the account's rows of the last round), in their order.
    init(rows: [SweepRow]) throws {
        var lines: [String: [UInt8]] = [:]
        for row in rows {
            let id = row["event_id"] ?? "?"
            guard let json = row["event_json"] else {
                problems.append("CloudTrail Lake returned event \(id) without its eventjson: it is not in the slice")
                continue
            }
            let reader = CloudTrailReader(bytes: Array(json.utf8), file: "eventjson of \(id)")
            guard let record = reader.next(), let lookup = try? LookupEventsRecord(record: record) else {
                problems.append("the eventjson of event \(id) is not a CloudTrail record: it is not in the slice")
                continue
            }
            let region = Self.folder(row["aws_region"])
            LookupEventsWriter.appendLine(lookup, to: &lines[region, default: []])
            events += 1
        }
        regions = lines.keys.sorted()
        for region in regions {
            members.append(
                SealMember(
                    path: Self.prefix + region + "/events.jsonl.gz",
                    source: .bytes(try Gzip.compress(lines[region] ?? []))))
        }
    }

    /// A region's folder name: the region when it is one of letters, digits and `-`, else `unknown-region`.
    static func folder(_ region: String?) -> String {
        guard let region, !region.isEmpty, region.utf8.count <= 64,
            region.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return "unknown-region" }
        return region
    }
}
