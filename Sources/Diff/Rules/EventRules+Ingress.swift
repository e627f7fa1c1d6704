import CustodyJSON

extension EventRules {
    /// The sources an `AuthorizeSecurityGroupIngress` request admits (`cidrIp`, `cidrIpv6`, the
    /// `groupId` of referenced groups, `prefixListId`, in its permissions or, in the older form,
    /// beside the group), once each, sorted: what the eradication check looks for in the group's
    /// rules later.
    static func ingressSources(_ request: JSONValue?) -> [String] {
        var out = Set<String>()
        func walk(_ value: JSONValue) {
            switch value {
            case .array(let items): items.forEach(walk)
            case .object(let members):
                for (key, member) in members {
                    if ["cidrIp", "cidrIpv6", "groupId", "prefixListId"].contains(key), let text = member.stringValue {
                        out.insert(text)
                    } else {
                        walk(member)
                    }
                }
            default: break
            }
        }
        // The group the rule is added to is named outside the permissions.
        if let permissions = request?["ipPermissions"] { walk(permissions) }
        // The older form names one range beside the group, with the permissions empty.
        for key in ["cidrIp", "cidrIpv6"] {
            if let range = request?[key]?.stringValue { out.insert(range) }
        }
        return out.sorted()
    }
}
