import CustodyJSON
import Foundation

/// What rules judge about IAM policy documents: whether they grant administration, and whom a
/// trust policy admits.
enum PolicyJudgement {
    /// AWS managed policies that administer the account or its IAM.
    static let privilegedManagedPolicies: Set<String> = ["AdministratorAccess", "IAMFullAccess"]

    /// Whether a managed policy ARN is one of `privilegedManagedPolicies` (AWS managed or a copy by that name).
    static func isPrivileged(policyArn: String) -> Bool {
        guard let name = policyArn.split(separator: "/").last else { return false }
        return privilegedManagedPolicies.contains(String(name))
    }

    /// A policy document from CloudTrail or a snapshot: an object, or JSON text (URL-encoded as IAM returns it, or not).
    static func document(_ value: JSONValue?) -> JSONValue? {
        guard let value else { return nil }
        if case .object = value { return value }
        guard var text = value.stringValue else { return nil }
        if !text.hasPrefix("{"), let decoded = text.removingPercentEncoding { text = decoded }
        return try? JSONValue.parse(Data(text.utf8))
    }

    private static func list(_ value: JSONValue?) -> [JSONValue] {
        guard let value else { return [] }
        if case .array(let items) = value { return items }
        return [value]
    }

    private static func statements(_ document: JSONValue) -> [JSONValue] { list(document["Statement"]) }

    /// Whether a document allows `*` or `iam:*` (any resource): it can administer the account.
    static func isPrivileged(document value: JSONValue?) -> Bool {
        guard let document = document(value) else { return false }
        for statement in statements(document) where statement["Effect"]?.stringValue == "Allow" {
            let actions = list(statement["Action"]).compactMap(\.stringValue).map { $0.lowercased() }
            let resources = list(statement["Resource"]).compactMap(\.stringValue)
            if actions.contains(where: { $0 == "*" || $0 == "iam:*" }) && (resources.isEmpty || resources.contains("*"))
            {
                return true
            }
        }
        return false
    }

    /// Whom a trust (or resource) policy admits.
    struct Principals: Hashable {
        /// `*` or `{"AWS":"*"}`.
        var everyone = false
        /// Account ids named (directly, as `:root`, or through a user or role ARN).
        var accounts: Set<String> = []
        /// Service principals.
        var services: Set<String> = []
        /// Federated providers.
        var federated: Set<String> = []
        /// Every principal as written.
        var all: Set<String> = []

        /// Accounts other than `own`.
        func foreign(to own: String) -> Set<String> { accounts.subtracting([own]) }
    }

    /// The principals an Allow statement admits. Conditions are not evaluated: a principal admitted
    /// under a condition is still admitted.
    static func principals(_ value: JSONValue?) -> Principals {
        var result = Principals()
        guard let document = document(value) else { return result }
        for statement in statements(document) where statement["Effect"]?.stringValue != "Deny" {
            let principal = statement["Principal"]
            if principal?.stringValue == "*" {
                result.everyone = true
                result.all.insert("*")
                continue
            }
            for value in list(principal?["AWS"]).compactMap(\.stringValue) {
                result.all.insert(value)
                if value == "*" {
                    result.everyone = true
                } else if let account = account(in: value) {
                    result.accounts.insert(account)
                }
            }
            for value in list(principal?["Service"]).compactMap(\.stringValue) {
                result.services.insert(value)
                result.all.insert(value)
            }
            for value in list(principal?["Federated"]).compactMap(\.stringValue) {
                result.federated.insert(value)
                result.all.insert(value)
            }
            for value in list(principal?["CanonicalUser"]).compactMap(\.stringValue) { result.all.insert(value) }
        }
        return result
    }

    /// The account id in an ARN or a bare 12-digit id.
    static func account(in value: String) -> String? {
        if value.count == 12 && value.allSatisfy(\.isNumber) { return value }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "arn" else { return nil }
        let account = String(parts[4])
        return account.count == 12 && account.allSatisfy(\.isNumber) ? account : nil
    }
}
