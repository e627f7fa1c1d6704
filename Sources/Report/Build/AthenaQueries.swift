import Diff

/// The course's Athena queries (hands-on 4.10 and 6.7) over the verified slices: the same
/// grouping and filters as the SQL shown beside each table, computed in memory.
struct AthenaQueries {
    let set: EventSet
    /// Who made an event: actor id, `collector`, `responder`, or empty.
    let who: (ReportEvent) -> String
    let suspectKeys: [String]
    /// Rows a table keeps at most.
    var limit = 50

    func all() -> [QueryTable] {
        var tables = [byIdentity(), byEventName(), byRegion(), byRegionAndEventName(), accessDenied(), persistence()]
        if !suspectKeys.isEmpty { tables.append(keyUses()) }
        return tables
    }

    /// Counts rows by `key`, most first, ties by key.
    private func grouped(_ key: (ReportEvent) -> [String]) -> [([String], Int)] {
        var counts: [[String]: Int] = [:]
        for event in set.events { counts[key(event), default: 0] += 1 }
        return counts.sorted { a, b in a.value != b.value ? a.value > b.value : a.key.lexicographicallyPrecedes(b.key) }
            .map { ($0.key, $0.value) }
    }

    private func table(
        _ id: String, _ title: String, _ purpose: String, _ sql: String, _ columns: [String], _ rows: [[String]],
        limit: Int? = nil
    ) -> QueryTable {
        let limit = limit ?? self.limit
        return QueryTable(
            id: id, title: title, purpose: purpose, sql: sql, columns: columns, rows: Array(rows.prefix(limit)),
            totalRows: rows.count)
    }

    func byIdentity() -> QueryTable {
        let rows = grouped { [$0.reference.principal ?? "", who($0)] }.map { $0.0 + [String($0.1)] }
        return table(
            "events-by-identity", "Events by identity",
            "Which identities make the most calls; the collector's own calls are labelled as such.",
            """
            SELECT useridentity.arn, COUNT(useridentity.arn) AS count
            FROM cloudtrail_log
            GROUP BY useridentity.arn
            ORDER BY count DESC
            """, ["useridentity.arn", "who", "count"], rows)
    }

    func byEventName() -> QueryTable {
        let rows = grouped { [$0.reference.eventSource ?? "", $0.name] }.map { $0.0 + [String($0.1)] }
        return table(
            "events-by-name", "Events by service and name",
            "A quick look at what happens in the account: look for services you do not recognise.",
            """
            SELECT eventsource, eventname, COUNT(eventname) AS eventcount
            FROM cloudtrail_log
            GROUP BY eventsource, eventname
            ORDER BY eventcount DESC
            """, ["eventsource", "eventname", "eventcount"], rows)
    }

    func byRegion() -> QueryTable {
        let rows = grouped { [$0.reference.region ?? ""] }.map { $0.0 + [String($0.1)] }
        return table(
            "events-by-region", "Events by region", "Regions in use that you would not normally use.",
            """
            SELECT awsregion, COUNT(awsregion) AS region
            FROM cloudtrail_log
            GROUP BY awsregion
            ORDER BY region DESC
            """, ["awsregion", "region"], rows, limit: 500)
    }

    func byRegionAndEventName() -> QueryTable {
        let rows = grouped { [$0.reference.region ?? "", $0.name] }.map { $0.0 + [String($0.1)] }
        return table(
            "events-by-region-and-name", "Events by region and name",
            "Which events each region sees, most frequent first.",
            """
            SELECT awsregion, eventname, COUNT(eventname) AS eventcount
            FROM cloudtrail_log
            GROUP BY awsregion, eventname
            ORDER BY eventcount DESC
            """, ["awsregion", "eventname", "eventcount"], rows)
    }

    func accessDenied() -> QueryTable {
        let rows = set.events.filter(\.isDenied).map { event in
            let r = event.reference
            return [
                r.eventTime ?? "", r.principal ?? "", who(event), r.accessKeyId ?? "", r.eventSource ?? "", event.name,
                r.region ?? "",
                r.sourceIPAddress ?? "", r.errorCode ?? "",
            ]
        }
        return table(
            "access-denied", "Access-denied attempts",
            "Calls refused for lack of permission. The course matches the codes exactly; real codes are spelled AccessDenied, Client.UnauthorizedOperation …, so this matches them as substrings.",
            """
            SELECT eventtime, useridentity.arn, useridentity.accesskeyid, eventsource, eventname, awsregion, sourceipaddress, errorcode
            FROM cloudtrail_log
            WHERE errorcode LIKE '%Unauthorized%' OR errorcode LIKE '%Denied%' OR errorcode LIKE '%Forbidden%'
            ORDER BY eventtime
            """,
            [
                "eventtime", "useridentity.arn", "who", "accesskeyid", "eventsource", "eventname", "awsregion",
                "sourceipaddress", "errorcode",
            ],
            rows, limit: 200)
    }

    static let persistenceNames: Set<String> = ["CreateRole", "CreateUser", "CreateAccessKey", "GetFederationToken"]

    func persistence() -> QueryTable {
        let rows = set.events.filter { Self.persistenceNames.contains($0.name) }.map { event in
            let r = event.reference
            let record = set.record(event)
            return [
                r.eventTime ?? "", r.eventSource ?? "", event.name, r.account ?? event.account, r.principal ?? "",
                set.principalId(event) ?? "", r.region ?? "", r.sourceIPAddress ?? "", r.userAgent ?? "",
                r.errorCode ?? "",
                Redaction.text(record?.requestParameters), Redaction.text(record?.responseElements),
            ]
        }
        return table(
            "persistence", "Attempts to establish persistence (hands-on 6.7)",
            "New roles, users, access keys and federation tokens, oldest first. Secrets in responses (session tokens) are redacted.",
            """
            SELECT eventtime, eventsource, eventname, recipientaccountid, useridentity.arn, useridentity.principalId,
                   awsregion, sourceipaddress, useragent, errorcode, requestparameters, responseelements
            FROM cloudtrail_log
            WHERE eventname = 'CreateRole' OR eventname = 'CreateUser' OR eventname = 'CreateAccessKey' OR eventname = 'GetFederationToken'
            ORDER BY eventtime
            """,
            [
                "eventtime", "eventsource", "eventname", "recipientaccountid", "useridentity.arn",
                "useridentity.principalid", "awsregion",
                "sourceipaddress", "useragent", "errorcode", "requestparameters", "responseelements",
            ], rows, limit: 200)
    }

    func keyUses() -> QueryTable {
        let keys = Set(suspectKeys)
        let rows = set.events.filter { keys.contains($0.reference.accessKeyId ?? "") }.map { event in
            let r = event.reference
            return [
                r.eventTime ?? "", r.principal ?? "", r.accessKeyId ?? "", event.name, r.region ?? "",
                r.sourceIPAddress ?? "", event.target ?? "",
            ]
        }
        let list = suspectKeys.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
        return table(
            "suspect-key-uses", "Every use of the suspect keys",
            "The course's \"check for all uses of a specific access key\", for the keys followed as suspects.",
            """
            SELECT eventtime, useridentity.arn, useridentity.accesskeyid, eventname, awsregion, sourceipaddress, requestparameters
            FROM cloudtrail_log
            WHERE useridentity.accesskeyid IN (\(list))
            ORDER BY eventtime
            """,
            ["eventtime", "useridentity.arn", "accesskeyid", "eventname", "awsregion", "sourceipaddress", "target"],
            rows, limit: 200)
    }
}
