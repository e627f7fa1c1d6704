import EvidenceReading
/// The CloudTrail rules that need history: bursts of discovery calls or denied calls from one
/// key, credentials used from a new source, and activity in a region not used before.
///
/// Each compares times or asks what came first, so events at no known time (`EventRow.hasTime`)
/// take no part: they were not before or after anything, nor inside any window.
struct BehaviourRules {
    let log: EventLog
    /// Events the rules judge (after the baseline), oldest first, each with a time.
    let scope: [Int]
    /// Events that establish what is normal (the baseline's slice), each with a time; empty when there is none.
    let baseline: [Int]
    /// Regions known to be in use from the baseline snapshot.
    let regionsInUse: Set<String>
    /// The actor of each event made by a suspect actor.
    let actorOf: ActorMap

    /// The rules over `scope` and `baseline`, less their events at no known time.
    init(log: EventLog, scope: [Int], baseline: [Int], regionsInUse: Set<String>, actorOf: ActorMap) {
        self.log = log
        self.scope = scope.filter { log.rows[$0].hasTime }
        self.baseline = baseline.filter { log.rows[$0].hasTime }
        self.regionsInUse = regionsInUse
        self.actorOf = actorOf
    }

    /// The burst rules' window and thresholds.
    static let window: Int64 = 600
    static let distinctDiscoveryCalls = 6
    static let deniedCalls = 5

    /// Services whose events carry a region without being regional.
    static let globalSources: Set<String> = [
        "iam.amazonaws.com", "sts.amazonaws.com", "organizations.amazonaws.com", "signin.amazonaws.com",
        "cloudfront.amazonaws.com", "route53.amazonaws.com", "health.amazonaws.com", "support.amazonaws.com",
        "account.amazonaws.com", "billingconsole.amazonaws.com", "ce.amazonaws.com", "sso.amazonaws.com",
    ]

    static let deniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Client.UnauthorizedOperation",
        "UnauthorizedAccess", "Forbidden", "Client.AccessDenied",
    ]

    func evaluate() -> [EventFinding] {
        independentOfActors() + regionFirstUse()
    }

    /// The findings that do not depend on `actorOf`: an analysis that follows actors in rounds
    /// works them out once.
    func independentOfActors() -> [EventFinding] {
        bursts() + newSources()
    }

    /// Whether a test holds for the string of an interned id, each id tested once, when first asked.
    private struct IdTest {
        let table: StringTable
        let test: (String) -> Bool
        var known: [Int8]

        init(_ log: EventLog, _ test: @escaping (String) -> Bool) {
            table = log.table
            self.test = test
            known = [Int8](repeating: -1, count: log.table.count)
        }

        mutating func callAsFunction(_ id: Int32) -> Bool {
            let index = Int(id)
            if known[index] < 0 { known[index] = test(table[id]) ? 1 : 0 }
            return known[index] == 1
        }
    }

    private func keyOf(_ row: EventRow) -> Int32 { row.accessKey != 0 ? row.accessKey : row.principal }

    private func finding(
        _ rule: RuleID, _ title: String, _ reason: String, at index: Int, entity: EntityReference, related: [Int],
        containment: Containment, details: [String: String] = [:]
    ) -> EventFinding {
        let reference = log.reference(at: index)
        let row = log.rows[index]
        var finding = Finding(
            rule: rule, title: title, severity: .medium, reason: reason, basis: .cloudTrailOnly,
            account: reference.account ?? "", region: entity.region ?? reference.region, entity: entity,
            evidence: reference.evidence.map { [$0] } ?? [], event: reference,
            relatedEvents: related.prefix(50).map { log.reference(at: $0) }, containment: containment, details: details)
        if let by = log.string(row.principal) { finding.details["madeBy"] = by }
        return EventFinding(finding: finding, event: index)
    }

    /// `discovery.enumeration` and `auth.denied-burst`: per key, a sliding window over its events.
    private func bursts() -> [EventFinding] {
        // Each key's events, by the key's interned id (dense: one slot per id of the table).
        var slotOfKey = [Int32](repeating: -1, count: log.table.count)
        var keys: [Int32] = []
        var eventsOfKey: [[Int]] = []
        for index in scope {
            let row = log.rows[index]
            let key = keyOf(row)
            guard !row.byCollector, key != 0 else { continue }
            if slotOfKey[Int(key)] < 0 {
                slotOfKey[Int(key)] = Int32(keys.count)
                keys.append(key)
                eventsOfKey.append([])
            }
            eventsOfKey[Int(slotOfKey[Int(key)])].append(index)
        }
        var out: [EventFinding] = []
        var isDiscovery = IdTest(log) { $0.hasPrefix("List") || $0.hasPrefix("Describe") || $0.hasPrefix("Get") }
        var isDenied = IdTest(log) { Self.deniedCodes.contains($0) }
        for keyId in keys.sorted() {
            let events = eventsOfKey[Int(slotOfKey[Int(keyId)])]
            let reads = events.filter { index in
                let row = log.rows[index]
                return row.errorCode == 0 && isDiscovery(row.name)
            }
            if let burst = firstBurst(reads, distinct: true, threshold: Self.distinctDiscoveryCalls) {
                let row = log.rows[burst[0]]
                let key = log.string(keyOf(row)) ?? "unknown"
                let names = Set(burst.map { log.table[log.rows[$0].name] }).sorted()
                out.append(
                    finding(
                        .enumeration,
                        "\(names.count) kinds of discovery call from \(key) within \(Self.window / 60) minutes",
                        "A burst of List, Describe and Get calls is how a new holder of a key looks around: \(names.joined(separator: ", ")).",
                        at: burst[0],
                        entity: EntityReference(kind: row.accessKey != 0 ? .accessKey : .principal, id: key),
                        related: burst, containment: Advice.accessKey(key, user: log.string(row.userName)),
                        details: ["calls": String(burst.count)]))
            }
            let denied = events.filter { isDenied(log.rows[$0].errorCode) }
            if let burst = firstBurst(denied, distinct: false, threshold: Self.deniedCalls) {
                let row = log.rows[burst[0]]
                let key = log.string(keyOf(row)) ?? "unknown"
                out.append(
                    finding(
                        .deniedBurst, "\(burst.count) denied calls from \(key) within \(Self.window / 60) minutes",
                        "Many refused calls in a short time: someone probing what the key may do.",
                        at: burst[0],
                        entity: EntityReference(kind: row.accessKey != 0 ? .accessKey : .principal, id: key),
                        related: burst, containment: Advice.accessKey(key, user: log.string(row.userName))))
            }
        }
        return out
    }

    /// The first window of `events` (oldest first) with `threshold` events (or distinct event names), grown to its end.
    private func firstBurst(_ events: [Int], distinct: Bool, threshold: Int) -> [Int]? {
        guard events.count >= threshold else { return nil }
        var start = 0
        var names: [Int32: Int] = [:]
        for end in events.indices {
            let time = log.rows[events[end]].time
            names[log.rows[events[end]].name, default: 0] += 1
            while log.rows[events[start]].time < EvidenceSeconds.subtracting(time, Self.window) {
                let name = log.rows[events[start]].name
                names[name]! -= 1
                if names[name] == 0 { names[name] = nil }
                start += 1
            }
            let size = distinct ? names.count : end - start + 1
            if size >= threshold {
                var last = end
                while last + 1 < events.count
                    && log.rows[events[last + 1]].time
                        <= EvidenceSeconds.adding(log.rows[events[start]].time, Self.window)
                {
                    last += 1
                }
                return Array(events[start...last])
            }
        }
        return nil
    }

    private static func isAddress(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("amazonaws.com") && text != "AWS Internal"
    }

    /// How long a principal's sources are learned from its first call from an address in the
    /// slice, when the baseline did not see it: new sources then are low, not medium.
    static let learningSeconds: Int64 = 3_600

    /// Whether a principal is left out of `identity.new-source`: an instance's role session, named
    /// after its instance id (`credentials.instance-role.outside` watches those).
    static func isInstanceSession(_ principal: String) -> Bool {
        guard principal.contains(":assumed-role/"), let session = EventFacts.lastPathComponent(principal) else {
            return false
        }
        let hex = session.dropFirst(2)
        return session.hasPrefix("i-") && (hex.count == 8 || hex.count == 17)
            && hex.allSatisfy { $0.isASCII && $0.isHexDigit }
    }

    /// The network range family of an address: its first 16 bits for IPv4 (a /16), its first 48
    /// for IPv6 (a /48, a site's allocation); an IPv4 address written in IPv6 (`::ffff:a.b.c.d`)
    /// counts as IPv4. `nil` for anything else (a host name, an anonymised address). The two kinds
    /// carry different high bits, so they never compare equal.
    static func networkFamily(_ text: String) -> UInt64? {
        var text = Substring(text)
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        if !text.contains(":") {
            let octets = text.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4 else { return nil }
            var values: [UInt64] = []
            for octet in octets {
                guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCII), let value = UInt64(octet), value < 256
                else { return nil }
                values.append(value)
            }
            return 1 << 48 | values[0] << 8 | values[1]
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [Substring]? {
            part.isEmpty ? [] : part.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return nil }
        let written = head + tail
        // An IPv4 address in its last 32 bits: `::ffff:192.0.2.1`.
        if let last = written.last, last.contains(".") {
            let prefix = written.dropLast()
            guard prefix.allSatisfy({ $0 == "0" || $0.lowercased() == "ffff" }) else { return nil }
            return networkFamily(String(last))
        }
        guard written.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isHexDigit } }),
            halves.count == 2 ? written.count < 8 : written.count == 8
        else { return nil }
        let full = head + [Substring](repeating: "0", count: 8 - written.count) + tail
        var family: UInt64 = 2 << 48
        for (n, group) in full.prefix(3).enumerated() {
            guard let value = UInt64(group, radix: 16) else { return nil }
            family |= value << UInt64(32 - 16 * n)
        }
        return family
    }

    /// The role an assumed-role principal (`…:assumed-role/role/session`) is a session of.
    private static func roleName(ofSession principal: String) -> String? {
        guard let range = principal.range(of: ":assumed-role/") else { return nil }
        return principal[range.upperBound...].split(separator: "/").first.map(String.init)
    }

    /// `identity.new-source`: a principal's credentials used from an address or VPC endpoint it
    /// was not seen with before. Principals are IAM users (their keys and session tokens), root,
    /// federated users and role sessions (by role and session name), less instances' sessions
    /// (`isInstanceSession`). What it was seen with comes from the baseline's slice, else from
    /// its first hour in the slice (`learningSeconds`), whose new sources are low. An address in
    /// the network range family of one already seen (`networkFamily`) is learned without a finding.
    private func newSources() -> [EventFinding] {
        // The sources seen for each principal, by its interned id.
        var known = [Set<Int32>](repeating: [], count: log.table.count)
        // The rest is read only when a source is new: by principal, its address families and the
        // end of its learning (`Int64.min` when the baseline saw it).
        var families: [Int32: Set<UInt64>] = [:]
        var learningEnds: [Int32: Int64] = [:]
        var familyOfId: [Int32: UInt64] = [:]  // 0 for none
        func family(_ source: Int32) -> UInt64 {
            if let known = familyOfId[source] { return known }
            let value = Self.networkFamily(log.table[source]) ?? 0
            familyOfId[source] = value
            return value
        }
        /// The five smallest of `known[who]`, sorted, as a finding quotes them: kept up to date
        /// as sources are added rather than sorted for every finding.
        var firstFive: [Int32: [String]] = [:]
        func remember(_ who: Int32, _ sources: some Sequence<Int32>) {
            var five = firstFive[who] ?? []
            for source in sources {
                let value = log.table[source]
                if source != 0, family(source) != 0 { families[who, default: []].insert(family(source)) }
                guard five.count < 5 || value < five[4] else { continue }
                five.insert(value, at: five.firstIndex { value < $0 } ?? five.endIndex)
                if five.count > 5 { five.removeLast() }
            }
            firstFive[who] = five
        }
        var isIdentity = IdTest(log) {
            $0 == "IAMUser" || $0 == "Root" || $0 == "FederatedUser" || $0 == "AssumedRole"
        }
        var isFollowed = IdTest(log) { !Self.isInstanceSession($0) }
        var isAddress = IdTest(log, Self.isAddress)
        func identity(_ row: EventRow) -> Int32? {
            guard isIdentity(row.identityType), !row.byCollector, row.principal != 0, isFollowed(row.principal) else {
                return nil
            }
            return row.principal
        }
        for index in baseline {
            let row = log.rows[index]
            guard let who = identity(row) else { continue }
            var added: [Int32] = []
            if isAddress(row.sourceIP), known[Int(who)].insert(row.sourceIP).inserted { added.append(row.sourceIP) }
            if row.vpcEndpoint != 0, known[Int(who)].insert(row.vpcEndpoint).inserted { added.append(row.vpcEndpoint) }
            if !added.isEmpty {
                remember(who, added)
                learningEnds[who] = .min
            }
        }
        var out: [EventFinding] = []
        var reported = Set<Int64>()
        for index in scope {
            let row = log.rows[index]
            guard let who = identity(row) else { continue }
            let address = isAddress(row.sourceIP), endpoint = row.vpcEndpoint != 0
            guard address || endpoint else { continue }
            let slot = Int(who)
            // Most calls come from a source already seen: decided without building anything.
            if !known[slot].isEmpty && (!address || known[slot].contains(row.sourceIP))
                && (!endpoint || known[slot].contains(row.vpcEndpoint))
            {
                continue
            }
            var sources: [Int32] = []
            if address { sources.append(row.sourceIP) }
            if endpoint { sources.append(row.vpcEndpoint) }
            guard !known[slot].isEmpty else {
                known[slot] = Set(sources)
                remember(who, sources)
                learningEnds[who] = EvidenceSeconds.adding(row.time, Self.learningSeconds)
                continue
            }
            var added: [Int32] = []
            for source in sources where !known[slot].contains(source) {
                known[slot].insert(source)
                added.append(source)
                let through = source == row.vpcEndpoint ? "VPC endpoint" : "address"
                // Another address of a range it already used: how providers renumber their users.
                if source == row.sourceIP, family(source) != 0, families[who]?.contains(family(source)) == true {
                    continue
                }
                guard reported.insert(Int64(who) << 32 | Int64(source)).inserted else { continue }
                let principal = log.table[who]
                let value = log.table[source]
                let before = (firstFive[who] ?? []).joined(separator: ", ")
                let learning = row.time < (learningEnds[who] ?? .min)
                let role = log.string(row.identityType) == "AssumedRole" ? Self.roleName(ofSession: principal) : nil
                var item = finding(
                    .newSource, "\(principal) used from new \(through) \(value)",
                    learning
                        ? "Used within the first hour of its activity in the slice, while its usual sources were still being learned; before only from \(before)."
                        : "Its credentials were used before only from \(before), none in the same network range (IPv4 /16, IPv6 /48).",
                    at: index, entity: EntityReference(kind: .principal, id: principal, arn: principal), related: [],
                    containment: role.map { Advice.temporaryCredentials(user: nil, role: $0) }
                        ?? Advice.accessKey(
                            log.string(row.accessKey) ?? "ACCESS_KEY_ID", user: log.string(row.userName)),
                    details: ["source": value, "accessKeyId": log.string(row.accessKey) ?? ""])
                if learning { item.finding.severity = .low }
                out.append(item)
            }
            if !added.isEmpty { remember(who, added) }
        }
        return out
    }

    /// `ec2.region.first-use` from CloudTrail: writes in a region that neither the baseline (its
    /// snapshot and slice) nor anyone else in the slice used.
    func regionFirstUse() -> [EventFinding] {
        var usedBefore = regionsInUse
        for index in baseline where !log.rows[index].byCollector {
            if let region = log.string(log.rows[index].region) { usedBefore.insert(region) }
        }
        // Who made each call, as an id: the interned id of its actor's name or of its principal (or
        // key); an actor name the log does not hold gets a negative id of its own.
        var actorIds: [Int32: Int32] = [:]
        func whoId(_ index: Int) -> Int32 {
            let actor = actorOf.number(index)
            guard actor != 0 else {
                let row = log.rows[index]
                let id = row.principal != 0 ? row.principal : row.accessKey
                return log.table.isEmptyValue(id) ? 0 : id  // "" whether absent or empty, as the names compare
            }
            if let id = actorIds[actor] { return id }
            let interned = log.table.lookup(ActorMap.name(actor))
            let id = interned != 0 ? interned : -Int32(actorIds.count + 1)
            actorIds[actor] = id
            return id
        }
        /// Who used a region (the first caller, and whether there were others) and its writes.
        struct RegionUse {
            var region: Int32
            var first: Int32
            var others = false
            var writes: [Int] = []
        }
        var isGlobal = IdTest(log) { Self.globalSources.contains($0) }
        var slotOfRegion = [Int32](repeating: -1, count: log.table.count)
        var uses: [RegionUse] = []
        for index in scope {
            let row = log.rows[index]
            // A call of no known service is neither regional nor global: it is left out, not guessed.
            guard !row.byCollector, row.region != 0, !log.table.isEmptyValue(row.source), !isGlobal(row.source)
            else { continue }
            let who = whoId(index)
            var slot = Int(slotOfRegion[Int(row.region)])
            if slot < 0 {
                slot = uses.count
                slotOfRegion[Int(row.region)] = Int32(slot)
                uses.append(RegionUse(region: row.region, first: who))
            } else if uses[slot].first != who {
                uses[slot].others = true
            }
            if row.readOnly == 0 && row.errorCode == 0 { uses[slot].writes.append(index) }
        }
        var out: [EventFinding] = []
        for use in uses.filter({ !$0.writes.isEmpty }).sorted(by: { $0.writes[0] < $1.writes[0] }) {
            let index = use.writes[0], name = log.table[use.region]
            guard !usedBefore.contains(name) else { continue }
            // Someone else was active in the region: its first user and another, or another first user.
            if baseline.isEmpty && (use.others || use.first != whoId(index)) { continue }
            out.append(
                finding(
                    .regionFirstUse, "Region \(name) used for the first time",
                    baseline.isEmpty
                        ? "Only one principal was active in \(name), and it wrote there: a region nobody else uses hides what is in it."
                        : "The baseline had no resources and no activity in \(name).",
                    at: index, entity: EntityReference(kind: .region, id: name, region: name),
                    related: use.writes, containment: Advice.region(name)))
        }
        return out
    }
}
