import Diff

/// The CloudTrail queries a responder runs in Amazon Athena, computed in memory over the verified
/// slices: the same filters and grouping as the SQL shown beside each table, which reads the table
/// AWS's documentation creates for CloudTrail logs (`cloudtrail_logs`). The collector's own calls
/// are left out of every table, and each SQL leaves them out with `CollectorCondition`.
struct AthenaQueries {
    /// The table the SQL reads: the name AWS's "Create a table for CloudTrail logs in Athena" gives it.
    static let tableName = "cloudtrail_logs"

    let set: EventSet
    /// The actor a call belongs to, or empty.
    let who: (ReportEvent) -> String
    let suspectKeys: [String]
    /// Rows a table keeps at most.
    var limit = 50
    /// Every call but the collector's own, oldest first.
    private let events: [ReportEvent]
    /// The condition that leaves the collector's calls out of the SQL, when any can be told apart.
    private let notCollector: [String]?

    init(set: EventSet, who: @escaping (ReportEvent) -> String, suspectKeys: [String]) {
        self.set = set
        self.who = who
        self.suspectKeys = suspectKeys
        events = set.events.filter { !$0.isCollector }
        notCollector = CollectorCondition.lines(set.collectors)
    }

    func all() -> [QueryTable] {
        var tables = [byIdentity(), byEventName(), byRegion(), byRegionAndEventName(), accessDenied(), persistence()]
        if !suspectKeys.isEmpty { tables.append(keyUses()) }
        return tables
    }

    /// Counts rows by `key` (empty for a missing value), most first, ties by key with missing
    /// values last, as Athena orders `NULL`.
    private func grouped(_ key: (ReportEvent) -> [String]) -> [([String], Int)] {
        var counts: [[String]: Int] = [:]
        for event in events { counts[key(event), default: 0] += 1 }
        return counts.sorted { a, b in
            if a.value != b.value { return a.value > b.value }
            return a.key.lexicographicallyPrecedes(b.key) { x, y in x.isEmpty || y.isEmpty ? !x.isEmpty : x < y }
        }
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

    /// A query over `tableName`: `select`, then the conditions (and the collector's) under
    /// `WHERE`, then `rest` (grouping and order).
    func sql(_ select: [String], where conditions: [[String]] = [], _ rest: [String]) -> String {
        var lines = select + ["FROM \(Self.tableName)"]
        for (i, condition) in (conditions + [notCollector].compactMap { $0 }).enumerated() {
            lines.append((i == 0 ? "WHERE " : "  AND ") + condition[0])
            lines += condition.dropFirst().map { "      " + $0 }
        }
        return (lines + rest).joined(separator: "\n")
    }

    func byIdentity() -> QueryTable {
        // Who: the actors some of an identity's calls belong to, with how many.
        var actors: [String: [String: Int]] = [:]
        for event in events {
            let actor = who(event)
            if !actor.isEmpty { actors[set.arn(event) ?? "", default: [:]][actor, default: 0] += 1 }
        }
        let rows = grouped { [set.arn($0) ?? ""] }.map { key, count in
            let who = (actors[key[0]] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            return [key[0], who.joined(separator: ", "), String(count)]
        }
        return table(
            "events-by-identity", "Calls by identity",
            "Which identities made the most calls: look for users, roles and sessions you do not know.",
            sql(
                ["SELECT useridentity.arn, COUNT(*) AS calls"],
                ["GROUP BY useridentity.arn", "ORDER BY calls DESC, useridentity.arn"]),
            ["useridentity.arn", "who", "calls"], rows)
    }

    func byEventName() -> QueryTable {
        let rows = grouped { [$0.reference.eventSource ?? "", $0.name] }.map { $0.0 + [String($0.1)] }
        return table(
            "events-by-name", "Calls by service and name",
            "What was done in the account: look for services and calls you do not recognise.",
            sql(
                ["SELECT eventsource, eventname, COUNT(*) AS calls"],
                ["GROUP BY eventsource, eventname", "ORDER BY calls DESC, eventsource, eventname"]),
            ["eventsource", "eventname", "calls"], rows)
    }

    func byRegion() -> QueryTable {
        let rows = grouped { [$0.reference.region ?? ""] }.map { $0.0 + [String($0.1)] }
        return table(
            "events-by-region", "Calls by region", "Which regions were used: look for regions you do not use.",
            sql(["SELECT awsregion, COUNT(*) AS calls"], ["GROUP BY awsregion", "ORDER BY calls DESC, awsregion"]),
            ["awsregion", "calls"], rows, limit: 500)
    }

    func byRegionAndEventName() -> QueryTable {
        let rows = grouped { [$0.reference.region ?? "", $0.name] }.map { $0.0 + [String($0.1)] }
        return table(
            "events-by-region-and-name", "Calls by region and name",
            "What was done in each region, most frequent first.",
            sql(
                ["SELECT awsregion, eventname, COUNT(*) AS calls"],
                ["GROUP BY awsregion, eventname", "ORDER BY calls DESC, awsregion, eventname"]),
            ["awsregion", "eventname", "calls"], rows)
    }

    func accessDenied() -> QueryTable {
        let rows = events.filter(\.isDenied).map { event in
            let r = event.reference
            return [
                r.eventTime ?? "", set.arn(event) ?? "", who(event), r.accessKeyId ?? "", r.eventSource ?? "",
                event.name,
                r.region ?? "",
                r.sourceIPAddress ?? "", r.errorCode ?? "",
            ]
        }
        return table(
            "access-denied", "Calls refused for lack of permission",
            "Who tried what they may not do. Error codes are spelled AccessDenied, Client.UnauthorizedOperation, "
                + "AccessDeniedException …, so the codes are matched as substrings in any case.",
            sql(
                [
                    "SELECT eventtime, useridentity.arn, useridentity.accesskeyid, eventsource, eventname, awsregion,",
                    "       sourceipaddress, errorcode",
                ],
                where: [
                    [
                        "(lower(errorcode) LIKE '%denied%' OR lower(errorcode) LIKE '%unauthorized%'",
                        "    OR lower(errorcode) LIKE '%forbidden%')",
                    ]
                ], ["ORDER BY eventtime"]),
            [
                "eventtime", "useridentity.arn", "who", "accesskeyid", "eventsource", "eventname", "awsregion",
                "sourceipaddress", "errorcode",
            ],
            rows, limit: 200)
    }

    static let persistenceNames: Set<String> = ["CreateRole", "CreateUser", "CreateAccessKey", "GetFederationToken"]

    func persistence() -> QueryTable {
        let rows = events.filter { Self.persistenceNames.contains($0.name) }.map { event in
            let r = event.reference
            let record = set.record(event)
            return [
                r.eventTime ?? "", r.eventSource ?? "", event.name, r.account ?? event.account, set.arn(event) ?? "",
                set.principalId(event) ?? "", r.region ?? "", r.sourceIPAddress ?? "", r.userAgent ?? "",
                r.errorCode ?? "",
                Redaction.text(record?.requestParameters), Redaction.text(record?.responseElements),
            ]
        }
        let names = Self.persistenceNames.sorted().map(CollectorCondition.literal).joined(separator: ", ")
        return table(
            "persistence", "Roles, users, access keys and federation tokens created",
            "The ways back in an intruder leaves (new roles, users and access keys) and the federation tokens "
                + "that outlive a disabled key, oldest first. Secrets in responses (session tokens) are redacted.",
            sql(
                [
                    "SELECT eventtime, eventsource, eventname, recipientaccountid, useridentity.arn, useridentity.principalid,",
                    "       awsregion, sourceipaddress, useragent, errorcode, requestparameters, responseelements",
                ],
                where: [["eventname IN (\(names))"]], ["ORDER BY eventtime"]),
            [
                "eventtime", "eventsource", "eventname", "recipientaccountid", "useridentity.arn",
                "useridentity.principalid", "awsregion",
                "sourceipaddress", "useragent", "errorcode", "requestparameters", "responseelements",
            ], rows, limit: 200)
    }

    func keyUses() -> QueryTable {
        let keys = Set(suspectKeys)
        let rows = events.filter { keys.contains($0.reference.accessKeyId ?? "") }.map { event in
            let r = event.reference
            return [
                r.eventTime ?? "", set.arn(event) ?? "", r.accessKeyId ?? "", event.name, r.region ?? "",
                r.sourceIPAddress ?? "", event.target ?? "",
            ]
        }
        let list = suspectKeys.map(CollectorCondition.literal).joined(separator: ", ")
        return table(
            "suspect-key-uses", "Every use of the suspect keys",
            "Everything done with the keys followed as suspects, oldest first: what they reached, from where.",
            sql(
                [
                    "SELECT eventtime, useridentity.arn, useridentity.accesskeyid, eventname, awsregion, sourceipaddress,",
                    "       requestparameters",
                ],
                where: [["useridentity.accesskeyid IN (\(list))"]], ["ORDER BY eventtime"]),
            ["eventtime", "useridentity.arn", "accesskeyid", "eventname", "awsregion", "sourceipaddress", "target"],
            rows, limit: 200)
    }
}
