import EvidenceArchive
import Foundation

/// The Trino SQL a sweep sends to Athena: every event of the window that involves the terms, with the
/// log file that holds it.
///
/// The table is one of CloudTrail logs as AWS documents it
/// ([Athena](https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html)), partitioned by the
/// day folder as `"timestamp"` (`YYYY/MM/DD`): the query names the days of the window, one each side
/// (a log file of a day can hold events from the day before, and delivery runs late), so Athena reads
/// those days' files and no others. An event is kept when it was made with one of the keys, names one
/// of the keys in its request (`UpdateAccessKey`, `DeleteAccessKey` of the key), or came from one of
/// the addresses. Each row carries the key the event created or the session key it opened
/// (`CreateAccessKey`'s `accessKey.accessKeyId`, the `credentials.accessKeyId` of `AssumeRole`,
/// `GetSessionToken` or `GetFederationToken`), so the sweep can follow them.
public struct AthenaSweepQuery: Sendable, Equatable {
    /// The columns of each result row, in order.
    public static let columns = [
        "log_file", "event_id", "event_time", "event_source", "event_name", "aws_region", "recipient_account_id",
        "access_key_id", "principal_arn", "source_ip", "error_code", "created_key",
    ]

    /// The table, `table` or `database.table`.
    public var table: String
    /// What to look for.
    public var terms: SweepTerms

    /// A query of `table`.
    /// - Throws: `CollectError.invalidOptions` when `table` is not one or two names of letters, digits and `_`.
    public init(table: String, terms: SweepTerms) throws {
        try Self.checkTable(table)
        self.table = table
        self.terms = terms
    }

    /// Throws unless `table` is `TABLE` or `DATABASE.TABLE` of letters, digits and `_`.
    static func checkTable(_ table: String) throws {
        let parts = table.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy(Self.isName) else {
            throw CollectError(
                .invalidOptions,
                "'\(table)' is not an Athena table name: give TABLE or DATABASE.TABLE (letters, digits and _).")
        }
    }

    static func isName(_ name: Substring) -> Bool {
        !name.isEmpty && name.utf8.count <= 255
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
            }
    }

    /// The statement.
    public var sql: String {
        let quotedTable = table.split(separator: ".").map { "\"\($0.lowercased())\"" }.joined(separator: ".")
        var involves = [
            "useridentity.accesskeyid IN (\(Self.list(terms.keys)))",
            "json_extract_scalar(requestparameters, '$.accessKeyId') IN (\(Self.list(terms.keys)))",
        ]
        if !terms.sourceIPs.isEmpty { involves.append("sourceipaddress IN (\(Self.list(terms.sourceIPs)))") }
        var conditions = [
            "\"timestamp\" BETWEEN '\(Self.day(terms.from.addingTimeInterval(-86_400)))' AND '\(Self.day(terms.to.addingTimeInterval(86_400)))'",
            "eventtime >= '\(Timestamp.iso8601(terms.from))'",
            "eventtime < '\(Timestamp.iso8601(terms.to))'",
        ]
        if !terms.accounts.isEmpty { conditions.append("recipientaccountid IN (\(Self.list(terms.accounts)))") }
        conditions.append("(" + involves.joined(separator: "\n    OR ") + ")")
        return """
            SELECT "$path" AS log_file, eventid AS event_id, eventtime AS event_time, eventsource AS event_source,
              eventname AS event_name, awsregion AS aws_region, recipientaccountid AS recipient_account_id,
              useridentity.accesskeyid AS access_key_id, useridentity.arn AS principal_arn,
              sourceipaddress AS source_ip, errorcode AS error_code,
              COALESCE(json_extract_scalar(responseelements, '$.accessKey.accessKeyId'),
                json_extract_scalar(responseelements, '$.credentials.accessKeyId')) AS created_key
            FROM \(quotedTable)
            WHERE \(conditions.joined(separator: "\n  AND "))
            ORDER BY event_time, event_id
            """
    }

    /// `'a', 'b'`: values already checked to hold no quote.
    static func list(_ values: [String]) -> String {
        values.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// `YYYY/MM/DD` of `date`, in UTC: the form of the `"timestamp"` partition.
    static func day(_ date: Date) -> String {
        String(Timestamp.iso8601(date).prefix(10)).replacingOccurrences(of: "-", with: "/")
    }
}
