import CustodyCrypto
import CustodyJSON
import Diff
import EvidenceReading
import EvidenceArchive
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What both finding exports (`findings.asff.json`, `findings.ocsf.json`) read from one finding:
/// its stable id, its times, where it is, and how the security tools' taxonomies name it.
///
/// Everything comes from the report: times from the finding's events (or the report's own
/// `generatedAt` when a finding has none), ids from the finding's content, never a clock or a
/// random number, so the same report gives the same bytes.
struct ExportedFinding {
    /// The finding.
    var finding: Finding
    /// `custody/<rule>/<64 hex>`: the SHA-256 of the account, rule, entity and event id, so the
    /// same finding keeps its id in every report and importing a report again updates rather than
    /// duplicates it.
    var id: String
    /// The finding's event time, or its earliest related event, or the report's time.
    var firstSeen: UTCTimestamp
    /// The latest of its events; never before `firstSeen`.
    var lastSeen: UTCTimestamp
    /// The region it belongs to (for global things, the region CloudTrail recorded the call in),
    /// `us-east-1` when nothing names a valid one.
    var region: String
    /// `aws`, `aws-cn` or `aws-us-gov`, from the first ARN the finding names.
    var partition: String
    /// The SHA-256 of each archive's signed `manifest.json`, by the archive's path in the case, from
    /// the report's evidence index: it ties an evidence pointer to the signature.
    var manifests: [String: String]

    /// The region a finding names nowhere: where IAM, STS and Organizations record their calls.
    static let defaultRegion = "us-east-1"

    /// The report's findings in its order, each with an id no other finding of the report has.
    static func all(_ report: IncidentReport) -> [ExportedFinding] {
        let reportTime = UTCTimestamp(parsing: report.generatedAt) ?? UTCTimestamp(seconds: 0)
        let manifests = Dictionary(
            report.evidence.compactMap { entry in entry.manifestSHA256.map { (entry.path, $0) } },
            uniquingKeysWith: { first, _ in first })
        return zip(report.findings, ids(report.findings)).map { finding, id in
            let times = ([finding.event] + finding.relatedEvents.map { Optional($0) }).compactMap {
                $0?.eventTime.flatMap { UTCTimestamp(parsing: $0) }
            }
            let first = finding.event?.eventTime.flatMap { UTCTimestamp(parsing: $0) } ?? times.min() ?? reportTime
            return ExportedFinding(
                finding: finding, id: id, firstSeen: first,
                lastSeen: max(first, times.max() ?? first),
                region: [finding.region, finding.entity.region, finding.event?.region].compactMap { $0 }.first(
                    where: isRegion) ?? defaultRegion,
                partition: [finding.entity.arn, finding.event?.principal].compactMap { $0 }.lazy.compactMap(
                    partition(of:)
                ).first ?? "aws", manifests: manifests)
        }
    }

    /// The ids of `findings`, in their order: `custody/<rule>/<64 hex>`, the hash of the account,
    /// rule, entity and event id. Two findings with the same key (a rule that fires twice on one
    /// entity without an event) are told apart by their place among those with that key.
    static func ids(_ findings: [Finding]) -> [String] {
        var seen: [String: Int] = [:]
        return findings.map { finding in
            var key = [
                finding.account, finding.rule.rawValue, finding.entity.kind.rawValue, finding.entity.id,
                finding.event?.eventID ?? "",
            ]
            let base = digest(key)
            let occurrence = (seen[base] ?? 0) + 1
            seen[base] = occurrence
            if occurrence > 1 { key.append(String(occurrence)) }
            return "custody/\(finding.rule.rawValue)/\(digest(key))"
        }
    }

    /// The SHA-256, in hex, of `parts`, each written as its UTF-8 length, a colon and its bytes, so no
    /// two lists of strings (whatever they hold) give the same input.
    static func digest(_ parts: [String]) -> String {
        var bytes: [UInt8] = []
        for part in parts {
            bytes += Array("\(part.utf8.count):".utf8) + Array(part.utf8)
        }
        return SHA256.hash(bytes).hex
    }

    /// Whether `text` looks like an AWS region name (`us-east-1`, `us-gov-west-1`, `ap-southeast-5`),
    /// so a region written by whoever made a call never reaches an ARN.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, text.count <= 32, let last = parts.last, !last.isEmpty,
            last.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } }
    }

    /// The partition of an ARN, when it is one Security Hub knows.
    static func partition(of arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "arn", ["aws", "aws-cn", "aws-us-gov"].contains(parts[1]) else {
            return nil
        }
        return String(parts[1])
    }

    /// The milliseconds since 1970 of `time`, as OCSF writes times.
    static func milliseconds(_ time: UTCTimestamp) -> Int64 {
        EvidenceSeconds.adding(EvidenceSeconds.multiplying(time.seconds, 1000), Int64(time.nanoseconds / 1_000_000))
    }

    /// `text` if it is an IPv4 address, written as such.
    static func ipv4(_ text: String?) -> String? {
        // A NUL would end the C string early, and what follows it would pass unread.
        guard let text, !text.utf8.contains(0) else { return nil }
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1 ? text : nil
    }

    /// `text` if it is an IPv6 address, written as such.
    static func ipv6(_ text: String?) -> String? {
        guard let text, !text.utf8.contains(0) else { return nil }
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1 ? text : nil
    }

    /// `text` cut to at most `limit` UTF-16 code units (which is also at most `limit` characters and
    /// Unicode scalars), at a character boundary, with `…` in place of what was cut. A limit counted
    /// in any of those units holds. `nil` when `text` has nothing but white space, which the
    /// formats' non-empty strings refuse.
    static func clip(_ text: String?, to limit: Int) -> String? {
        guard let text, text.contains(where: { !$0.isWhitespace }) else { return nil }
        guard text.utf16.count > limit else { return text }
        var kept = ""
        var used = 0
        for character in text {
            let size = character.utf16.count
            guard used + size <= limit - 1 else { break }
            kept.append(character)
            used += size
        }
        return kept + "…"
    }
}

extension ExportedFinding {
    /// A finding category of the ASFF type taxonomy (`namespace/category`) and, where ATT&CK names
    /// one the project can name without doubt, the tactic.
    struct Category: Hashable {
        /// The ASFF `namespace/category`, such as `TTPs/Persistence`.
        var asff: String
        /// The ATT&CK tactic's id (`TA0003`), when known.
        var tacticID: String?
        /// The ATT&CK tactic's name (`Persistence`), when known.
        var tacticName: String?
    }

    /// Each ATT&CK technique's category, by its id without the sub-technique. Techniques ATT&CK v19
    /// moved out of Defense Evasion (impairing logs, firewalls and tools, hiding in new regions or
    /// instances) keep the ASFF category `TTPs/Defense Evasion`, ASFF's taxonomy being fixed, and
    /// name no tactic.
    static let categories: [String: Category] = {
        let persistence = Category(asff: "TTPs/Persistence", tacticID: "TA0003", tacticName: "Persistence")
        let escalation = Category(
            asff: "TTPs/Privilege Escalation", tacticID: "TA0004", tacticName: "Privilege Escalation")
        let evasion = Category(asff: "TTPs/Defense Evasion")
        let credentials = Category(asff: "TTPs/Credential Access", tacticID: "TA0006", tacticName: "Credential Access")
        let discovery = Category(asff: "TTPs/Discovery", tacticID: "TA0007", tacticName: "Discovery")
        let lateral = Category(asff: "TTPs/Lateral Movement", tacticID: "TA0008", tacticName: "Lateral Movement")
        return [
            "T1098": persistence, "T1136": persistence, "T1546": persistence, "T1525": persistence,
            "T1484": escalation,
            "T1578": evasion, "T1535": evasion, "T1599": evasion, "T1685": evasion, "T1686": evasion,
            "T1562": evasion, "T1070": evasion, "T1666": evasion,
            "T1078": Category(asff: "TTPs/Initial Access", tacticID: "TA0001", tacticName: "Initial Access"),
            "T1651": Category(asff: "TTPs/Execution", tacticID: "TA0002", tacticName: "Execution"),
            "T1087": discovery, "T1580": discovery,
            "T1555": credentials, "T1552": credentials,
            "T1550": lateral, "T1021": lateral,
            "T1537": Category(asff: "Effects/Data Exfiltration", tacticID: "TA0010", tacticName: "Exfiltration"),
            "T1485": Category(asff: "Effects/Data Destruction", tacticID: "TA0040", tacticName: "Impact"),
            "T1496": Category(asff: "Effects/Resource Consumption", tacticID: "TA0040", tacticName: "Impact"),
        ]
    }()

    /// The category of a technique, by its id before the dot.
    static func category(of technique: Technique) -> Category? {
        categories[String(technique.id.split(separator: ".").first ?? "")]
    }

    /// The rules that find behaviour unusual for a principal rather than one act: they also carry
    /// `Unusual Behaviors/User`.
    static let unusualBehaviour: Set<RuleID> = RuleID.behavioural.union([.consoleLogin, .roleAssumedBySuspect])

    /// The ASFF finding types: `namespace/category/<rule id>` for each category of the rule's
    /// techniques (main first), `Unusual Behaviors/User/<rule id>` for the behavioural rules and
    /// for a rule without a known technique, and `Effects/Data Exposure/<rule id>` for a resource
    /// shared outside the account.
    var types: [String] {
        let rule = finding.rule.rawValue
        var categories = finding.techniques.compactMap { Self.category(of: $0)?.asff }
        if finding.rule == .resourceShared { categories.append("Effects/Data Exposure") }
        if Self.unusualBehaviour.contains(finding.rule) || categories.isEmpty {
            categories.append("Unusual Behaviors/User")
        }
        var seen = Set<String>()
        return categories.filter { seen.insert($0).inserted }.map { "\($0)/\(rule)" }
    }

    /// The ASFF resource type of the finding's entity, `Other` where ASFF has none.
    var resourceType: String {
        switch finding.entity.kind {
        case .accessKey, .temporaryCredentials: "AwsIamAccessKey"
        case .user, .loginProfile: "AwsIamUser"
        case .role: "AwsIamRole"
        case .group: "AwsIamGroup"
        case .policy: "AwsIamPolicy"
        case .instance: "AwsEc2Instance"
        case .securityGroup: "AwsEc2SecurityGroup"
        case .trail: "AwsCloudTrailTrail"
        case .detector: "AwsGuardDutyDetector"
        case .function: "AwsLambdaFunction"
        case .principal where finding.entity.id.contains(":user/"): "AwsIamUser"
        case .principal where finding.entity.id.contains(":role/"): "AwsIamRole"
        // A VPC endpoint is no endpoint service (AwsEc2VpcEndpointService is the provider's side),
        // and ASFF has no type for key pairs, instance profiles, providers, regions or principals.
        default: "Other"
        }
    }

    /// The entity's id for the security tools: an access key's id (its ARN, when the finding
    /// has one, is its user's), else the ARN, else an instance's ARN made from its id, else the id.
    var resourceID: String {
        let entity = finding.entity
        switch entity.kind {
        case .accessKey, .temporaryCredentials: return entity.id
        default: break
        }
        if let arn = entity.arn, !arn.isEmpty { return arn }
        if entity.kind == .instance, entity.id.hasPrefix("i-"), entity.id.count > 2,
            entity.id.dropFirst(2).allSatisfy({ $0.isASCII && $0.isHexDigit }),
            ArchiveLayout.isAccountId(finding.account)
        {
            return "arn:\(partition):ec2:\(region):\(finding.account):instance/\(entity.id)"
        }
        return entity.id
    }

    /// The finding's CloudTrail events, its own first, then the related ones, each once.
    var events: [EventReference] {
        var seen = Set<EventReference>()
        return ([finding.event].compactMap { $0 } + finding.relatedEvents).filter { seen.insert($0).inserted }
    }

    /// Where its evidence is: the event's record, else the first pointer the finding holds.
    var evidence: EvidencePointer? { finding.event?.evidence ?? finding.evidence.first }

    /// The SHA-256 of the signed manifest of the archive `pointer` names.
    func manifestSHA256(_ pointer: EvidencePointer?) -> String? {
        pointer.flatMap { manifests[$0.archive] }
    }
}
