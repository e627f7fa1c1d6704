import CustodyJSON

/// How the report's JSON files (`findings.json`, each line of `timeline.jsonl`) are encoded:
/// canonical JSON, or in tests an encoder that fails, to show that such a failure stops the report.
struct ReportJSON: Sendable {
    /// The bytes of one value.
    var encode: @Sendable (any Encodable) throws -> [UInt8]

    /// `CanonicalJSON`: sorted keys, no insignificant white space, a final newline.
    static let canonical = ReportJSON { try CanonicalJSON.encode($0) }
}
