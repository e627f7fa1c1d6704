import EvidenceReading

/// `credentials.instance-role.outside`: the temporary credentials EC2 gives an
/// instance for its role, used from somewhere that is not the instance.
///
/// An instance's role sessions are named after it (`…:assumed-role/ROLE/i-0123456789abcdef0`; the
/// records also say `sessionContext.ec2RoleDelivery`, which the session name makes unnecessary to
/// read). A call of such a session is foreign when:
///
/// - the snapshots know the instance and one of its addresses is public: every call from an
///   address that is not one of the instance's (its private and public addresses), since an instance
///   with a public address reaches AWS from it;
/// - otherwise (no snapshot, an instance it does not know, or one with private addresses only, which
///   reaches AWS through a NAT gateway the snapshots do not name), judging from the slice:
///   - its address, or its exact user agent, is one a person used in the slice (an IAM user, root,
///     a federated user or an Identity Center session): the person's machine holds the instance's
///     credentials;
///   - or its address is not the one its session's first call came from, nor one the instance used in
///     the baseline, nor one the sessions of another instance also used (a NAT gateway's). Calls
///     through a VPC endpoint show a private address and are left out of this comparison.
///
/// A user agent the instance did not use before counts for nothing alone: instances run several
/// agents and SDKs. Calls an AWS service made on the session's behalf (`invokedBy`, a service name
/// or `AWS Internal` as the address) and the collector's own calls take no part. One finding per
/// instance, high, naming every foreign call.
struct InstanceCredentialRules {
    let log: EventLog
    /// Events judged, oldest first.
    let scope: [Int]
    /// Events of the baseline: the addresses an instance used there are its own.
    let baseline: [Int]
    /// Each instance's private and public addresses from the snapshots, by instance id.
    let instanceAddresses: [String: Set<String>]

    /// Sessions whose name is an instance id: `i-` and 8 or 17 hexadecimal digits as AWS writes
    /// them, allowing 8 to 17 letters or digits as anonymised logs rewrite them.
    static func instance(inPrincipal principal: String) -> String? {
        guard principal.contains(":assumed-role/"), let session = EventFacts.lastPathComponent(principal),
            session.hasPrefix("i-")
        else { return nil }
        let rest = session.utf8.dropFirst(2)
        guard (8...17).contains(rest.count),
            rest.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        return session
    }

    /// Whether `address` is one of the private ranges (10/8, 172.16/12, 192.168/16, fc00::/7).
    static func isPrivate(_ address: String) -> Bool {
        let parts = address.split(separator: ".").compactMap { Int($0) }
        if parts.count == 4 {
            return parts[0] == 10 || (parts[0] == 172 && (16...31).contains(parts[1]))
                || (parts[0] == 192 && parts[1] == 168)
        }
        let lowered = address.lowercased()
        return lowered.hasPrefix("fc") || lowered.hasPrefix("fd")
    }

    /// An address a call came from, not an AWS service's name or `AWS Internal`.
    static func isAddress(_ text: String) -> Bool {
        !text.isEmpty && !text.hasSuffix("amazonaws.com") && text != "AWS Internal"
    }

    /// A test on interned ids, each id's string tested once, when first asked.
    private struct Memo {
        let table: StringTable
        let test: (String) -> Bool
        var known: [Int8]

        init(_ log: EventLog, _ test: @escaping (String) -> Bool) {
            table = log.table
            self.test = test
            known = [Int8](repeating: -1, count: log.table.count)
        }

        mutating func callAsFunction(_ id: Int32) -> Bool {
            guard id > 0, Int(id) < known.count else { return false }
            if known[Int(id)] < 0 { known[Int(id)] = test(table[id]) ? 1 : 0 }
            return known[Int(id)] == 1
        }
    }

    /// What a foreign call showed, for the finding's reason.
    private enum Sign {
        case notTheInstances(known: [String])
        case personAddress(who: Int32)
        case personAgent(who: Int32)
        case sessionMoved(first: Int32)
    }

    func evaluate() -> [EventFinding] {
        let slots = log.table.count
        // The instance of each principal id (an index into `instances`), -1 for none, -2 not yet known.
        var instanceOf = [Int32](repeating: -2, count: slots)
        var instances: [String] = []
        func instanceSlot(_ principal: Int32) -> Int? {
            guard principal > 0 else { return nil }
            if instanceOf[Int(principal)] == -2 {
                if let id = Self.instance(inPrincipal: log.table[principal]) {
                    instanceOf[Int(principal)] = Int32(instances.count)
                    instances.append(id)
                } else {
                    instanceOf[Int(principal)] = -1
                }
            }
            let slot = instanceOf[Int(principal)]
            return slot >= 0 ? Int(slot) : nil
        }
        var isAddress = Memo(log, Self.isAddress)
        var isPersonType = Memo(log) { $0 == "IAMUser" || $0 == "Root" || $0 == "FederatedUser" }
        var isIdentityCenter = Memo(log) { $0.contains(":assumed-role/AWSReservedSSO_") }
        var isServiceAgent = Memo(log) { $0.hasSuffix("amazonaws.com") || $0 == "AWS Internal" }
        func instanceCall(_ row: EventRow) -> Int? {
            guard !row.byCollector, row.invokedBy == 0, isAddress(row.sourceIP) else { return nil }
            return instanceSlot(row.principal)
        }

        var home: [Int: Set<Int32>] = [:]
        for index in baseline {
            let row = log.rows[index]
            if let slot = instanceCall(row) { home[slot, default: []].insert(row.sourceIP) }
        }
        // By interned id: the first person seen at each address and with each user agent, and the
        // first instance seen at each address (-1 once a second one is).
        var personAt = [Int32](repeating: 0, count: slots)
        var personWith = [Int32](repeating: 0, count: slots)
        var instanceAt = [Int32](repeating: -2, count: slots)
        var callsOf: [Int: [Int]] = [:]
        var firstOfSession: [Int32: Int32] = [:]
        for index in scope {
            let row = log.rows[index]
            guard !row.byCollector, row.invokedBy == 0 else { continue }
            if let slot = instanceCall(row) {
                callsOf[slot, default: []].append(index)
                let session = row.accessKey != 0 ? row.accessKey : row.principal
                if row.vpcEndpoint == 0, row.hasTime, firstOfSession[session] == nil {
                    firstOfSession[session] = row.sourceIP
                }
                let seen = instanceAt[Int(row.sourceIP)]
                instanceAt[Int(row.sourceIP)] = seen == -2 || seen == Int32(slot) ? Int32(slot) : -1
            } else if row.principal != 0, isPersonType(row.identityType) || isIdentityCenter(row.principal) {
                if isAddress(row.sourceIP), personAt[Int(row.sourceIP)] == 0 {
                    personAt[Int(row.sourceIP)] = row.principal
                }
                if row.userAgent != 0, !isServiceAgent(row.userAgent), personWith[Int(row.userAgent)] == 0 {
                    personWith[Int(row.userAgent)] = row.principal
                }
            }
        }

        var out: [EventFinding] = []
        // Instances in the order of their first call.
        for (slot, calls) in callsOf.sorted(by: { $0.value[0] < $1.value[0] }) {
            let instance = instances[slot]
            let known = instanceAddresses[instance] ?? instanceAddresses[instance.lowercased()] ?? []
            let knownIds = Set(known.map { log.table.lookup($0) }.filter { $0 != 0 })
            let authoritative = known.contains { !Self.isPrivate($0) }
            var foreign: [(index: Int, sign: Sign)] = []
            for index in calls {
                let row = log.rows[index]
                if knownIds.contains(row.sourceIP) { continue }
                if authoritative {
                    foreign.append((index, .notTheInstances(known: known.sorted())))
                } else if personAt[Int(row.sourceIP)] != 0 {
                    foreign.append((index, .personAddress(who: personAt[Int(row.sourceIP)])))
                } else if row.userAgent != 0, personWith[Int(row.userAgent)] != 0 {
                    foreign.append((index, .personAgent(who: personWith[Int(row.userAgent)])))
                } else if row.vpcEndpoint == 0, row.hasTime,
                    let first = firstOfSession[row.accessKey != 0 ? row.accessKey : row.principal],
                    first != row.sourceIP, home[slot]?.contains(row.sourceIP) != true,
                    instanceAt[Int(row.sourceIP)] != -1
                {
                    foreign.append((index, .sessionMoved(first: first)))
                }
            }
            guard let first = foreign.first else { continue }
            out.append(
                finding(instance: instance, foreign: foreign.map(\.index), sign: first.sign, calls: calls))
        }
        return out
    }

    private func finding(instance: String, foreign: [Int], sign: Sign, calls: [Int]) -> EventFinding {
        let index = foreign[0]
        let row = log.rows[index]
        let reference = log.reference(at: index)
        let principal = log.string(row.principal) ?? ""
        let role = EventRules.roleName(principal)
        var addresses: [String] = []
        for call in foreign {
            let address = log.table[log.rows[call].sourceIP]
            if !addresses.contains(address) { addresses.append(address) }
        }
        let address = log.table[row.sourceIP]
        var reason: String
        switch sign {
        case .notTheInstances(let known):
            reason =
                "The snapshots give the instance the addresses \(known.joined(separator: ", ")); \(address) is none of them."
        case .personAddress(let who):
            reason =
                "\(log.table[who]) also called from \(address): whoever holds that person's machine holds the instance's credentials."
        case .personAgent(let who):
            reason =
                "The call came with the exact user agent of \(log.table[who]) (\(log.table[row.userAgent])): the person's tool holds the instance's credentials."
        case .sessionMoved(let first):
            reason =
                "The same session's first call came from \(log.table[first]), this one from \(address); no other instance uses that address."
        }
        reason +=
            " An instance's role credentials are meant to be used only on the instance; read from its metadata service (through a forged request or a shell on it), they work from anywhere until they expire."
        let keys = Set(foreign.compactMap { log.string(log.rows[$0].accessKey) }).sorted()
        let region =
            calls.lazy.map { self.log.rows[$0] }.first {
                !BehaviourRules.globalSources.contains(self.log.table[$0.source])
            }
            .flatMap { self.log.string($0.region) }
        var finding = Finding(
            rule: .instanceRoleOutside,
            title:
                "Credentials of instance \(instance)\(role.map { " (role \($0))" } ?? "") used from \(addresses.joined(separator: ", "))",
            severity: .high, reason: reason, basis: .cloudTrailOnly, account: reference.account ?? "",
            region: region ?? reference.region,
            entity: EntityReference(kind: .instance, id: instance, name: role, region: region),
            evidence: reference.evidence.map { [$0] } ?? [], event: reference,
            relatedEvents: foreign.count > 1 ? foreign.prefix(50).map { log.reference(at: $0) } : [],
            containment: Advice.instanceCredentials(instance: instance, role: role, region: region),
            details: [
                "instanceId": instance, "role": role ?? "", "addresses": addresses.joined(separator: " "),
                "accessKeyIds": keys.joined(separator: " "), "calls": String(foreign.count), "madeBy": principal,
            ])
        finding.details["sessionCalls"] = String(calls.count)
        return EventFinding(finding: finding, event: index)
    }
}
