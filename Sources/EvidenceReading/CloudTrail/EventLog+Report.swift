public import Evidence
package import CustodyJSON

/// What a report reads of each event besides its `EventReference`: whether the collector made
/// it, and what it acted on. Built only on `reference(at:)`, `isCollector(_:)` and `detail(_:)`.
extension EventLog {
    /// Whether the event at `index` is the collector's own call (its access key or ARN is the
    /// one an archive's manifest names); such calls are never an intruder's.
    public func isCollector(at index: Int) -> Bool { isCollector(index) }

    /// The kept record of the event at `index` (events the rules look into: every `eventName` of
    /// `Rule.all`, the STS calls, deletions …), `nil` for the others. It holds what the call asked
    /// and got (`requestParameters`, `responseElements`, `additionalEventData`,
    /// `serviceEventDetails`, `resources`, `errorMessage`) and `eventSource` and `userAgent`; the
    /// caller, time and other strings are in `reference(at:)` and `principalId(at:)`, and the
    /// sealed member holds the whole record.
    public func record(at index: Int) -> CloudTrailEvent? { detail(index) }

    /// `userIdentity.principalId` of the event at `index`.
    public func principalId(at index: Int) -> String? { string(rows[index].principalId) }

    /// What the event at `index` acted on, from the request parameters of its kept record: a user,
    /// role, group, policy, instance, bucket, trail, detector, endpoint … (`userName=alice`), with
    /// the id a creation returned (`accessKeyId=AKIA…`). `nil` when the record was not kept or
    /// names nothing. Never a secret: only the id members listed in `targetMembers` are read.
    public func target(at index: Int) -> String? {
        guard let record = detail(index) else { return nil }
        return Self.target(of: record)
    }

    /// A string member of the request parameters of the event at `index` (such as `status` of
    /// `UpdateAccessKey`), when its record was kept.
    public func requestParameter(_ name: String, at index: Int) -> String? {
        detail(index)?.requestParameters?[name].flatMap(Self.scalar)
    }

    /// The request members that name what a call acted on, most specific first.
    package static let targetMembers = [
        "userName", "roleName", "groupName", "policyArn", "policyName", "instanceProfileName", "instanceId",
        "bucketName", "name", "trailName", "detectorId", "vpcEndpointId", "groupId", "keyName", "secretId",
        "functionName", "snapshotId", "imageId", "roleArn", "roleSessionName", "serialNumber", "accessKeyId",
        "samlProviderArn", "openIDConnectProviderArn", "parameterName", "logGroupName", "flowLogIds",
        "configurationRecorderName", "trustAnchorId", "profileId", "accountId",
    ]

    /// Ids a call's response returns for what it made, by path.
    package static let responseMembers: [(path: [String], label: String)] = [
        (["accessKey", "accessKeyId"], "accessKeyId"),
        (["credentials", "accessKeyId"], "accessKeyId"),
        (["user", "userId"], "userId"),
        (["role", "roleId"], "roleId"),
        (["vpcEndpoint", "vpcEndpointId"], "vpcEndpointId"),
        (["CreateVpcEndpointResponse", "vpcEndpoint", "vpcEndpointId"], "vpcEndpointId"),
        (["instanceProfile", "instanceProfileId"], "instanceProfileId"),
    ]

    package static func target(of record: CloudTrailEvent) -> String? {
        var parts: [String] = []
        if let request = record.requestParameters?.objectValue {
            for member in targetMembers {
                guard let value = request[member] else { continue }
                if let text = scalar(value) {
                    parts.append("\(member)=\(text)")
                } else if let items = value.arrayValue {
                    let texts = items.compactMap(scalar)
                    if !texts.isEmpty { parts.append("\(member)=\(texts.joined(separator: ","))") }
                }
                if parts.count == 2 { break }
            }
            let instances = instanceIds(request["instancesSet"])
            if !instances.isEmpty { parts.append("instanceId=\(instances.joined(separator: ","))") }
        }
        if let response = record.responseElements {
            for (path, label) in responseMembers {
                var value: JSONValue? = response
                for key in path { value = value?[key] }
                if let text = value.flatMap(scalar), !parts.contains("\(label)=\(text)") {
                    parts.append("\(label)=\(text)")
                }
            }
            let launched =
                instanceIds(response["instancesSet"]) + instanceIds(response["RunInstancesResponse"]?["instancesSet"])
            if !launched.isEmpty, !parts.contains(where: { $0.hasPrefix("instanceId=") }) {
                parts.append("instanceId=\(launched.joined(separator: ","))")
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The instance ids of an EC2 `instancesSet` (`{"items":[{"instanceId":…}]}`).
    package static func instanceIds(_ set: JSONValue?) -> [String] {
        (set?["items"]?.arrayValue ?? []).compactMap { $0["instanceId"]?.stringValue }
    }

    package static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }
}
