import CustodyJSON
import EvidenceReading

/// The Athena condition that keeps every call but the collector's own, as `EventLog` marks them:
/// a call made with a collection's access key or as its principal, with custody's user agent,
/// within that collection's time (`CollectorSpan.window`). Any other call of the collector's key
/// passes it, as it stays in the tables.
enum CollectorCondition {
    /// `CollectorSpan.isCustodyAgent` as a regular expression (`regexp_like`): `custody` or
    /// `custody/…`, or either inside the brackets CloudTrail writes around S3's user agents.
    static let userAgentPattern = #"^\[?custody(/|\]|$)"#

    /// The condition's lines, to follow `WHERE` or `AND`; `nil` when no collection has an
    /// identity and a time, so that none of its calls can be the collector's.
    ///
    /// `coalesce` keeps a call whose user agent, key or time is missing (the comparison is then
    /// `NULL`), as the tables do.
    static func lines(_ spans: some Sequence<CollectorSpan>) -> [String]? {
        var windows: [Identity: [ClosedRange<Int64>]] = [:]
        for span in spans {
            let identity = Identity(key: span.accessKeyId ?? "", principal: span.principal ?? "")
            guard let window = span.window, !identity.key.isEmpty || !identity.principal.isEmpty else { continue }
            windows[identity, default: []].append(window)
        }
        guard !windows.isEmpty else { return nil }
        var alternatives: [[String]] = []
        for (identity, ranges) in windows.sorted(by: { $0.key < $1.key }) {
            var who: [String] = []
            if !identity.key.isEmpty { who.append("useridentity.accesskeyid = \(literal(identity.key))") }
            if !identity.principal.isEmpty { who.append("useridentity.arn = \(literal(identity.principal))") }
            let times = merged(ranges).map { range in
                let from = UTCTimestamp(seconds: range.lowerBound).iso8601
                let to = UTCTimestamp(seconds: range.upperBound).iso8601
                return "eventtime BETWEEN \(literal(from)) AND \(literal(to))"
            }
            alternatives.append([
                "(" + (who.count == 1 ? who[0] : "(\(who.joined(separator: " OR ")))"),
                "    AND " + (times.count == 1 ? times[0] : "(\(times.joined(separator: " OR ")))") + ")",
            ])
        }
        var lines = ["NOT coalesce(", "    regexp_like(useragent, \(literal(userAgentPattern)))", "    AND ("]
        for (i, alternative) in alternatives.enumerated() {
            lines.append("        " + (i == 0 ? "" : "OR ") + alternative[0])
            lines.append("        " + (i == 0 ? "" : "   ") + alternative[1])
        }
        return lines + ["    ),", "    false)"]
    }

    /// A SQL string literal: quotes doubled.
    static func literal(_ text: String) -> String { "'\(text.replacingOccurrences(of: "'", with: "''"))'" }

    /// The ranges joined where they overlap or touch, in order.
    static func merged(_ ranges: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var result: [ClosedRange<Int64>] = []
        for range in ranges.sorted(by: { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }) {
            if let last = result.last, range.lowerBound <= EvidenceSeconds.adding(last.upperBound, 1) {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// The key and principal a collection called AWS as (empty when its manifest names none).
    struct Identity: Hashable, Comparable {
        var key: String
        var principal: String

        static func < (a: Identity, b: Identity) -> Bool { (a.key, a.principal) < (b.key, b.principal) }
    }
}
