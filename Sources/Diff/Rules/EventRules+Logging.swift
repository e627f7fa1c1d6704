import CustodyJSON
import EvidenceReading

/// The rules for logs other than a trail's being turned off: VPC flow logs, DNS query logs,
/// Bedrock's model invocation logs, and the bucket a trail delivers to. A refused call is an
/// attempt, reported under the same rule (`impairment`).
extension EventRules {
    // MARK: Attempts

    /// A finding of `rule` from a call that impairs logging or detection: as given when the call
    /// succeeded; when it was refused, an attempt ("Attempt to `attempt` (AccessDenied)"), medium
    /// at most (the judgement raises a suspect actor's to high), with `attempt` and `errorCode` in
    /// its details.
    static func impairment(
        _ event: EventFacts, _ rule: RuleID, _ title: String, attempt: String, _ severity: Severity,
        _ reason: String, entity: EntityReference, containment: Containment, details: [String: String] = [:]
    ) -> EventFinding {
        guard event.failed else {
            return event.finding(
                rule, title, severity, reason, entity: entity, containment: containment, details: details)
        }
        let code = event.errorCode ?? "failed"
        var details = details
        details["attempt"] = "true"
        details["errorCode"] = code
        return event.finding(
            rule, "Attempt to \(attempt) (\(code))", min(severity, .medium),
            "The call was refused (\(code)), so nothing changed; an attempt to impair logging shows intent. "
                + "Had it succeeded: \(reason)",
            entity: entity,
            containment: Containment(
                advice: "Refused, so nothing should have changed: confirm it, and contain the principal that tried. "
                    + containment.advice,
                commands: containment.commands),
            details: details)
    }

    // MARK: Flow logs, DNS query logs, model invocation logs

    static func flowLogs(_ event: EventFacts) -> [EventFinding] {
        // CloudTrail writes the ids as `DeleteFlowLogsRequest.FlowLogId.content`, one object or a list.
        var found = Set<String>()
        strings(event.request, into: &found)
        let ids = found.filter { $0.hasPrefix("fl-") }.sorted()
        let named = ids.isEmpty ? "flow logs" : "flow log\(ids.count > 1 ? "s" : "") \(ids.joined(separator: ", "))"
        return [
            impairment(
                event, .flowLogsDeleted, "VPC \(named) deleted", attempt: "delete \(named)", .high,
                "The traffic the flow logs recorded (who talked to what, accepted or rejected) is no longer written anywhere.",
                entity: EntityReference(
                    kind: .resource, id: ids.isEmpty ? "unknown" : ids.joined(separator: ","), region: event.region),
                containment: Advice.flowLogs(region: event.region))
        ]
    }

    static func dnsQueryLogs(_ event: EventFacts) -> [EventFinding] {
        let config = event.parameter("resolverQueryLogConfigId") ?? "unknown"
        let destination = event.response?["resolverQueryLogConfig"]?["destinationArn"]?.stringValue
        let named = config == "unknown" ? "a DNS query logging configuration" : "DNS query logging \(config)"
        if event.name == "DisassociateResolverQueryLogConfig" {
            let resource = event.parameter("resourceId") ?? "a VPC"
            return [
                impairment(
                    event, .dnsQueryLogsRemoved, "\(named) taken off \(resource)",
                    attempt: "take \(named) off \(resource)", .high,
                    "The DNS queries of \(resource) are no longer logged: lookups of attacker domains leave no trace.",
                    entity: EntityReference(kind: .resource, id: config, region: event.region, parent: resource),
                    containment: Advice.dnsQueryLogs(
                        config: config, destination: nil, vpc: event.parameter("resourceId"), region: event.region),
                    details: ["resourceId": resource])
            ]
        }
        return [
            impairment(
                event, .dnsQueryLogsRemoved, "\(named) deleted", attempt: "delete \(named)", .high,
                "The DNS queries of every VPC it was associated with are no longer logged\(destination.map { " to \($0)" } ?? "").",
                entity: EntityReference(
                    kind: .resource, id: config,
                    arn: event.response?["resolverQueryLogConfig"]?["arn"]?.stringValue, region: event.region),
                containment: Advice.dnsQueryLogs(
                    config: nil, destination: destination, vpc: nil, region: event.region),
                details: destination.map { ["destinationArn": $0] } ?? [:])
        ]
    }

    static func modelInvocationLogs(_ event: EventFacts) -> [EventFinding] {
        let region = event.region ?? "unknown"
        return [
            impairment(
                event, .modelInvocationLogsDeleted, "Bedrock model invocation logging deleted in \(region)",
                attempt: "delete Bedrock model invocation logging in \(region)", .high,
                "Prompts and responses of Bedrock models are no longer logged: models can be run (and paid for) unseen.",
                entity: EntityReference(kind: .resource, id: "bedrock-model-invocation-logging", region: event.region),
                containment: Advice.modelInvocationLogs(region: event.region))
        ]
    }

    // MARK: A trail's bucket

    /// Whether a bucket policy still lets CloudTrail write.
    enum CloudTrailWriting {
        /// An Allow statement gives `cloudtrail.amazonaws.com` `s3:PutObject`, and no Deny takes it back.
        case allowed
        /// No statement allows it.
        case missing
        /// A Deny without conditions refuses it to everyone or to CloudTrail.
        case denied
    }

    static func trailBucket(_ event: EventFacts, trailBuckets: Set<String>) -> [EventFinding] {
        guard let bucket = event.parameter("bucketName") else { return [] }
        let known = trailBuckets.contains(bucket)
        // Without a snapshot naming the trails' buckets, a name like a trail's, or logs' prefix, will do.
        var guessed = trailBuckets.isEmpty && looksLikeTrailBucket(bucket)
        let what: (done: String, attempt: (String) -> String, severity: Severity, reason: String)
        var details: [String: String] = [:]
        switch event.name {
        case "DeleteBucketPolicy":
            what = (
                "policy deleted", { "delete the policy of \($0)" }, .high,
                "Without a policy admitting cloudtrail.amazonaws.com, trails can no longer deliver their logs to it."
            )
        case "PutBucketPolicy":
            guard let document = PolicyJudgement.document(event.request?["bucketPolicy"]) else { return [] }
            var texts = Set<String>()
            strings(document, into: &texts)
            guessed = guessed || (trailBuckets.isEmpty && texts.contains { $0.contains("AWSLogs/") })
            switch cloudTrailWriting(document) {
            case .allowed: return []
            case .missing:
                what = (
                    "policy no longer lets CloudTrail write", { "close \($0) to CloudTrail" }, .high,
                    "No statement of the new policy allows cloudtrail.amazonaws.com s3:PutObject: trails can no longer deliver their logs to it."
                )
            case .denied:
                what = (
                    "policy denies CloudTrail", { "close \($0) to CloudTrail" }, .high,
                    "The new policy denies s3:PutObject without condition: trails can no longer deliver their logs to it."
                )
            }
        default:
            guard let expiry = shortestExpiry(event.request) else { return [] }
            guessed = guessed || (trailBuckets.isEmpty && expiry.prefixes.contains { $0.contains("AWSLogs") })
            let after = expiry.days.map { "after \($0) day\($0 == 1 ? "" : "s")" } ?? "on a date"
            let short = expiry.days.map { $0 <= 90 } ?? true
            what = (
                "set to expire logs \(after)", { "set \($0) to expire logs \(after)" }, short ? .high : .low,
                short
                    ? "An enabled lifecycle rule deletes objects \(after): logs are gone before most incidents are found."
                    : "An enabled lifecycle rule deletes objects \(after): a retention policy, unless shorter than the one the organisation must keep."
            )
            details["expiresAfterDays"] = expiry.days.map(String.init) ?? "date"
        }
        guard known || guessed else { return [] }
        let noun = known ? "trail bucket \(bucket)" : "bucket \(bucket)"
        details["trailBucket"] = known ? "snapshot" : "name"
        return [
            impairment(
                event, .trailBucketImpaired, "\(known ? "Trail bucket" : "Bucket") \(bucket): \(what.done)",
                attempt: what.attempt(noun), known ? what.severity : min(what.severity, .medium),
                what.reason
                    + (known
                        ? " A trail delivers to it (snapshot)."
                        : " No snapshot names the trails' buckets, but its name or prefixes look like CloudTrail's: check whether a trail delivers to it."),
                entity: EntityReference(kind: .resource, id: bucket, name: bucket, arn: "arn:aws:s3:::\(bucket)"),
                containment: Advice.trailBucket(bucket, lifecycle: event.name.hasPrefix("PutBucketLifecycle")),
                details: details)
        ]
    }

    /// Whether a bucket's name looks like one CloudTrail delivers to: a part holding `cloudtrail`,
    /// a part `trail` or `trails`, or `aws-logs`/`awslogs` (the console's and AWS's own names).
    static func looksLikeTrailBucket(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if lowered.contains("aws-logs") || lowered.contains("awslogs") { return true }
        return lowered.split { !$0.isLetter && !$0.isNumber }.contains {
            $0.contains("cloudtrail") || $0 == "trail" || $0 == "trails"
        }
    }

    /// What a bucket policy lets CloudTrail do. Conditions of Allow statements are not evaluated;
    /// a Deny with conditions is left out (most say "only over TLS").
    static func cloudTrailWriting(_ document: JSONValue) -> CloudTrailWriting {
        var allowed = false
        for statement in list(document["Statement"]) {
            let actions = list(statement["Action"]).compactMap { $0.stringValue?.lowercased() }
            guard actions.contains(where: { $0 == "*" || $0 == "s3:*" || $0 == "s3:put*" || $0 == "s3:putobject" })
            else { continue }
            let principal = statement["Principal"]
            let everyone =
                principal?.stringValue == "*" || list(principal?["AWS"]).contains { $0.stringValue == "*" }
            let cloudTrail = list(principal?["Service"]).contains { $0.stringValue == "cloudtrail.amazonaws.com" }
            switch statement["Effect"]?.stringValue {
            case "Deny" where statement["Condition"] == nil && (everyone || cloudTrail): return .denied
            case "Allow" where cloudTrail: allowed = true
            default: break
            }
        }
        return allowed ? .allowed : .missing
    }

    /// The shortest expiry of the enabled rules of a lifecycle configuration (CloudTrail writes
    /// `LifecycleConfiguration.Rule`, one object or a list), in days (`nil` days: on a date), and
    /// the rules' prefixes; `nil` when no enabled rule expires objects.
    static func shortestExpiry(_ request: JSONValue?) -> (days: Int64?, prefixes: [String])? {
        let configuration = request?["LifecycleConfiguration"] ?? request?["lifecycleConfiguration"]
        let rules = list(configuration?["Rule"] ?? configuration?["Rules"] ?? configuration?["rules"])
        var least: Int64?
        var onDate = false
        var expires = false
        var prefixes: [String] = []
        for rule in rules where (rule["Status"] ?? rule["status"])?.stringValue == "Enabled" {
            let expiration = rule["Expiration"] ?? rule["expiration"]
            var ruleExpires = false
            // Expiring noncurrent versions alone leaves the logs: CloudTrail never overwrites a log file.
            for value in [expiration?["Days"], expiration?["days"]] {
                guard let value, let days = EvidenceSeconds.whole(number: value.numberValue, text: value.stringValue)
                else { continue }
                least = min(least ?? .max, max(0, days))
                ruleExpires = true
            }
            if expiration?["Date"] != nil || expiration?["date"] != nil {
                onDate = true
                ruleExpires = true
            }
            guard ruleExpires else { continue }
            expires = true
            let filter = rule["Filter"] ?? rule["filter"]
            prefixes += [rule["Prefix"], filter?["Prefix"], filter?["And"]?["Prefix"]].compactMap { $0?.stringValue }
        }
        // A date counts as the shortest: it may be today.
        return expires ? (onDate ? nil : least, prefixes) : nil
    }

    /// A JSON value as a list: itself when an array, one item otherwise, none when absent.
    static func list(_ value: JSONValue?) -> [JSONValue] {
        guard let value else { return [] }
        if case .array(let items) = value { return items }
        return [value]
    }

    /// Every string in `value`, at any depth.
    static func strings(_ value: JSONValue?, into out: inout Set<String>) {
        switch value {
        case .string(let text)?: out.insert(text)
        case .array(let items)?: for item in items { strings(item, into: &out) }
        case .object(let members)?: for member in members.values { strings(member, into: &out) }
        default: break
        }
    }
}
