import CustodyJSON
import EvidenceReading

/// Lambda backdoors beyond a resource policy: the code replaced, a layer added, a role that
/// administers given to a function, or a function made with one. CloudTrail hides the code
/// (`zipFile`) and the environment's values, so the rule reads what it keeps: where the code came
/// from, its hash, the layers' and role's ARNs.
extension EventRules {
    /// What is known of a role's permissions.
    enum RolePrivilege: Equatable {
        /// It administers the account; how that is known.
        case administers(String)
        /// A snapshot was read and does not list it among the roles that administer.
        case ordinary
        /// No snapshot was read and no grant to it is in the slice.
        case unknown
    }

    static func lambdaFunction(_ event: EventFacts, snapshots: SnapshotFacts) -> [EventFinding] {
        guard !event.failed else { return [] }
        let requested = event.parameter("functionName") ?? "unknown"
        let function = event.response?["functionName"]?.stringValue ?? functionName(requested)
        let arn = event.response?["functionArn"]?.stringValue ?? (requested.hasPrefix("arn:") ? requested : nil)
        let owner = arn.map(EventFacts.accountOf(arn:)).flatMap { $0.isEmpty ? nil : $0 } ?? event.account
        let entity = EntityReference(kind: .function, id: function, name: function, arn: arn, region: event.region)
        let currentRole = event.response?["role"]?.stringValue

        if event.name.hasPrefix("UpdateFunctionCode") {
            var details: [String: String] = [:]
            details["codeSha256"] = event.response?["codeSha256"]?.stringValue
            details["source"] =
                event.parameter("imageUri")
                ?? event.parameter("s3Bucket").map { "s3://\($0)/\(event.parameter("s3Key") ?? "")" }
            return [
                event.finding(
                    .lambdaBackdoored, "Code of Lambda function \(function) replaced", .medium,
                    "New code runs with the function's role at every invocation. Deployments do this daily: look at who did it (high when a suspect did).",
                    entity: entity,
                    containment: Advice.lambdaFunction(
                        function, region: event.region, code: true, layers: false,
                        role: currentRole.flatMap(EventFacts.lastPathComponent)),
                    details: details)
            ]
        }

        let creating = event.name.hasPrefix("CreateFunction")
        var named = list(event.request?["layers"]).compactMap(\.stringValue)
        if creating && named.isEmpty { named = list(event.response?["layers"]).compactMap { $0["arn"]?.stringValue } }
        let added = Array(Set(named)).sorted()
        let foreign = added.filter {
            let account = EventFacts.accountOf(arn: $0)
            return !account.isEmpty && account != owner
        }
        let role = event.parameter("role") ?? (creating ? currentRole : nil)
        guard !added.isEmpty || role != nil else { return [] }
        let standing = role.map { privilege(ofRole: $0, event, snapshots: snapshots) }

        var reasons: [String] = []
        if !foreign.isEmpty {
            let accounts = Set(foreign.map(EventFacts.accountOf(arn:))).sorted().joined(separator: ", ")
            reasons.append(
                "It runs layer code from account \(accounts), not the function's: whatever is published there runs inside it (AWS and vendors publish layers from their own accounts too: check whose it is)."
            )
        } else if !added.isEmpty {
            reasons.append(
                "Layer code runs inside the function beside its handler; an extension sees every invocation.")
        }
        if let role, let standing {
            switch standing {
            case .administers(let how):
                reasons.append("It runs with role \(role), which administers the account (\(how)).")
            case .ordinary:
                reasons.append(
                    "It runs with role \(role), which no snapshot lists among the roles that administer the account.")
            case .unknown:
                reasons.append(
                    "It runs with role \(role), whose permissions are unknown: no snapshot was read and the slice grants it nothing."
                )
            }
        }
        var administers = false
        if case .administers? = standing { administers = true }
        let severity: Severity
        if !foreign.isEmpty || administers {
            severity = .high
        } else if creating {
            // A new function with an ordinary role is a deployment; with a role nobody can judge, kept at low.
            guard standing == .unknown else { return [] }
            severity = .low
        } else {
            severity = .medium
        }
        var changes: [String] = []
        if !added.isEmpty { changes.append("layer\(added.count > 1 ? "s" : "") \(added.joined(separator: ", "))") }
        if let role { changes.append("role \(role)") }
        var details: [String: String] = [:]
        if !added.isEmpty { details["layers"] = added.joined(separator: " ") }
        if let role { details["role"] = role }
        return [
            event.finding(
                .lambdaBackdoored,
                "Lambda function \(function) \(creating ? "created with" : "given") \(changes.joined(separator: " and "))",
                severity, reasons.joined(separator: " "), entity: entity,
                containment: Advice.lambdaFunction(
                    function, region: event.region, code: false, layers: !added.isEmpty,
                    role: (role ?? currentRole).flatMap(EventFacts.lastPathComponent)),
                details: details)
        ]
    }

    /// The function's name in a name, a partial ARN (`account:function:name`) or an ARN, without a version.
    static func functionName(_ value: String) -> String {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard let at = parts.firstIndex(of: "function"), parts.index(after: at) < parts.endIndex else { return value }
        return String(parts[parts.index(after: at)])
    }

    /// What the snapshots, else the calls before `event` in the slice, say of a role's permissions.
    static func privilege(ofRole role: String, _ event: EventFacts, snapshots: SnapshotFacts) -> RolePrivilege {
        let name = EventFacts.lastPathComponent(role) ?? role
        if snapshots.privilegedRoles.contains(role) || snapshots.privilegedRoles.contains(name) {
            return .administers("a snapshot says so")
        }
        if let grant = administrationGranted(toRole: name, account: EventFacts.accountOf(arn: role), before: event) {
            return .administers(grant)
        }
        return snapshots.knownAccounts.isEmpty ? .unknown : .ordinary
    }

    /// How the role `name` (of `account`, or of the event's when empty) was given administration
    /// earlier in the slice: AdministratorAccess or IAMFullAccess attached, or an inline `*`/`iam:*`.
    static func administrationGranted(toRole name: String, account: String, before event: EventFacts) -> String? {
        let log = event.log
        let attach = log.table.lookup("AttachRolePolicy"), put = log.table.lookup("PutRolePolicy")
        guard attach != 0 || put != 0 else { return nil }
        let owner = account.isEmpty ? event.account : account
        for index in log.rows.indices.prefix(event.index) {
            let row = log.rows[index]
            guard row.name != 0, row.name == attach || row.name == put, row.errorCode == 0, row.detail >= 0,
                let grant = EventFacts(log: log, index: index), grant.parameter("roleName") == name,
                grant.account == owner
            else { continue }
            if let policy = grant.parameter("policyArn"), PolicyJudgement.isPrivileged(policyArn: policy) {
                return "\(EventFacts.lastPathComponent(policy) ?? policy) attached earlier in the slice"
            }
            if row.name == put, PolicyJudgement.isPrivileged(document: grant.request?["policyDocument"]) {
                return "an inline policy allowing * or iam:* put earlier in the slice"
            }
        }
        return nil
    }
}
