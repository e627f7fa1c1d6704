import CustodyJSON
import Diff
import Evidence
import EvidenceReading

/// One CloudTrail event as the report reads it, with what the builder decided about it.
struct ReportEvent {
    /// The account whose slices held it.
    var account: String
    /// Its place in that account's `EventLog`.
    var index: Int
    /// The event.
    var reference: EventReference
    /// `eventTime` in seconds, when valid.
    var seconds: Int64?
    /// Whether the collector made it.
    var isCollector: Bool
    /// What it acted on.
    var target: String?
    /// The actor it belongs to (qualified id), if any.
    var actor: String?

    /// The key findings cite it by: its `eventID`, or where its record is.
    var key: String { Self.key(reference, account: account) }

    static func key(_ reference: EventReference, account: String) -> String {
        if let id = reference.eventID { return "\(reference.account ?? account)|\(id)" }
        let pointer = reference.evidence
        return "\(account)|\(pointer?.archive ?? "")#\(pointer?.member ?? "")#\(pointer?.record ?? 0)"
    }

    var name: String { reference.eventName ?? "" }

    /// Whether the call failed for lack of permission.
    var isDenied: Bool {
        guard let code = reference.errorCode?.lowercased() else { return false }
        return code.contains("denied") || code.contains("unauthorized") || code.contains("forbidden")
    }
}

/// The events of every account, oldest first (ties keep account, then slice order).
struct EventSet {
    var logs: [String: EventLog] = [:]
    var events: [ReportEvent] = []
    /// The collections whose calls are marked as the collector's, each once.
    var collectors = Set<CollectorSpan>()

    mutating func add(_ log: EventLog, account: String) {
        logs[account] = log
        collectors.formUnion(log.collectors)
        for index in 0..<log.count {
            let reference = log.reference(at: index)
            events.append(
                ReportEvent(
                    account: account, index: index, reference: reference,
                    seconds: reference.eventTime.flatMap { UTCTimestamp(parsing: $0)?.seconds },
                    isCollector: log.isCollector(at: index), target: log.target(at: index)))
        }
    }

    /// Sorts by time; events without a valid time go last.
    mutating func finish(accountOrder: [String]) {
        let rank = Dictionary(uniqueKeysWithValues: accountOrder.enumerated().map { ($1, $0) })
        events.sort { a, b in
            let ta = a.seconds ?? .max, tb = b.seconds ?? .max
            if ta != tb { return ta < tb }
            let ra = rank[a.account] ?? 0, rb = rank[b.account] ?? 0
            if ra != rb { return ra < rb }
            return a.index < b.index
        }
    }

    func record(_ event: ReportEvent) -> CloudTrailEvent? { logs[event.account]?.record(at: event.index) }

    func principalId(_ event: ReportEvent) -> String? { logs[event.account]?.principalId(at: event.index) }

    /// `userIdentity.arn` as the record has it, `nil` when it has none (where `EventReference.principal`
    /// names the caller another way).
    func arn(_ event: ReportEvent) -> String? {
        logs[event.account].flatMap { $0.string($0.rows[event.index].principal) }
    }

    func requestParameter(_ name: String, of event: ReportEvent) -> String? {
        logs[event.account]?.requestParameter(name, at: event.index)
    }
}
