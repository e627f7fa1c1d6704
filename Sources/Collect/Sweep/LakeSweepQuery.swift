import EvidenceArchive
import Foundation

/// The SQL a sweep sends to CloudTrail Lake: every event of the window that involves the terms, with
/// the whole event.
///
/// Lake's SQL is Trino's, over a table named by the event data store's id after `FROM`, with the
/// columns of [Lake's schema](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html):
/// `eventtime` a timestamp compared with `'YYYY-MM-DD HH:MM:SS'` as AWS's examples do, `useridentity` a
/// struct, `requestparameters` a map of strings, and `eventjson` the event's whole JSON text, which the
/// sweep keeps as the evidence (Lake has no log files). An event is kept when it was made with one of
/// the keys, names one of the keys in its request (`UpdateAccessKey`, `DeleteAccessKey` of the key), or
/// came from one of the addresses; each row carries the key the event created or the session key it
/// opened, as `AthenaSweepQuery`'s rows do, so `SweepRound` follows them the same way.
public struct LakeSweepQuery: Sendable, Equatable {
    /// The columns of each result row, in order.
    public static let columns = [
        "event_id", "event_time", "event_source", "event_name", "aws_region", "recipient_account_id", "access_key_id",
        "principal_arn", "source_ip", "error_code", "created_key", "event_json",
    ]

    /// The event data store's id: the end of its ARN.
    public var eventDataStore: String
    /// What to look for.
    public var terms: SweepTerms

    /// A query of the event data store `eventDataStore`, its ARN or its id.
    /// - Throws: `CollectError.invalidOptions` when `eventDataStore` is neither.
    public init(eventDataStore: String, terms: SweepTerms) throws {
        self.eventDataStore = try Self.id(of: eventDataStore)
        self.terms = terms
    }

    /// The id of an event data store given by ARN (`arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID`)
    /// or by id.
    /// - Throws: `CollectError.invalidOptions` when `reference` is neither: an id is letters, digits and `-`.
    public static func id(of reference: String) throws -> String {
        var id = reference
        if reference.hasPrefix("arn:") {
            let parts = reference.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "cloudtrail", parts[5].hasPrefix("eventdatastore/") else {
                throw CollectError(
                    .invalidOptions,
                    "'\(reference)' is not an event data store ARN: give arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID, or the ID."
                )
            }
            id = String(parts[5].dropFirst("eventdatastore/".count))
        }
        guard (3...128).contains(id.utf8.count),
            id.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
            })
        else {
            throw CollectError(
                .invalidOptions,
                "'\(reference)' is not an event data store id: give the ARN, or the id at its end (letters, digits and -)."
            )
        }
        return id
    }

    /// The region of an event data store's ARN; `nil` for an id.
    public static func region(of reference: String) -> String? {
        guard reference.hasPrefix("arn:") else { return nil }
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 6 && !parts[3].isEmpty ? String(parts[3]) : nil
    }

    /// The statement.
    public var sql: String {
        var involves = [
            "useridentity.accesskeyid IN (\(Self.list(terms.keys)))",
            "element_at(requestparameters, 'accessKeyId') IN (\(Self.list(terms.keys)))",
        ]
        if !terms.sourceIPs.isEmpty { involves.append("sourceipaddress IN (\(Self.list(terms.sourceIPs)))") }
        var conditions = [
            "eventtime >= '\(Self.time(terms.from))'",
            "eventtime < '\(Self.time(terms.to))'",
        ]
        if !terms.accounts.isEmpty { conditions.append("recipientaccountid IN (\(Self.list(terms.accounts)))") }
        conditions.append("(" + involves.joined(separator: "\n    OR ") + ")")
        return """
            SELECT eventid AS event_id, eventtime AS event_time, eventsource AS event_source,
              eventname AS event_name, awsregion AS aws_region, recipientaccountid AS recipient_account_id,
              useridentity.accesskeyid AS access_key_id, useridentity.arn AS principal_arn,
              sourceipaddress AS source_ip, errorcode AS error_code,
              COALESCE(json_extract_scalar(eventjson, '$.responseElements.accessKey.accessKeyId'),
                json_extract_scalar(eventjson, '$.responseElements.credentials.accessKeyId')) AS created_key,
              eventjson AS event_json
            FROM \(eventDataStore)
            WHERE \(conditions.joined(separator: "\n  AND "))
            ORDER BY event_time, event_id
            """
    }

    /// `'a', 'b'`: values already checked to hold no quote.
    static func list(_ values: [String]) -> String {
        values.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// `YYYY-MM-DD HH:MM:SS` of `date`, in UTC: the form Lake's examples compare `eventtime` with.
    static func time(_ date: Date) -> String {
        String(Timestamp.iso8601(date).prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
