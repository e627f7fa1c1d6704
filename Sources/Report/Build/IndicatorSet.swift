import CustodyJSON
import Diff
import EvidenceReading

/// Gathers the indicators of the suspect actors and the findings: every value of their events
/// (access keys, source addresses, user agents, principal ARNs, VPC endpoints, other accounts) and
/// what the findings name (keys and temporary keys, instances, endpoints, key pairs, ARNs), each
/// with the first and last time the evidence shows it.
struct IndicatorSet {
    private var entries: [String: Indicator] = [:]
    private var first: [String: Int64] = [:]
    private var last: [String: Int64] = [:]
    private var order: [String] = []

    /// Notes `value` as a `kind` seen at `time` by `source`.
    mutating func note(_ kind: Indicator.Kind, _ value: String?, at time: String?, source: String) {
        guard let value, !value.isEmpty else { return }
        let key = "\(kind.rawValue)|\(value)"
        if entries[key] == nil {
            entries[key] = Indicator(kind: kind, value: value)
            order.append(key)
        }
        if !(entries[key]?.sources.contains(source) ?? true) { entries[key]?.sources.append(source) }
        guard let time, let seconds = UTCTimestamp(parsing: time)?.seconds else { return }
        if first[key].map({ seconds < $0 }) ?? true {
            first[key] = seconds
            entries[key]?.firstSeen = UTCTimestamp(seconds: seconds).iso8601
        }
        if last[key].map({ seconds > $0 }) ?? true {
            last[key] = seconds
            entries[key]?.lastSeen = UTCTimestamp(seconds: seconds).iso8601
        }
    }

    /// Notes what an event shows: its key, address, user agent, principal, endpoint, and any other account.
    mutating func note(_ event: EventReference, account: String?, source: String) {
        let time = event.eventTime
        note(.accessKeyId, event.accessKeyId, at: time, source: source)
        if let address = event.sourceIPAddress {
            if Self.isIPv4(address) {
                note(.ipv4, address, at: time, source: source)
            } else if Self.isIPv6(address) {
                note(.ipv6, address, at: time, source: source)
            }
        }
        note(.userAgent, event.userAgent, at: time, source: source)
        note(.vpcEndpointId, event.vpcEndpointId, at: time, source: source)
        if let principal = event.principal {
            if principal.hasPrefix("arn:") { note(.arn, principal, at: time, source: source) }
            if let other = Self.accountId(in: principal), other != (account ?? event.account) {
                note(.accountId, other, at: time, source: source)
            }
        }
    }

    /// Notes what a finding names, as finding `label` (`F3`).
    mutating func note(_ finding: Finding, label: String) {
        let time = finding.event?.eventTime
        if let event = finding.event { note(event, account: finding.account, source: label) }
        if let exposure = finding.exposure {
            note(.accessKeyId, exposure.accessKeyId, at: exposure.issuedAt, source: label)
        }
        let entity = finding.entity
        switch entity.kind {
        case .accessKey, .temporaryCredentials:
            if entity.id.hasPrefix("AKIA") || entity.id.hasPrefix("ASIA") {
                note(.accessKeyId, entity.id, at: time, source: label)
            }
        case .instance: note(.instanceId, entity.id, at: time, source: label)
        case .vpcEndpoint: note(.vpcEndpointId, entity.id, at: time, source: label)
        case .keyPair: note(.keyPair, entity.name ?? entity.id, at: time, source: label)
        case .principal where entity.id.hasPrefix("arn:"): note(.arn, entity.id, at: time, source: label)
        default: break
        }
        // Other accounts the finding names, such as those a new trust policy admits.
        for value in finding.details.keys.sorted().compactMap({ finding.details[$0] }) {
            for token in value.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) {
                guard let other = Self.accountId(in: token), other != finding.account else { continue }
                note(.accountId, other, at: time, source: label)
                if token.hasPrefix("arn:") { note(.arn, token, at: time, source: label) }
            }
        }
        if let arn = entity.arn ?? (entity.id.hasPrefix("arn:") ? entity.id : nil) {
            if entity.kind != .region { note(.arn, arn, at: time, source: label) }
            if let other = Self.accountId(in: arn), other != finding.account {
                note(.accountId, other, at: time, source: label)
            }
        }
    }

    /// The indicators by kind, then value.
    var indicators: [Indicator] {
        order.compactMap { entries[$0] }.sorted { ($0.kind, $0.value) < ($1.kind, $1.value) }
    }

    /// The account id an ARN (`arn:aws:iam::111122223333:…`) or a principal such as `AWSAccount 111122223333` names.
    static func accountId(in principal: String) -> String? {
        if principal.hasPrefix("arn:") {
            let parts = principal.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count > 4, parts[4].count == 12, parts[4].allSatisfy(\.isASCIIDigit) else { return nil }
            return String(parts[4])
        }
        let digits = principal.split(separator: " ").last.map(String.init) ?? ""
        return digits.count == 12 && digits.allSatisfy(\.isASCIIDigit) ? digits : nil
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy {
                $0.count >= 1 && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) && Int($0) ?? 256 < 256
            }
    }

    static func isIPv6(_ text: String) -> Bool {
        text.contains(":") && text.count <= 45 && text.count >= 2
            && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}

extension Character {
    /// `0` to `9` only.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
