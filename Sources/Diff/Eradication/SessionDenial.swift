import CustodyJSON
import Evidence
import EvidenceReading

/// Whether a principal's policies deny every session issued before some time: a statement that
/// denies every action on every resource, either outright (a deny-all policy such as
/// `AWSDenyAll` or custody's `custody-deny-all`) or under `DateLessThan` on
/// `aws:TokenIssueTime` alone (AWS's `AWSRevokeOlderSessions`, the console's *Revoke active
/// sessions*). Any other condition makes the deny partial, and it is not counted.
enum SessionDenial {
    /// A deny that covers every session, whenever issued.
    static let always = Int64.max

    /// AWS managed policies that deny everything.
    static let denyAllManagedPolicies: Set<String> = ["arn:aws:iam::aws:policy/AWSDenyAll"]

    /// The time (seconds) before which `document` denies every session, `always` for a deny without
    /// condition, `nil` when it denies no session wholesale.
    static func deniedBefore(_ document: JSONValue?) -> Int64? {
        guard let document = PolicyJudgement.document(document) else { return nil }
        var latest: Int64?
        for statement in list(document["Statement"]) where statement["Effect"]?.stringValue == "Deny" {
            guard statement["NotAction"] == nil, statement["NotResource"] == nil,
                list(statement["Action"]).contains(where: { $0.stringValue == "*" }),
                list(statement["Resource"]).contains(where: { $0.stringValue == "*" }),
                let until = conditionTime(statement["Condition"])
            else { continue }
            latest = max(latest ?? until, until)
        }
        return latest
    }

    /// `always` without a condition; the time of a lone `DateLessThan` on `aws:TokenIssueTime`;
    /// `nil` for any other condition.
    private static func conditionTime(_ condition: JSONValue?) -> Int64? {
        guard let condition, condition != .null else { return always }
        guard case .object(let operators) = condition, operators.count == 1, let (name, keys) = operators.first,
            name == "DateLessThan", case .object(let members) = keys, members.count == 1,
            let (key, value) = members.first, key.lowercased() == "aws:tokenissuetime"
        else { return nil }
        let times = list(value).compactMap(\.stringValue)
        guard times.count == 1, let time = times.first else { return nil }
        return UTCTimestamp(parsing: time)?.seconds
    }

    private static func list(_ value: JSONValue?) -> [JSONValue] {
        guard let value else { return [] }
        if case .array(let items) = value { return items }
        return [value]
    }

    /// The latest time before which the policies of `user` (inline, attached, and its groups')
    /// deny every session, with the policy that does; `nil` when none does.
    static func user(_ user: IAMUser, in newest: NewestSnapshot) -> (time: Int64, policy: String)? {
        var documents = user.inlinePolicies.map { ("inline policy \($0.policyName)", $0.document as JSONValue?) }
        var attached = user.attachedPolicies
        for name in user.groups {
            guard let group = newest.groupsByName[name] else { continue }
            documents += group.inlinePolicies.map { ("group \(name)'s inline policy \($0.policyName)", $0.document) }
            attached += group.attachedPolicies
        }
        return latest(documents, attached: attached, in: newest)
    }

    /// As `user(_:in:)`, for a role's inline and attached policies.
    static func role(_ role: IAMRole, in newest: NewestSnapshot) -> (time: Int64, policy: String)? {
        latest(
            role.inlinePolicies.map { ("inline policy \($0.policyName)", $0.document as JSONValue?) },
            attached: role.attachedPolicies, in: newest)
    }

    private static func latest(
        _ documents: [(String, JSONValue?)], attached: [AttachedPolicy], in newest: NewestSnapshot
    ) -> (time: Int64, policy: String)? {
        var all = documents
        for policy in attached {
            if denyAllManagedPolicies.contains(policy.policyArn) {
                all.append(("policy \(policy.policyArn)", .object(["Statement": denyAll])))
            } else if let managed = newest.policiesByArn[policy.policyArn] {
                all.append(("policy \(policy.policyArn)", managed.document))
            }
        }
        var best: (time: Int64, policy: String)?
        for (name, document) in all {
            guard let time = deniedBefore(document), time > (best?.time ?? .min) else { continue }
            best = (time, name)
        }
        return best
    }

    private static let denyAll: JSONValue = .array([
        .object(["Effect": .string("Deny"), "Action": .string("*"), "Resource": .string("*")])
    ])
}
