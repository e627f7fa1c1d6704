import CustodyJSON
import Evidence
import EvidenceReading

/// A finding made from one CloudTrail event, with the index of that event in the log.
struct EventFinding {
    var finding: Finding
    var event: Int
}

/// One event as the rules read it: its row, its kept record, and shortcuts.
struct EventFacts {
    let log: EventLog
    let index: Int
    let row: EventRow
    let record: CloudTrailEvent

    init?(log: EventLog, index: Int) {
        guard let record = log.detail(index) else { return nil }
        self.log = log
        self.index = index
        self.row = log.rows[index]
        self.record = record
    }

    var name: String { log.table[row.name] }
    var failed: Bool { row.errorCode != 0 }
    var errorCode: String? { log.string(row.errorCode) }
    var region: String? { log.string(row.region) }
    var account: String {
        log.string(row.recipient) ?? log.sources[Int(row.sourceIndex)].account
    }
    var identityType: String? { log.string(row.identityType) }
    var principal: String? { log.string(row.principal) }
    var accessKey: String? { log.string(row.accessKey) }
    /// The caller's own IAM user name, when an IAM user (or its session token) made the call.
    var callerUserName: String? {
        identityType == "IAMUser" ? log.string(row.userName) ?? principal.flatMap(Self.lastPathComponent) : nil
    }
    /// The caller's account.
    var callerAccount: String? { log.string(row.identityAccount) }
    var request: JSONValue? { record.requestParameters }
    var response: JSONValue? { record.responseElements }

    func parameter(_ name: String) -> String? { request?[name]?.stringValue }

    /// The last non-empty part of `arn` between slashes (`nil` when there is none), as
    /// `split(separator: "/").last` gives it, without building the parts.
    static func lastPathComponent(_ arn: String) -> String? {
        let utf8 = arn.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") {
            end = utf8.index(before: end)
        }
        guard end > utf8.startIndex else { return nil }
        let start = utf8[..<end].lastIndex(of: UInt8(ascii: "/")).map(utf8.index(after:)) ?? utf8.startIndex
        return String(arn[start..<end])
    }

    /// The account of an ARN (`arn:partition:service:region:account:…`), "" when it has none.
    static func accountOf(arn: String) -> String {
        let utf8 = arn.utf8
        var colons = 0
        var start = utf8.startIndex
        for index in utf8.indices where utf8[index] == UInt8(ascii: ":") {
            colons += 1
            if colons == 4 {
                start = utf8.index(after: index)
            } else if colons == 5 {
                return String(arn[start..<index])
            }
        }
        return colons == 4 ? String(arn[start...]) : ""
    }

    /// A finding from this event; the event, its evidence and region filled in.
    func finding(
        _ rule: RuleID, _ title: String, _ severity: Severity, _ reason: String, entity: EntityReference,
        containment: Containment, details: [String: String] = [:], exposure: ExposureWindow? = nil
    ) -> EventFinding {
        let reference = log.reference(at: index)
        var finding = Finding(
            rule: rule, title: title, severity: severity, reason: reason, basis: .cloudTrailOnly, account: account,
            region: entity.region ?? region, entity: entity, evidence: reference.evidence.map { [$0] } ?? [],
            event: reference, exposure: exposure, containment: containment, details: details)
        if let by = principal ?? callerAccount { finding.details["madeBy"] = by }
        return EventFinding(finding: finding, event: index)
    }
}
