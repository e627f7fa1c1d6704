import CustodyJSON
import Diff
import EvidenceReading

/// Key usage, regions and the chart series, computed over every event of the slices but the
/// collector's own calls: those are custody's, and they say nothing of the incident. Any other
/// call of the collector's key is counted like anyone's.
struct EventTables {
    let set: EventSet
    /// Events by key (`ReportEvent.key`) → the findings citing them.
    let cited: [String: [Finding]]
    /// Regions the diff found first used.
    let firstUseRegions: Set<String>
    /// When the attack started, per account.
    let attackStart: [String: Int64]

    /// Every event but the collector's own calls, oldest first.
    var events: [ReportEvent] { self.set.events.filter { !$0.isCollector } }

    /// A label for who made an event: its actor, `responder` or `other principals`.
    static func label(_ event: ReportEvent, containment: Bool) -> String {
        if let actor = event.actor { return actor }
        return containment ? "responder" : "other principals"
    }

    /// Every access key of the events, with only the calls that are not the collector's own
    /// counted. The collector's keys keep their row (`isCollector`), with no calls when nothing
    /// else used them.
    func keyUsage() -> [KeyUsage] {
        struct Tally {
            var actor: String?
            var principals = Set<String>()
            var first: Int64?, last: Int64?
            var firstText: String?, lastText: String?
            var ips: [String: Int] = [:], endpoints = Set<String>(), agents: [String: Int] = [:],
                regions = Set<String>()
            var count = 0, errors = 0
        }
        var tallies: [String: Tally] = [:]
        var collectorKeys = Set(set.collectors.compactMap(\.accessKeyId))
        for event in set.events {
            guard let key = event.reference.accessKeyId, !key.isEmpty else { continue }
            var tally = tallies[key] ?? Tally()
            defer { tallies[key] = tally }
            if event.isCollector {
                collectorKeys.insert(key)
                continue
            }
            if tally.actor == nil { tally.actor = event.actor }
            if let principal = event.reference.principal { tally.principals.insert(principal) }
            if let seconds = event.seconds {
                if tally.first.map({ seconds < $0 }) ?? true {
                    (tally.first, tally.firstText) = (seconds, event.reference.eventTime)
                }
                if tally.last.map({ seconds >= $0 }) ?? true {
                    (tally.last, tally.lastText) = (seconds, event.reference.eventTime)
                }
            }
            if let ip = event.reference.sourceIPAddress { tally.ips[ip, default: 0] += 1 }
            if let endpoint = event.reference.vpcEndpointId { tally.endpoints.insert(endpoint) }
            if let agent = event.reference.userAgent { tally.agents[agent, default: 0] += 1 }
            if let region = event.reference.region { tally.regions.insert(region) }
            tally.count += 1
            if event.reference.errorCode != nil { tally.errors += 1 }
        }
        func top(_ counts: [String: Int]) -> [String] {
            counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10).map(\.key)
        }
        let usage = tallies.map { key, t in
            KeyUsage(
                accessKeyId: key, actor: t.actor, isCollector: collectorKeys.contains(key),
                principals: t.principals.sorted(), firstSeen: t.firstText, lastSeen: t.lastText,
                sourceIPAddresses: top(t.ips),
                vpcEndpoints: t.endpoints.sorted(), userAgents: top(t.agents), regions: t.regions.sorted(),
                eventCount: t.count,
                errorCount: t.errors)
        }
        // Actors' keys, then the collector's keys that something else used, then the others, then
        // the collector's keys nothing else used.
        func rank(_ usage: KeyUsage) -> Int {
            if usage.actor != nil { return 0 }
            guard usage.isCollector else { return 2 }
            return usage.eventCount > 0 ? 1 : 3
        }
        return usage.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if rank(a) == 0, a.actor != b.actor { return (a.actor ?? "") < (b.actor ?? "") }
            if a.eventCount != b.eventCount { return a.eventCount > b.eventCount }
            return a.accessKeyId < b.accessKeyId
        }
    }

    func regions() -> [RegionActivity] {
        struct Tally {
            var count = 0, actor = 0, errors = 0
            var first: Int64?, last: Int64?, firstText: String?, lastText: String?
            var usedBefore = false
        }
        var tallies: [String: Tally] = [:]
        var historyBefore = Set<String>()
        for event in events {
            let region = event.reference.region ?? "(none)"
            var tally = tallies[region] ?? Tally()
            tally.count += 1
            if event.actor != nil { tally.actor += 1 }
            if event.reference.errorCode != nil { tally.errors += 1 }
            if let seconds = event.seconds {
                if tally.first.map({ seconds < $0 }) ?? true {
                    (tally.first, tally.firstText) = (seconds, event.reference.eventTime)
                }
                if tally.last.map({ seconds >= $0 }) ?? true {
                    (tally.last, tally.lastText) = (seconds, event.reference.eventTime)
                }
                if let start = attackStart[event.account], seconds < start, event.actor == nil {
                    tally.usedBefore = true
                    historyBefore.insert(event.account)
                }
            }
            tallies[region] = tally
        }
        return tallies.map { region, t -> RegionActivity in
            var reason: String?
            if firstUseRegions.contains(region) {
                reason = "the snapshot diff found resources or activity here that the baseline did not have"
            } else if t.actor > 0, !t.usedBefore, !historyBefore.isEmpty {
                reason = "no event before the attack started used it; the suspects did"
            }
            return RegionActivity(
                region: region, eventCount: t.count, actorEventCount: t.actor, errorCount: t.errors,
                firstSeen: t.firstText, lastSeen: t.lastText, neverUsedBefore: reason != nil,
                reason: reason)
        }.sorted { ($1.eventCount, $0.region) < ($0.eventCount, $1.region) }
    }

    /// Events per bucket for each label (the collector's calls left out), buckets sized so the
    /// whole span fits in at most 48: the narrowest of minutes to a year that does, else as many
    /// years a bucket as it takes (evidence may hold times from year 0 to 9999). Buckets start at
    /// multiples of their width since 1970, never before the first time a timestamp can write.
    func activity(labels: (ReportEvent) -> String, order: [String]) -> ActivitySeries {
        let events = events
        let times = events.compactMap(\.seconds)
        guard let first = times.min(), let last = times.max() else { return ActivitySeries() }
        func start(_ width: Int64) -> Int64 {
            max(
                EvidenceSeconds.bucketStart(first, width: width) ?? first,
                min(first, EvidenceSeconds.writable.lowerBound))
        }
        func buckets(_ width: Int64) -> Int64 { EvidenceSeconds.subtracting(last, start(width)) / width + 1 }
        let year: Int64 = 365 * 86400
        let widths: [Int64] = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400, year]
        let width =
            widths.first { buckets($0) <= 48 }
            ?? EvidenceSeconds.multiplying(EvidenceSeconds.subtracting(last, first) / (47 * year) + 1, year)
        let start = start(width)
        let buckets = Int(buckets(width))
        var counts: [String: [Int]] = [:]
        for event in events {
            guard let seconds = event.seconds else { continue }
            let label = labels(event)
            let bucket = Int(EvidenceSeconds.subtracting(seconds, start) / width)
            counts[label, default: [Int](repeating: 0, count: buckets)][bucket] += 1
        }
        let ordered = order.filter { counts[$0] != nil } + counts.keys.filter { !order.contains($0) }.sorted()
        return ActivitySeries(
            start: UTCTimestamp(seconds: start).iso8601, bucketSeconds: Int(width),
            series: ordered.map { ActivitySeries.Series(label: $0, counts: counts[$0]!) })
    }
}
