import CustodyJSON

extension EventLog {
    /// Marks the collector's own calls (`EventRow.byCollector`): those made with a collection's key
    /// or principal, with custody's user agent, within that collection's span (`CollectorSpan`).
    /// Every other call of those keys and principals stays anyone's, and a note says who else
    /// used them: how many calls, from where, with which user agent, when.
    mutating func markCollectorCalls(_ spans: [CollectorSpan]) {
        collectors = spans
        // The windows of each collector key and principal, by interned id; an identity whose
        // manifest times do not parse has none, so none of its calls is the collector's.
        var windows: [Int32: [ClosedRange<Int64>]] = [:]
        for span in spans {
            for value in [span.accessKeyId, span.principal].compactMap({ $0 }) where !value.isEmpty {
                let id = table.lookup(value)
                guard id != 0 else { continue }
                windows[id, default: []] += span.window.map { [$0] } ?? []
            }
        }
        guard !windows.isEmpty else { return }
        var isCollectorId = [Bool](repeating: false, count: table.count)
        for id in windows.keys { isCollectorId[Int(id)] = true }
        // By user agent id: 1 custody's, 0 not, -1 not yet known.
        var isCustody = [Int8](repeating: -1, count: table.count)
        var others: [Int32: OtherUse] = [:]
        for index in rows.indices {
            let row = rows[index]
            let byKey = row.accessKey != 0 && isCollectorId[Int(row.accessKey)]
            let byPrincipal = row.principal != 0 && isCollectorId[Int(row.principal)]
            guard byKey || byPrincipal else { continue }
            let agent = Int(row.userAgent)
            if isCustody[agent] < 0 { isCustody[agent] = CollectorSpan.isCustodyAgent(table[row.userAgent]) ? 1 : 0 }
            let inSpan =
                row.hasTime
                && ((byKey && windows[row.accessKey, default: []].contains { $0.contains(row.time) })
                    || (byPrincipal && windows[row.principal, default: []].contains { $0.contains(row.time) }))
            if isCustody[agent] == 1 && inSpan {
                rows[index].byCollector = true
                continue
            }
            others[byKey ? row.accessKey : row.principal, default: OtherUse(isKey: byKey)]
                .add(row, custodyAgent: isCustody[agent] == 1)
        }
        for (id, use) in others.sorted(by: { table[$0.key] < table[$1.key] }) {
            notes.append(use.note(identity: table[id], table))
        }
    }
}

/// The calls of a collector's key or principal that are not the collector's.
private struct OtherUse {
    /// Whether the calls were made with the collector's key (else only as its principal).
    let isKey: Bool
    var count = 0
    /// Of those, calls with custody's user agent outside every collection's span.
    var outsideSpans = 0
    var addresses: [Int32: Int] = [:]
    var agents: [Int32: Int] = [:]
    var first: Int64?, last: Int64?

    mutating func add(_ row: EventRow, custodyAgent: Bool) {
        count += 1
        if custodyAgent { outsideSpans += 1 }
        addresses[row.sourceIP != 0 ? row.sourceIP : row.vpcEndpoint, default: 0] += 1
        agents[row.userAgent, default: 0] += 1
        if row.hasTime {
            first = min(first ?? row.time, row.time)
            last = max(last ?? row.time, row.time)
        }
    }

    /// The warning: who else used the identity, without anything secret (an access key id is not).
    func note(identity: String, _ table: StringTable) -> String {
        func most(_ counts: [Int32: Int], _ limit: Int) -> String {
            let ranked = counts.map {
                (text: $0.key == 0 ? "nowhere said" : String(table[$0.key].prefix(120)), $0.value)
            }
            .sorted { ($0.1, $1.text) > ($1.1, $0.text) }
            var parts = ranked.prefix(limit).map { counts.count == 1 ? $0.text : "\($0.text) (\($0.1))" }
            if ranked.count > limit { parts.append("\(ranked.count - limit) more") }
            return parts.joined(separator: ", ")
        }
        var text =
            "The collector's \(isKey ? "key" : "principal") \(identity) was used by something other than custody: "
            + "\(count) call\(count == 1 ? "" : "s") from \(most(addresses, 3)) with user agent \(most(agents, 2))"
        if let first, let last {
            let from = UTCTimestamp(seconds: first).iso8601, to = UTCTimestamp(seconds: last).iso8601
            text += first == last ? " at \(from)" : " between \(from) and \(to)"
        }
        text += "."
        if outsideSpans > 0 {
            text +=
                " \(outsideSpans) of them \(outsideSpans == 1 ? "carries" : "carry") custody's user agent outside every collection's time (a user agent is easy to copy)."
        }
        return text
            + " They are not counted as the collector's and are judged like anyone's: if no one else was meant to hold it, the \(isKey ? "key" : "principal")'s credentials are in other hands."
    }
}
