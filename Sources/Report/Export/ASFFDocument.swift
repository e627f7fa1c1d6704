import CustodyJSON
import Diff
import EvidenceReading

/// `findings.asff.json`: the report's findings in the AWS Security Finding Format, as the request of
/// Security Hub's `BatchImportFindings` (`{"Findings": [AwsSecurityFinding…]}`), ready for
/// `aws securityhub batch-import-findings --cli-input-json file://findings.asff.json`.
///
/// Each finding goes to the account's own default product
/// (`arn:aws:securityhub:<region>:<account>:product/<account>/default`), as custom integrations
/// do, in the region the finding belongs to. Texts are cut to ASFF's limits (title 256, description
/// 1,024, recommendation 512, product field values 2,048 characters); strings from the evidence go
/// through the JSON encoder only. No secret key or session token is read, so none can appear.
/// The shapes are botocore's `securityhub` service model (`AwsSecurityFinding`).
struct ASFFDocument: Encodable {
    /// The findings.
    var findings: [ASFFFinding]

    enum CodingKeys: String, CodingKey {
        case findings = "Findings"
    }

    /// The report's findings, in its order.
    init(_ report: IncidentReport) {
        findings = ExportedFinding.all(report).map(ASFFFinding.init)
    }
}

/// One `AwsSecurityFinding`.
struct ASFFFinding: Encodable {
    /// The ASFF version: `2018-10-08`.
    var schemaVersion = "2018-10-08"
    /// `ExportedFinding.id`.
    var id: String
    /// The account's default product in the finding's region.
    var productArn: String
    /// Always `Custody`.
    var productName = "Custody"
    /// Always `Custody`.
    var companyName = "Custody"
    /// The rule id.
    var generatorId: String
    /// The finding's account.
    var awsAccountId: String
    /// `namespace/category/<rule id>` (`ExportedFinding.types`).
    var types: [String]
    /// The finding's event time (RFC 3339).
    var createdAt: String
    /// The latest of its events' times: what the record was last made from.
    var updatedAt: String
    /// The finding's event time.
    var firstObservedAt: String
    /// The latest of its events' times.
    var lastObservedAt: String
    /// `Label` from the severity, `Original` as the report writes it.
    var severity: Severity
    /// The finding's title.
    var title: String
    /// Why the rule chose its severity.
    var description: String
    /// The containment advice.
    var remediation: Remediation?
    /// The entity.
    var resources: [Resource]
    /// Rule, basis, actor, the event and where its record is: strings only.
    var productFields: [String: String]
    /// The call's source address, when it is one.
    var network: Network?
    /// The API call that caused the finding.
    var action: Action?
    /// The source address of a suspect actor's call.
    var threatIntelIndicators: [Indicator]?
    /// Always `NEW`.
    var workflow = Workflow()
    /// Always `ACTIVE`.
    var recordState = "ACTIVE"

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "SchemaVersion", id = "Id", productArn = "ProductArn", productName = "ProductName"
        case companyName = "CompanyName", generatorId = "GeneratorId", awsAccountId = "AwsAccountId"
        case types = "Types", createdAt = "CreatedAt", updatedAt = "UpdatedAt"
        case firstObservedAt = "FirstObservedAt", lastObservedAt = "LastObservedAt", severity = "Severity"
        case title = "Title", description = "Description", remediation = "Remediation", resources = "Resources"
        case productFields = "ProductFields", network = "Network", action = "Action"
        case threatIntelIndicators = "ThreatIntelIndicators", workflow = "Workflow", recordState = "RecordState"
    }

    /// `Severity`.
    struct Severity: Encodable {
        /// `HIGH`, `MEDIUM` or `LOW`.
        var label: String
        /// `high`, `medium` or `low`.
        var original: String
        enum CodingKeys: String, CodingKey { case label = "Label", original = "Original" }
    }

    /// `Remediation`.
    struct Remediation: Encodable {
        /// `Recommendation`.
        var recommendation: Recommendation
        enum CodingKeys: String, CodingKey { case recommendation = "Recommendation" }
    }

    /// `Recommendation`.
    struct Recommendation: Encodable {
        /// The advice, at most 512 characters.
        var text: String
        enum CodingKeys: String, CodingKey { case text = "Text" }
    }

    /// `Resource`.
    struct Resource: Encodable {
        /// `ExportedFinding.resourceType`.
        var type: String
        /// `ExportedFinding.resourceID`, at most 512 characters.
        var id: String
        /// The ARN's partition.
        var partition: String
        /// The finding's region.
        var region: String
        /// For `Other`: the entity's kind and name.
        var details: Details?
        enum CodingKeys: String, CodingKey {
            case type = "Type", id = "Id", partition = "Partition", region = "Region", details = "Details"
        }
    }

    /// `ResourceDetails`.
    struct Details: Encodable {
        /// `Other`: free key-value pairs.
        var other: [String: String]
        enum CodingKeys: String, CodingKey { case other = "Other" }
    }

    /// `Network`.
    struct Network: Encodable {
        /// Always `IN`: the call came to AWS.
        var direction = "IN"
        /// The source, IPv4.
        var sourceIpV4: String?
        /// The source, IPv6.
        var sourceIpV6: String?
        enum CodingKeys: String, CodingKey {
            case direction = "Direction", sourceIpV4 = "SourceIpV4", sourceIpV6 = "SourceIpV6"
        }
    }

    /// `Action`.
    struct Action: Encodable {
        /// Always `AWS_API_CALL`.
        var actionType = "AWS_API_CALL"
        /// The call.
        var awsApiCallAction: APICall
        enum CodingKeys: String, CodingKey { case actionType = "ActionType", awsApiCallAction = "AwsApiCallAction" }
    }

    /// `AwsApiCallAction`.
    struct APICall: Encodable {
        /// The `eventName`.
        var api: String?
        /// The `eventSource`.
        var serviceName: String?
        /// `Remote IP` for an address, `Domain` for a service's name (`ec2.amazonaws.com`).
        var callerType: String?
        /// The IPv4 source.
        var remoteIpDetails: RemoteIP?
        /// The named source.
        var domainDetails: Domain?
        /// The first of the finding's events.
        var firstSeen: String
        /// The last of them.
        var lastSeen: String
        enum CodingKeys: String, CodingKey {
            case api = "Api", serviceName = "ServiceName", callerType = "CallerType"
            case remoteIpDetails = "RemoteIpDetails", domainDetails = "DomainDetails", firstSeen = "FirstSeen"
            case lastSeen = "LastSeen"
        }
    }

    /// `ActionRemoteIpDetails`.
    struct RemoteIP: Encodable {
        /// The address.
        var ipAddressV4: String
        enum CodingKeys: String, CodingKey { case ipAddressV4 = "IpAddressV4" }
    }

    /// `AwsApiCallActionDomainDetails`.
    struct Domain: Encodable {
        /// The name.
        var domain: String
        enum CodingKeys: String, CodingKey { case domain = "Domain" }
    }

    /// `ThreatIntelIndicator`.
    struct Indicator: Encodable {
        /// `IPV4_ADDRESS` or `IPV6_ADDRESS`.
        var type: String
        /// The address.
        var value: String
        /// Always `Custody`.
        var source = "Custody"
        /// The last of the finding's events.
        var lastObservedAt: String
        enum CodingKeys: String, CodingKey {
            case type = "Type", value = "Value", source = "Source", lastObservedAt = "LastObservedAt"
        }
    }

    /// `Workflow`.
    struct Workflow: Encodable {
        /// Always `NEW`.
        var status = "NEW"
        enum CodingKeys: String, CodingKey { case status = "Status" }
    }

    /// Security Hub's limits on the texts Custody fills, in characters.
    enum Limit {
        /// `Title`.
        static let title = 256
        /// `Description`.
        static let description = 1024
        /// `Remediation.Recommendation.Text`.
        static let recommendation = 512
        /// `ProductFields` values.
        static let fieldValue = 2048
        /// `Resources[].Details.Other` values.
        static let otherValue = 1024
        /// `Id`, `Resources[].Id`, and the API call's names taken from the evidence.
        static let identifier = 512
    }

    /// The finding in ASFF.
    init(_ exported: ExportedFinding) {
        let finding = exported.finding
        let event = finding.event
        let first = exported.firstSeen.iso8601
        let last = exported.lastSeen.iso8601
        let rule = Rule.named(finding.rule)
        id = exported.id
        productArn =
            "arn:\(exported.partition):securityhub:\(exported.region):\(finding.account):product/\(finding.account)/default"
        generatorId = finding.rule.rawValue
        awsAccountId = finding.account
        types = exported.types
        createdAt = first
        updatedAt = last
        firstObservedAt = first
        lastObservedAt = last
        severity = Severity(label: finding.severity.rawValue.uppercased(), original: finding.severity.rawValue)
        title = ExportedFinding.clip(finding.title, to: Limit.title) ?? rule.title
        description =
            ExportedFinding.clip(finding.reason, to: Limit.description)
            ?? ExportedFinding.clip(rule.title, to: Limit.description) ?? finding.rule.rawValue
        remediation = ExportedFinding.clip(finding.containment.advice, to: Limit.recommendation).map {
            Remediation(recommendation: Recommendation(text: $0))
        }
        let type = exported.resourceType
        var other: [String: String] = [:]
        if type == "Other" {
            other["Kind"] = finding.entity.kind.rawValue
            other["Name"] = ExportedFinding.clip(finding.entity.name, to: Limit.otherValue)
        }
        resources = [
            Resource(
                type: type,
                id: ExportedFinding.clip(exported.resourceID, to: Limit.identifier) ?? finding.entity.kind.rawValue,
                partition: exported.partition, region: exported.region,
                details: other.isEmpty ? nil : Details(other: other))
        ]
        productFields = Self.productFields(exported)
        let source = event?.sourceIPAddress
        let v4 = ExportedFinding.ipv4(source)
        let v6 = ExportedFinding.ipv6(source)
        network = v4 != nil || v6 != nil ? Network(sourceIpV4: v4, sourceIpV6: v6) : nil
        if let event, event.eventName != nil || event.eventSource != nil {
            let named = v4 == nil && v6 == nil ? ExportedFinding.clip(source, to: Limit.identifier) : nil
            action = Action(
                awsApiCallAction: APICall(
                    api: ExportedFinding.clip(event.eventName, to: Limit.identifier),
                    serviceName: ExportedFinding.clip(event.eventSource, to: Limit.identifier),
                    callerType: v4 != nil || v6 != nil ? "Remote IP" : named != nil ? "Domain" : nil,
                    remoteIpDetails: v4.map(RemoteIP.init), domainDetails: named.map(Domain.init),
                    firstSeen: first, lastSeen: last))
        }
        // An address is a threat indicator only when a suspect actor called from it.
        if finding.actor != nil, let address = v4 ?? v6 {
            threatIntelIndicators = [
                Indicator(type: v4 != nil ? "IPV4_ADDRESS" : "IPV6_ADDRESS", value: address, lastObservedAt: last)
            ]
        }
    }

    /// The finding's facts Security Hub has no field for, under `Custody/…`; empty values are left out.
    static func productFields(_ exported: ExportedFinding) -> [String: String] {
        let finding = exported.finding
        let event = finding.event
        let pointer = exported.evidence
        let fields: [(String, String?)] = [
            ("Rule", finding.rule.rawValue),
            ("Basis", finding.basis.rawValue),
            ("Techniques", finding.techniques.map(\.id).joined(separator: ", ")),
            ("Actor", finding.actor),
            ("Effect", finding.effect?.rawValue),
            ("Entity/Kind", finding.entity.kind.rawValue),
            ("Entity/Id", finding.entity.id),
            ("Entity/Name", finding.entity.name),
            ("Event/Id", event?.eventID),
            ("Event/Name", event?.eventName),
            ("Event/Source", event?.eventSource),
            ("Event/Time", event?.eventTime),
            ("Event/Region", event?.region),
            ("Event/Principal", event?.principal),
            ("Event/AccessKeyId", event?.accessKeyId),
            ("Event/SourceIPAddress", event?.sourceIPAddress),
            ("Event/UserAgent", event?.userAgent),
            ("Event/VpcEndpointId", event?.vpcEndpointId),
            ("Event/ErrorCode", event?.errorCode),
            ("RelatedEvents", finding.relatedEvents.isEmpty ? nil : String(finding.relatedEvents.count)),
            ("Evidence/Archive", pointer?.archive),
            ("Evidence/ManifestSHA256", exported.manifestSHA256(pointer)),
            ("Evidence/Member", pointer?.member),
            ("Evidence/SHA256", pointer?.sha256),
            ("Evidence/JsonPointer", pointer?.jsonPointer),
            ("Evidence/Line", pointer?.line.map(String.init)),
            ("Evidence/Record", pointer?.record.map(String.init)),
        ]
        var out: [String: String] = [:]
        for (key, value) in fields {
            if let value = ExportedFinding.clip(value, to: Limit.fieldValue) { out["Custody/" + key] = value }
        }
        return out
    }
}
