import CustodyJSON

/// `iocs.stix.json`: the indicators as a STIX 2.1 bundle. Each is an Indicator SDO with a STIX
/// pattern; source addresses and access keys also come as the cyber-observable objects they are
/// (`ipv4-addr`, `ipv6-addr`, `user-account`). Ids are UUIDv5 of the values (the observables' as
/// STIX 2.1 defines them), `created` and `modified` are the report's time and `valid_from` the first
/// time the evidence shows the value, so the same evidence gives the same bytes. AWS things STIX has
/// no object for (accounts, ARNs, instances, VPC endpoints, key pairs) use custom `x-aws-…` objects
/// in the pattern.
enum IndicatorSTIX {
    static func bundle(_ report: IncidentReport) -> JSONValue {
        let created = timestamp(report.generatedAt)
        var objects: [JSONValue] = []
        var observables: [JSONValue] = []
        for indicator in report.indicators {
            let seen =
                [indicator.firstSeen, indicator.lastSeen].compactMap { $0 }.isEmpty
                ? "" : " First seen \(indicator.firstSeen ?? "?"), last seen \(indicator.lastSeen ?? "?") (UTC)."
            objects.append(
                .object([
                    "type": .string("indicator"), "spec_version": .string("2.1"),
                    "id": .string(
                        "indicator--" + UUIDv5.make("\(indicator.kind.rawValue)|\(indicator.value)", in: UUIDv5.custody)
                    ),
                    "created": .string(created), "modified": .string(created),
                    "name": .string("\(noun(indicator.kind)) \(indicator.value)"),
                    "description": .string(
                        "Seen in the evidence of \(report.title)." + seen
                            + (indicator.sources.isEmpty ? "" : " From \(indicator.sources.joined(separator: ", ")).")),
                    "indicator_types": .array([
                        .string(
                            indicator.kind == .accessKeyId || indicator.kind == .arn
                                ? "compromised" : "malicious-activity")
                    ]),
                    "pattern": .string(pattern(indicator)), "pattern_type": .string("stix"),
                    "pattern_version": .string("2.1"),
                    "valid_from": .string(timestamp(indicator.firstSeen ?? report.generatedAt)),
                ]))
            if let observable = observable(indicator) { observables.append(observable) }
        }
        let ids = (objects + observables).compactMap { $0["id"]?.stringValue }
        return .object([
            "type": .string("bundle"),
            "id": .string(
                "bundle--" + UUIDv5.make(report.generatedAt + "|" + ids.joined(separator: "|"), in: UUIDv5.custody)),
            "objects": .array(objects + observables),
        ])
    }

    /// The STIX pattern matching the value.
    static func pattern(_ indicator: Indicator) -> String {
        let value = literal(indicator.value)
        switch indicator.kind {
        case .accessKeyId: return "[user-account:account_login = \(value)]"
        case .ipv4: return "[ipv4-addr:value = \(value)]"
        case .ipv6: return "[ipv6-addr:value = \(value)]"
        case .userAgent: return "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = \(value)]"
        case .accountId: return "[x-aws-account:account_id = \(value)]"
        case .arn: return "[x-aws-resource:arn = \(value)]"
        case .instanceId: return "[x-aws-ec2-instance:instance_id = \(value)]"
        case .vpcEndpointId: return "[x-aws-vpc-endpoint:vpc_endpoint_id = \(value)]"
        case .keyPair: return "[x-aws-ec2-key-pair:key_name = \(value)]"
        }
    }

    /// The cyber-observable object of an address or access key, with its STIX 2.1 id.
    static func observable(_ indicator: Indicator) -> JSONValue? {
        let object: (type: String, property: String)
        switch indicator.kind {
        case .ipv4: object = ("ipv4-addr", "value")
        case .ipv6: object = ("ipv6-addr", "value")
        case .accessKeyId: object = ("user-account", "account_login")
        default: return nil
        }
        let (type, property) = object
        let contributing = JSONValue.object([property: .string(indicator.value)])
        let canonical = String(decoding: (try? CanonicalJSON.encode(contributing))?.dropLast() ?? [], as: UTF8.self)
        return .object([
            "type": .string(type), "spec_version": .string("2.1"),
            "id": .string("\(type)--" + UUIDv5.make(canonical, in: UUIDv5.stixObservables)),
            property: .string(indicator.value),
        ])
    }

    /// A STIX string literal: quotes and backslashes escaped.
    static func literal(_ text: String) -> String {
        var out = "'"
        for character in text {
            if character == "'" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "'"
    }

    /// A STIX timestamp (UTC, milliseconds) of an ISO 8601 time; the text as given when it is none.
    static func timestamp(_ text: String) -> String {
        guard let time = UTCTimestamp(parsing: text) else { return text }
        let iso = time.iso8601
        return iso.hasSuffix("Z") ? String(iso.dropLast()) + ".000Z" : iso
    }

    static func noun(_ kind: Indicator.Kind) -> String {
        switch kind {
        case .accessKeyId: "Access key"
        case .ipv4, .ipv6: "Source address"
        case .userAgent: "User agent"
        case .accountId: "AWS account"
        case .arn: "ARN"
        case .instanceId: "EC2 instance"
        case .vpcEndpointId: "VPC endpoint"
        case .keyPair: "EC2 key pair"
        }
    }
}
