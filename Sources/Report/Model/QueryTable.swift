/// The result of one CloudTrail query, computed over the verified slices instead of in Athena,
/// with the SQL it stands for. The collector's own calls are left out of both.
public struct QueryTable: Codable, Hashable, Sendable {
    /// A stable id, such as `events-by-identity`.
    public var id: String
    /// The title.
    public var title: String
    /// What it answers, in a sentence.
    public var purpose: String
    /// The Athena SQL over the `cloudtrail_logs` table, created as AWS documents it, that this table equals.
    public var sql: String
    /// Column headers.
    public var columns: [String]
    /// Rows, as text.
    public var rows: [[String]]
    /// Rows the query had in all (more than `rows.count` when the table was cut).
    public var totalRows: Int

    /// Makes a table.
    public init(
        id: String, title: String, purpose: String, sql: String, columns: [String], rows: [[String]], totalRows: Int
    ) {
        self.id = id
        self.title = title
        self.purpose = purpose
        self.sql = sql
        self.columns = columns
        self.rows = rows
        self.totalRows = totalRows
    }
}
