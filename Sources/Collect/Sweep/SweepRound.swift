/// One event a sweep query returned: the columns of `AthenaSweepQuery.columns`, by name.
public struct SweepRow: Sendable, Hashable {
    /// The values by column name; a column Athena left empty is absent.
    public var values: [String: String]

    /// A row of `values`.
    public init(_ values: [String: String]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    /// The value of `column`, if any.
    public subscript(_ column: String) -> String? { values[column] }
}

/// How a sweep follows a key to the keys it made, as the actor graph does: a successful
/// `CreateAccessKey` made with a followed key adds the key it created; a successful `AssumeRole`,
/// `GetSessionToken` or `GetFederationToken` adds the session's key. Rounds go on until no new key
/// appears or `limit` rounds have run.
public enum SweepRound {
    /// The calls whose `created_key` is a key the caller made.
    public static let creatingEvents: Set<String> = [
        "CreateAccessKey", "AssumeRole", "GetSessionToken", "GetFederationToken",
    ]

    /// The most rounds a sweep runs unless told otherwise.
    public static let defaultLimit = 5

    /// The keys `rows` show made by one of `keys` and not among them, sorted.
    public static func newKeys(in rows: [SweepRow], following keys: [String]) -> [String] {
        let followed = Set(keys)
        var found = Set<String>()
        for row in rows {
            guard let name = row["event_name"], creatingEvents.contains(name), row["error_code"] == nil,
                let caller = row["access_key_id"], followed.contains(caller),
                let created = row["created_key"], SweepTerms.isAccessKeyId(created), !followed.contains(created)
            else { continue }
            found.insert(created)
        }
        return found.sorted()
    }

    /// What rounds of a sweep found.
    public struct Outcome: Sendable {
        /// The terms of the last round: every key whose events were asked for.
        public var terms: SweepTerms
        /// The rows of every round, in round order.
        public var rounds: [[SweepRow]]
        /// Keys the last round found and no round asked for, because the limit was reached; empty when the
        /// sweep settled.
        public var unfollowed: [String]
    }

    /// Runs `query` with `terms`, then again with each round's new keys added, until no new key
    /// appears or `limit` rounds have run.
    public static func run(
        _ terms: SweepTerms, limit: Int = defaultLimit, query: (SweepTerms) async throws -> [SweepRow]
    ) async throws -> Outcome {
        var terms = terms
        var rounds: [[SweepRow]] = []
        while true {
            let rows = try await query(terms)
            rounds.append(rows)
            let added = newKeys(in: rows, following: terms.keys)
            if added.isEmpty || rounds.count >= max(1, limit) {
                return Outcome(terms: terms, rounds: rounds, unfollowed: added)
            }
            terms = try terms.adding(keys: added)
        }
    }
}
