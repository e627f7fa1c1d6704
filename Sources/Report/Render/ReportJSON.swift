import CustodyJSON

/// How the report's JSON files (`findings.json`, each line of `timeline.jsonl`) are encoded:
/// canonical JSON, or in tests an encoder that fails, to show that such a failure stops the report.
struct ReportJSON: Sendable {
    /// The bytes of one value.
    var encode: @Sendable (any Encodable) throws -> [UInt8]
    /// The bytes of one object of string fields, such as a line of `timeline.jsonl`.
    var encodeStrings: @Sendable ([String: String]) throws -> [UInt8]

    /// Encodes with `encode`, string objects too.
    init(encode: @escaping @Sendable (any Encodable) throws -> [UInt8]) {
        self.encode = encode
        self.encodeStrings = { try encode($0) }
    }

    /// `CanonicalJSON`: sorted keys, no insignificant white space, a final newline; objects of
    /// string fields written directly, to the same bytes.
    static let canonical: ReportJSON = {
        var json = ReportJSON { try CanonicalJSON.encode($0) }
        json.encodeStrings = { FlatJSON.encode($0) }
        return json
    }()
}
