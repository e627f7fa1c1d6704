import CustodyJSON
import Diff
import EvidenceReading

/// `findings.ocsf.json`: the report's findings as an array of OCSF Detection Finding records
/// (schema 1.8.0, class 2004, with the `cloud` profile), as a SIEM or Security Lake takes them.
///
/// Each record is one finding, created (`activity_id` 1), new (`status_id` 1), at the finding's
/// event time in milliseconds; `finding_info.uid` is the same id `findings.asff.json` gives it.
/// Its evidences are the finding's CloudTrail events (call, caller, source, and where the record is
/// in the sealed evidence), or the snapshot members for a finding without an event. Strings from
/// the evidence go through the JSON encoder only; no secret key or session token is read, so none
/// can appear.
struct OCSFDocument: Encodable {
    /// The OCSF schema version the records follow.
    static let schemaVersion = "1.8.0"

    /// The records, in the report's order.
    var records: [OCSFDetectionFinding]

    /// The report's findings; `toolVersion` is Custody's, for `metadata.product.version`.
    init(_ report: IncidentReport, toolVersion: String?) {
        records = ExportedFinding.all(report).map { OCSFDetectionFinding($0, toolVersion: toolVersion) }
    }

    /// A bare array.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(records)
    }
}

/// One Detection Finding (class 2004).
struct OCSFDetectionFinding: Encodable {
    /// 1: Create.
    var activityID = 1
    /// `Create`.
    var activityName = "Create"
    /// 2: Findings.
    var categoryUID = 2
    /// `Findings`.
    var categoryName = "Findings"
    /// 2004: Detection Finding.
    var classUID = 2004
    /// `Detection Finding`.
    var className = "Detection Finding"
    /// `class_uid × 100 + activity_id`: 200401.
    var typeUID = 200_401
    /// `Detection Finding: Create`.
    var typeName = "Detection Finding: Create"
    /// 4 High, 3 Medium, 2 Low.
    var severityID: Int
    /// The caption of `severity_id`.
    var severity: String
    /// 1: New.
    var statusID = 1
    /// `New`.
    var status = "New"
    /// The finding's event time, in milliseconds since 1970.
    var time: Int64
    /// What was found.
    var findingInfo: FindingInfo
    /// The call that caused it.
    var api: API?
    /// Its events, or its snapshot members.
    var evidences: [Evidence]?
    /// The entity.
    var resources: [Resource]
    /// AWS, the account and the region.
    var cloud: Cloud
    /// Custody and the schema version.
    var metadata: Metadata
    /// The containment advice and commands.
    var remediation: Remediation?

    enum CodingKeys: String, CodingKey {
        case activityID = "activity_id", activityName = "activity_name", categoryUID = "category_uid"
        case categoryName = "category_name", classUID = "class_uid", className = "class_name"
        case typeUID = "type_uid", typeName = "type_name", severityID = "severity_id", severity
        case statusID = "status_id", status, time, findingInfo = "finding_info", api, evidences, resources
        case cloud, metadata, remediation
    }

    /// `finding_info`.
    struct FindingInfo: Encodable {
        /// `ExportedFinding.id`.
        var uid: String
        /// The finding's title.
        var title: String
        /// Why the rule chose its severity.
        var desc: String
        /// The ASFF types, so both exports classify a finding alike.
        var types: [String]
        /// The rule.
        var analytic: Analytic
        /// The rule's ATT&CK techniques.
        var attacks: [Attack]?
        /// The finding's first event, in milliseconds.
        var firstSeenTime: Int64
        /// Its last event, in milliseconds.
        var lastSeenTime: Int64
        /// `CloudTrail`, and `Snapshot` for a finding seen in a snapshot diff.
        var dataSources: [String]
        enum CodingKeys: String, CodingKey {
            case uid, title, desc, types, analytic, attacks, firstSeenTime = "first_seen_time"
            case lastSeenTime = "last_seen_time", dataSources = "data_sources"
        }
    }

    /// `analytic`.
    struct Analytic: Encodable {
        /// The rule id.
        var name: String
        /// The rule id.
        var uid: String
        /// 1: Rule.
        var typeID = 1
        /// `Rule`.
        var type = "Rule"
        enum CodingKeys: String, CodingKey { case name, uid, typeID = "type_id", type }
    }

    /// `attack`: a technique, its parent for a sub-technique, and its tactic where known.
    struct Attack: Encodable {
        /// The technique (for a sub-technique, its parent).
        var technique: Named
        /// The sub-technique.
        var subTechnique: Named?
        /// The tactic.
        var tactic: Named?
        enum CodingKeys: String, CodingKey { case technique, subTechnique = "sub_technique", tactic }
    }

    /// An ATT&CK id and name.
    struct Named: Encodable {
        /// The id, such as `T1098` or `TA0003`.
        var uid: String
        /// The name.
        var name: String?
    }

    /// `api`.
    struct API: Encodable {
        /// The `eventName`.
        var operation: String
        /// The `eventSource`.
        var service: Service?
    }

    /// `service`.
    struct Service: Encodable {
        /// Such as `iam.amazonaws.com`.
        var name: String
    }

    /// `evidences`: one CloudTrail event, or one snapshot member.
    struct Evidence: Encodable {
        /// CloudTrail's `eventID`.
        var uid: String?
        /// `CloudTrail event`, or `Snapshot member`.
        var name: String
        /// The call.
        var api: API?
        /// The caller.
        var actor: Actor?
        /// Where the call came from.
        var srcEndpoint: Endpoint?
        /// Where the record is in the sealed evidence, and the event time as written.
        var data: Pointer
        enum CodingKeys: String, CodingKey { case uid, name, api, actor, srcEndpoint = "src_endpoint", data }
    }

    /// `actor`.
    struct Actor: Encodable {
        /// The principal.
        var user: User
    }

    /// `user`.
    struct User: Encodable {
        /// The principal's ARN (`userIdentity.arn`).
        var uid: String?
        /// The last part of its ARN (the user, the session).
        var name: String?
        /// The access key id: OCSF 1.x readers (CloudTrail in Security Lake) look here; 1.8
        /// deprecates it for `programmatic_credentials`, which carries it too.
        var credentialUID: String?
        /// The access key.
        var programmaticCredentials: [Credential]?
        /// The account (`recipientAccountId`).
        var account: Account?
        enum CodingKeys: String, CodingKey {
            case uid, name, credentialUID = "credential_uid", programmaticCredentials = "programmatic_credentials"
            case account
        }
    }

    /// `programmatic_credential`.
    struct Credential: Encodable {
        /// The access key id.
        var uid: String
        /// `AWS Access Key`.
        var type = "AWS Access Key"
    }

    /// `account`.
    struct Account: Encodable {
        /// The account id.
        var uid: String
        /// 10: AWS Account.
        var typeID = 10
        /// `AWS Account`.
        var type = "AWS Account"
        enum CodingKeys: String, CodingKey { case uid, typeID = "type_id", type }
    }

    /// `network_endpoint`.
    struct Endpoint: Encodable {
        /// The source address, when it is one.
        var ip: String?
        /// The source as written otherwise (`ec2.amazonaws.com`, `AWS Internal`).
        var name: String?
    }

    /// The evidence pointer, in `evidences[].data`.
    struct Pointer: Encodable {
        /// The archive's path.
        var archive: String?
        /// The SHA-256 of the archive's signed `manifest.json`.
        var manifestSHA256: String?
        /// The member.
        var member: String?
        /// The member's SHA-256 from the signed manifest.
        var sha256: String?
        /// A JSON pointer into the member.
        var jsonPointer: String?
        /// The line the record starts on.
        var line: Int?
        /// The record's place in the member.
        var record: Int?
        /// `eventTime`, as written.
        var eventTime: String?
        enum CodingKeys: String, CodingKey {
            case archive, manifestSHA256 = "manifest_sha256", member, sha256, jsonPointer = "json_pointer", line, record
            case eventTime = "event_time"
        }
    }

    /// `resource_details`.
    struct Resource: Encodable {
        /// The ARN or id (`ExportedFinding.resourceID`).
        var uid: String
        /// Its name.
        var name: String?
        /// The ASFF resource type, or the entity's kind where ASFF has none.
        var type: String
        /// The region.
        var region: String
        /// The partition.
        var cloudPartition: String
        enum CodingKeys: String, CodingKey { case uid, name, type, region, cloudPartition = "cloud_partition" }
    }

    /// `cloud`.
    struct Cloud: Encodable {
        /// `AWS`.
        var provider = "AWS"
        /// The finding's account.
        var account: Account
        /// The finding's region.
        var region: String
    }

    /// `metadata`.
    struct Metadata: Encodable {
        /// Custody.
        var product: Product
        /// The OCSF schema version.
        var version = OCSFDocument.schemaVersion
        /// `cloud`.
        var profiles = ["cloud"]
        /// `ExportedFinding.id`.
        var uid: String
    }

    /// `product`.
    struct Product: Encodable {
        /// `Custody`.
        var name = "Custody"
        /// `Custody`.
        var vendorName = "Custody"
        /// Custody's version, when the report was written by it.
        var version: String?
        enum CodingKeys: String, CodingKey { case name, vendorName = "vendor_name", version }
    }

    /// `remediation`.
    struct Remediation: Encodable {
        /// The advice, then the commands, one per line.
        var desc: String
    }

    /// The finding as a Detection Finding.
    init(_ exported: ExportedFinding, toolVersion: String?) {
        let finding = exported.finding
        let rule = Rule.named(finding.rule)
        let (id, caption): (Int, String) =
            switch finding.severity {
            case .high: (4, "High")
            case .medium: (3, "Medium")
            case .low: (2, "Low")
            }
        severityID = id
        severity = caption
        time = ExportedFinding.milliseconds(exported.firstSeen)
        func text(_ value: String) -> String? { value.contains { !$0.isWhitespace } ? value : nil }
        findingInfo = FindingInfo(
            uid: exported.id, title: text(finding.title) ?? rule.title, desc: text(finding.reason) ?? rule.title,
            types: exported.types,
            analytic: Analytic(name: finding.rule.rawValue, uid: finding.rule.rawValue),
            attacks: finding.techniques.isEmpty ? nil : finding.techniques.map(Self.attack),
            firstSeenTime: time, lastSeenTime: ExportedFinding.milliseconds(exported.lastSeen),
            dataSources: finding.basis == .snapshotDiff ? ["Snapshot", "CloudTrail"] : ["CloudTrail"])
        api = finding.event.flatMap(Self.api)
        let events = exported.events.map { event in
            Self.evidence(
                event, account: finding.account,
                data: Self.pointer(
                    event.evidence, manifest: exported.manifestSHA256(event.evidence), eventTime: event.eventTime))
        }
        let members = finding.evidence.map {
            Evidence(
                name: "Snapshot member", data: Self.pointer($0, manifest: exported.manifestSHA256($0), eventTime: nil))
        }
        evidences = events.isEmpty ? (members.isEmpty ? nil : members) : events
        let type = exported.resourceType
        resources = [
            Resource(
                uid: exported.resourceID, name: finding.entity.name,
                type: type == "Other" ? finding.entity.kind.rawValue : type, region: exported.region,
                cloudPartition: exported.partition)
        ]
        cloud = Cloud(account: Account(uid: finding.account), region: exported.region)
        metadata = Metadata(product: Product(version: toolVersion), uid: exported.id)
        let advice = ([finding.containment.advice] + finding.containment.commands).compactMap(text)
        remediation = advice.isEmpty ? nil : Remediation(desc: advice.joined(separator: "\n"))
    }

    /// A technique as OCSF names it: a sub-technique (`T1098.001`) under its parent (`T1098`), the
    /// names split at ATT&CK's `Parent: Sub` colon, and the tactic where known.
    static func attack(_ technique: Technique) -> Attack {
        let category = ExportedFinding.category(of: technique)
        let tactic = category.flatMap { category in
            category.tacticID.map { Named(uid: $0, name: category.tacticName) }
        }
        let parts = technique.id.split(separator: ".", maxSplits: 1)
        guard parts.count == 2 else {
            return Attack(technique: Named(uid: technique.id, name: technique.name), tactic: tactic)
        }
        let names = technique.name.components(separatedBy: ": ")
        return Attack(
            technique: Named(uid: String(parts[0]), name: names.count == 2 ? names[0] : nil),
            subTechnique: Named(uid: technique.id, name: names.count == 2 ? names[1] : technique.name), tactic: tactic)
    }

    /// The call of an event, when it names one.
    static func api(_ event: EventReference) -> API? {
        guard let operation = event.eventName, !operation.isEmpty else { return nil }
        return API(operation: operation, service: event.eventSource.flatMap { $0.isEmpty ? nil : Service(name: $0) })
    }

    /// An event as evidence, with `data` saying where its record is; the caller's account is the
    /// event's, else the finding's.
    static func evidence(_ event: EventReference, account: String, data: Pointer) -> Evidence {
        let key = event.accessKeyId.flatMap { $0.isEmpty ? nil : $0 }
        let principal = event.principal.flatMap { $0.isEmpty ? nil : $0 }
        let user =
            principal != nil || key != nil
            ? User(
                uid: principal,
                name: principal.flatMap { $0.split(separator: "/").last.map(String.init) },
                credentialUID: key, programmaticCredentials: key.map { [Credential(uid: $0)] },
                account: Account(uid: event.account.flatMap { $0.isEmpty ? nil : $0 } ?? account))
            : nil
        let source = event.sourceIPAddress.flatMap { $0.isEmpty ? nil : $0 }
        // OCSF's ip_t holds at most 40 characters: a longer IPv6 form is kept as the name.
        let address = (ExportedFinding.ipv4(source) ?? ExportedFinding.ipv6(source)).flatMap {
            $0.count <= 40 ? $0 : nil
        }
        return Evidence(
            uid: event.eventID, name: "CloudTrail event", api: api(event), actor: user.map(Actor.init),
            srcEndpoint: source.map { address != nil ? Endpoint(ip: $0) : Endpoint(name: $0) },
            data: data)
    }

    /// Where a record or member is, with its archive's manifest digest.
    static func pointer(_ pointer: EvidencePointer?, manifest: String?, eventTime: String?) -> Pointer {
        Pointer(
            archive: pointer?.archive, manifestSHA256: manifest, member: pointer?.member, sha256: pointer?.sha256,
            jsonPointer: pointer?.jsonPointer, line: pointer?.line, record: pointer?.record, eventTime: eventTime)
    }
}
