import CustodyJSON
import Evidence

/// A finding made from one CloudTrail event, with the index of that event in the log.
struct EventFinding {
    var finding: Finding
    var event: Int
}

/// One event as the rules read it: its row, its whole record, and shortcuts.
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

    static func lastPathComponent(_ arn: String) -> String? {
        arn.split(separator: "/").last.map(String.init)
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
