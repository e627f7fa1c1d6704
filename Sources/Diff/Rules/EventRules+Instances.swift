import CustodyJSON
import EvidenceReading

/// The rules about capacity and instances someone else pays for or reaches: hijack-sized
/// launches, Bedrock abuse, user data read, and SSH keys pushed to instances.
extension EventRules {
    // MARK: Compute hijacking

    /// Families whose instances carry GPUs or other accelerators (`p3`, `g5`, `gr6`, `inf2`, `trn1`,
    /// `dl1`, `f2`, `vt1`): what miners and model trainers launch with stolen keys.
    static let acceleratedFamilies: Set<String> = ["p", "g", "gr", "inf", "trn", "dl", "f", "vt"]
    /// Sizes from this many `xlarge` up (`24xlarge`, `48xlarge` …) are hijack-sized whatever the family, as is `metal`.
    static let largeSize: Int64 = 24
    /// Instances asked for (or launched) in one call from this many up are hijack-sized whatever their type.
    static let manyInstances: Int64 = 10

    /// What makes an instance type hijack-sized, or `nil` when it is not.
    static func hijackSized(type: String) -> String? {
        let lowered = type.lowercased()
        let family = String(lowered.prefix { $0.isLetter })
        if acceleratedFamilies.contains(family) { return "\(type) carries GPUs or accelerators" }
        let size = lowered.split(separator: ".").last.map(String.init) ?? ""
        if size.hasPrefix("metal") { return "\(type) is a whole physical host" }
        if size.hasSuffix("xlarge"), let count = Int64(size.dropLast("xlarge".count)), count >= largeSize {
            return "\(type) is among the largest sizes"
        }
        return nil
    }

    /// A count from a record (`minCount`, `maxCount`): a JSON number or a string of digits, held within 0…1,000,000.
    private static func count(_ value: JSONValue?) -> Int64 {
        guard let whole = EvidenceSeconds.whole(number: value?.numberValue, text: value?.stringValue) else { return 0 }
        return min(max(whole, 0), 1_000_000)
    }

    /// `impact.resource-hijacking` of capacity: RunInstances of GPU or accelerated types, whole hosts, the largest
    /// sizes, or many instances at once. A refused call (over the vCPU quota, no capacity, no
    /// permission, a dry run) is an attempt, and a finding too.
    static func computeHijack(_ event: EventFacts) -> [EventFinding] {
        let items = event.response?["instancesSet"]?["items"]?.arrayValue ?? []
        let launched = items.compactMap { $0["instanceId"]?.stringValue }
        let requestedType = event.request?["instanceType"]
        guard
            let type = requestedType?.stringValue ?? requestedType?["value"]?.stringValue
                ?? items.lazy.compactMap({ $0["instanceType"]?.stringValue }).first
        else { return [] }
        let asked = (event.request?["instancesSet"]?["items"]?.arrayValue ?? []).map {
            max(count($0["minCount"]), count($0["maxCount"]))
        }
        let instances = max(asked.max() ?? 0, Int64(launched.count), 1)
        var why: [String] = []
        if let sized = hijackSized(type: type) { why.append(sized) }
        if instances >= manyInstances { why.append("\(instances) instances were asked for in one call") }
        guard !why.isEmpty else { return [] }
        let failed = event.failed
        let id = launched.isEmpty ? "\(instances) × \(type)" : launched.joined(separator: ",")
        var item = event.finding(
            .resourceHijacking,
            failed
                ? "Attempt to launch \(instances) × \(type) (\(event.errorCode ?? "failed"))"
                : launched.isEmpty
                    ? "\(instances) × \(type) launched"
                    : "\(launched.count) × \(type) launched: \(launched.joined(separator: ", "))",
            failed ? .medium : .high,
            why.joined(separator: "; ") + ". "
                + (failed
                    ? "The launch was refused, but an attempt to run hijack-sized capacity shows intent (a quota or capacity error means it was permitted and only too big); high when a suspect made it."
                    : "Capacity like this is what stolen keys are used for (mining, model training), and it is billed by the hour."),
            entity: EntityReference(kind: .instance, id: id, name: type, region: event.region),
            containment: Advice.computeHijack(instances: launched, type: type, region: event.region),
            details: ["instanceType": type, "instances": String(instances)])
        item.finding.techniques = [.computeHijacking]
        return [item]
    }

    // MARK: Bedrock

    /// What a Bedrock call does for someone abusing the account's models.
    enum BedrockCall: String {
        /// Turns model access on: a use case form, a model agreement, an entitlement.
        case enable
        /// Runs a model.
        case invoke
        /// Lists models or asks which are available.
        case probe
        /// Deletes the record of prompts and responses, so invocations go unseen.
        case unlog
    }

    static let bedrockCalls: [String: BedrockCall] = [
        "PutUseCaseForModelAccess": .enable, "CreateFoundationModelAgreement": .enable,
        "PutFoundationModelEntitlement": .enable, "InvokeModel": .invoke, "InvokeModelWithResponseStream": .invoke,
        "Converse": .invoke, "ConverseStream": .invoke, "ListFoundationModels": .probe,
        "GetFoundationModelAvailability": .probe, "ListFoundationModelAgreementOffers": .probe,
        "DeleteModelInvocationLoggingConfiguration": .unlog,
    ]

    /// The caller of an event as a finding names it: its access key, else its principal.
    static func caller(_ event: EventFacts) -> EntityReference {
        let key = event.accessKey
        return EntityReference(
            kind: key != nil ? .accessKey : .principal, id: key ?? event.principal ?? "unknown",
            name: event.callerUserName
                ?? event.principal.map { principal in
                    [roleName(principal), EventFacts.lastPathComponent(principal)].compactMap { $0 }.joined(
                        separator: "/")
                }, arn: event.principal)
    }

    /// Whether long-term credentials (an IAM user's or root's keys, or their session tokens) made the call.
    private static func longTerm(_ event: EventFacts) -> Bool {
        event.identityType == "IAMUser" || event.identityType == "Root"
    }

    /// `impact.resource-hijacking` of Bedrock, one event: merged per caller by `bedrockSummary`.
    static func bedrock(_ event: EventFacts) -> [EventFinding] {
        guard let call = bedrockCalls[event.name] else { return [] }
        let severity: Severity =
            call == .enable || call == .unlog ? (event.failed ? .medium : .high) : longTerm(event) ? .medium : .low
        var item = event.finding(
            .resourceHijacking, "Bedrock \(event.name)", severity, "", entity: caller(event),
            containment: Advice.review(""),
            details: [
                "call": call.rawValue, "model": event.parameter("modelId") ?? "",
                "failed": event.failed ? "1" : "", "longTerm": longTerm(event) ? "1" : "",
                "role": event.callerUserName == nil ? roleName(event.principal) ?? "" : "",
                "user": event.callerUserName ?? "",
            ])
        item.finding.techniques = [.cloudServiceHijacking]
        return [item]
    }

    /// `count` and `noun`, with an s when there are several.
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The role of an assumed-role principal (`…:assumed-role/ROLE/session`).
    static func roleName(_ principal: String?) -> String? {
        guard let principal, let range = principal.range(of: ":assumed-role/") else { return nil }
        return principal[range.upperBound...].split(separator: "/").first.map(String.init)
    }

    /// One finding for a caller's Bedrock calls: high when it enabled model access or deleted the
    /// model invocation logging, medium when
    /// long-term credentials invoked or probed models or a caller both probed and invoked (the
    /// pattern of LLMjacking: look for what is available, then use it), low for a role's calls alone.
    @Sendable static func bedrockSummary(_ group: [EventFinding], log: EventLog) -> EventFinding {
        func calls(_ kind: BedrockCall) -> [EventFinding] {
            group.filter { $0.finding.details["call"] == kind.rawValue }
        }
        let enabled = calls(.enable), invoked = calls(.invoke), probed = calls(.probe), unlogged = calls(.unlog)
        func models(_ items: [EventFinding]) -> [String] {
            Set(items.compactMap { $0.finding.details["model"] }.filter { !$0.isEmpty }).sorted()
        }
        let enabledModels = models(enabled.filter { $0.finding.details["failed"] != "1" })
        var severity = group.map(\.finding.severity).max() ?? .low
        if !invoked.isEmpty && !probed.isEmpty { severity = max(severity, .medium) }
        let who = group[0].finding.entity
        var parts: [String] = []
        if !enabled.isEmpty {
            parts.append(
                enabledModels.isEmpty
                    ? counted(enabled.count, "attempt") + " to enable model access"
                    : "model access enabled for \(enabledModels.joined(separator: ", "))")
        }
        if !invoked.isEmpty {
            let refused = invoked.filter { $0.finding.details["failed"] == "1" }.count
            parts.append(
                counted(invoked.count, "invocation") + (refused > 0 ? " (\(refused) refused)" : "")
                    + (models(invoked).isEmpty ? "" : " of \(models(invoked).joined(separator: ", "))"))
        }
        if !probed.isEmpty { parts.append(counted(probed.count, "availability or listing call")) }
        if !unlogged.isEmpty {
            let refused = unlogged.allSatisfy { $0.finding.details["failed"] == "1" }
            parts.append(refused ? "an attempt to delete model invocation logging" : "model invocation logging deleted")
        }
        var reason =
            "Stolen keys are used to run the account's Bedrock models for others (LLMjacking), billed to the account."
        if unlogged.contains(where: { $0.finding.details["failed"] != "1" }) {
            reason += " The record of prompts and responses was deleted, so invocations go unseen."
        }
        if !enabledModels.isEmpty {
            reason += " Model access was turned on, as someone does who means to use models the account did not use."
        } else if !enabled.isEmpty {
            reason += " Someone tried to turn model access on; the attempt was refused."
        } else if group.contains(where: { $0.finding.details["longTerm"] == "1" }) {
            reason += " Long-term user credentials made the calls; workloads call Bedrock through roles."
        } else if !invoked.isEmpty && !probed.isEmpty {
            reason += " The caller looked for available models and invoked them."
        } else {
            reason += " A role's calls alone are what workloads do every day; high only when a suspect made them."
        }
        let role = group.lazy.compactMap { $0.finding.details["role"] }.first { !$0.isEmpty }
        let user = group.lazy.compactMap { $0.finding.details["user"] }.first { !$0.isEmpty }
        let region = group[0].finding.region
        return merged(
            group, log: log,
            title: "Bedrock used by \(who.id)\(who.name.map { " (\($0))" } ?? ""): " + parts.joined(separator: "; "),
            severity: severity, reason: reason, entity: who,
            containment: Advice.bedrock(
                key: who.kind == .accessKey ? who.id : nil, user: user,
                role: role, models: enabledModels, region: region),
            details: [
                "models": models(group).joined(separator: " "), "invocations": String(invoked.count),
                "probes": String(probed.count), "enabled": String(enabled.count),
            ])
    }

    // MARK: User data

    /// Whether an AWS service made the call on the principal's behalf (`invokedBy`, or a service
    /// name or `AWS Internal` as the source address), as CloudFormation, Config and scanners do.
    static func byService(_ event: EventFacts) -> Bool {
        let address = event.log.string(event.row.sourceIP) ?? ""
        return event.row.invokedBy != 0 || address.hasSuffix("amazonaws.com") || address == "AWS Internal"
    }

    /// `credential-access.user-data`, one event: merged per caller and burst by `userDataSummary`.
    static func userData(_ event: EventFacts) -> [EventFinding] {
        guard event.parameter("attribute") == "userData" else { return [] }
        let instance = event.parameter("instanceId") ?? "unknown"
        return [
            event.finding(
                .userData, "User data of \(instance) read", byService(event) ? .low : .medium, "",
                entity: EntityReference(kind: .instance, id: instance, region: event.region),
                containment: Advice.review(""),
                details: [
                    "instanceId": instance, "failed": event.failed ? "1" : "", "service": byService(event) ? "1" : "",
                ])
        ]
    }

    /// One finding for a caller's burst of user-data reads, naming every instance: medium whether
    /// the reads succeeded (user data often holds passwords and keys) or were refused (someone went
    /// looking for them); low when an AWS service made every call on the caller's behalf.
    @Sendable static func userDataSummary(_ group: [EventFinding], log: EventLog) -> EventFinding {
        var instances: [String] = []
        for item in group {
            let id = item.finding.details["instanceId"] ?? "unknown"
            if !instances.contains(id) { instances.append(id) }
        }
        let refused = group.filter { $0.finding.details["failed"] == "1" }.count
        let read = group.count - refused
        let byService = group.allSatisfy { $0.finding.details["service"] == "1" }
        let first = group[0]
        let row = log.rows[first.event]
        let who = log.string(row.accessKey) ?? log.string(row.principal) ?? "unknown"
        let listed = instances.prefix(10).joined(separator: ", ") + (instances.count > 10 ? " …" : "")
        let title =
            read == 0
            ? "Attempt to read the user data of \(instances.count) instance\(instances.count == 1 ? "" : "s") by \(who), refused \(refused) times: \(listed)"
            : "User data of \(instances.count) instance\(instances.count == 1 ? "" : "s") read by \(who)\(refused > 0 ? " (\(refused) calls refused)" : ""): \(listed)"
        var reason =
            read == 0
            ? "Every call was refused, so nothing was read; but reading user data is how keys and passwords left in boot scripts are found, and the attempt shows someone looking for them."
            : "User data often holds passwords, keys and tokens put in boot scripts: treat what it holds as exposed."
        if byService {
            reason += " An AWS service made the calls on the caller's behalf, as scanners and CloudFormation do."
        }
        return merged(
            group, log: log, title: title, severity: group.map(\.finding.severity).max() ?? .medium, reason: reason,
            entity: EntityReference(
                kind: .instance, id: instances.joined(separator: ","), region: first.finding.region),
            containment: Advice.userData(instances: instances, region: first.finding.region),
            details: ["instances": instances.joined(separator: " "), "refused": String(refused)])
    }

    // MARK: Remote access to instances

    /// `lateral.instance-access`, one event: serial console access enabled for the
    /// region (high: it reaches every instance's console, past security groups), an SSH key pushed
    /// through the serial console (high) or EC2 Instance Connect (medium: a routine way in for
    /// administrators, and a way in for whoever holds the caller's keys). Refused calls reach nothing
    /// and make no finding; they count toward `auth.denied-burst`.
    static func instanceAccess(_ event: EventFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        if event.name == "EnableSerialConsoleAccess" {
            let region = event.region ?? "unknown"
            return [
                event.finding(
                    .instanceAccess, "Serial console access enabled in \(region)", .high,
                    "Serial console access is off by default: turned on, anyone allowed to push a key reaches any instance's console in the region, whatever its security groups and network.",
                    entity: EntityReference(kind: .account, id: event.account, region: event.region),
                    containment: Advice.serialConsole(region: event.region))
            ]
        }
        let instance = event.parameter("instanceId") ?? "unknown"
        let serial = event.name == "SendSerialConsoleSSHPublicKey"
        return [
            event.finding(
                .instanceAccess, "SSH key pushed to \(instance)", serial ? .high : .medium, "",
                entity: EntityReference(kind: .instance, id: instance, region: event.region),
                containment: Advice.review(""),
                details: [
                    "instanceId": instance, "serial": serial ? "1" : "",
                    "osUser": event.parameter("instanceOSUser") ?? "",
                ])
        ]
    }

    /// One finding for a caller's burst of SSH keys pushed to instances, naming every instance;
    /// serial console access enabled stays a finding of its own.
    @Sendable static func instanceAccessSummary(_ group: [EventFinding], log: EventLog) -> EventFinding {
        let first = group[0]
        guard first.finding.entity.kind == .instance else {
            return merged(
                group, log: log, title: first.finding.title, severity: first.finding.severity,
                reason: first.finding.reason, entity: first.finding.entity, containment: first.finding.containment,
                details: [:])
        }
        var instances: [String] = []
        for item in group {
            let id = item.finding.details["instanceId"] ?? "unknown"
            if !instances.contains(id) { instances.append(id) }
        }
        let serial = group.contains { $0.finding.details["serial"] == "1" }
        let users = Set(group.compactMap { $0.finding.details["osUser"] }.filter { !$0.isEmpty }).sorted()
        let through = serial ? "the serial console" : "EC2 Instance Connect"
        return merged(
            group, log: log,
            title:
                "SSH key pushed through \(through) to \(instances.prefix(10).joined(separator: ", "))"
                + (instances.count > 10 ? " …" : "") + (users.isEmpty ? "" : " as \(users.joined(separator: ", "))"),
            severity: group.map(\.finding.severity).max() ?? .medium,
            reason: serial
                ? "A key pushed through the serial console opens a shell on the instance's console, past its security groups and network."
                : "The pushed key lets its holder log in over SSH for 60 seconds, long enough to leave a way back in; routine for administrators, high when a suspect did it.",
            entity: EntityReference(
                kind: .instance, id: instances.joined(separator: ","), region: first.finding.region),
            containment: Advice.instanceAccess(instances: instances, region: first.finding.region, serial: serial),
            details: ["instances": instances.joined(separator: " "), "osUsers": users.joined(separator: " ")])
    }
}
