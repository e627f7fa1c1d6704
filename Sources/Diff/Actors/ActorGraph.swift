import CustodyJSON
import Evidence
import EvidenceReading

/// Follows suspect keys through CloudTrail (`TECHNIQUES.md`, "Following a leaked key"): the
/// temporary credentials a key obtained, the keys, users, roles, instances and endpoints those
/// made, and every event each of them made, gathered into one actor per group of connected seeds.
/// The collector's own calls never join an actor.
///
/// Everything that does not depend on the seeds is worked out once, when the graph is made: what
/// each link event (one that obtains or makes something) obtained or made, and which user or
/// instance each principal names. An actor's reach is then held as sets of interned ids, so
/// deciding whether an event is the actor's costs a few integer lookups, and finding an actor's
/// events is one pass over the log.
struct ActorGraph {
    /// One actor's reach.
    struct Reach {
        var seeds: [String]
        var keys: Set<String> = []
        var credentials: [SuspectActor.Credential] = []
        var users: Set<String> = []
        var roles: Set<String> = []
        var instances: Set<String> = []
        var endpoints: Set<String> = []
        var principals: Set<String> = []
        /// Indices of the actor's events in the log, oldest first.
        var rows: [Int] = []
        /// Interned ids of `keys`, of `endpoints`, and of the principals naming one of `users` or
        /// `instances`: what `belongs` looks up.
        fileprivate var keyIds: Set<Int32> = []
        fileprivate var endpointIds: Set<Int32> = []
        fileprivate var principalIds: Set<Int32> = []
    }

    /// What one link event obtained or made, read from its record once.
    private struct Link {
        enum Kind {
            case sessionToken, federationToken, assumeRole, createAccessKey, createUser, createRole, runInstances
            case createVpcEndpoint
        }

        var index: Int
        var kind: Kind
        /// The access key obtained or made.
        var newKey: String?
        /// The credential's principal, as the record names it.
        var principal: String?
        var window: ExposureWindow?
        /// AssumeRole: the role's name and the session's.
        var role: String?
        var session: String?
        /// The users, roles, instances or endpoints made.
        var made: [String] = []
    }

    /// The link events by `eventName`: what each obtains or makes.
    private static let linkKinds: [String: Link.Kind] = [
        "GetSessionToken": .sessionToken, "GetFederationToken": .federationToken, "AssumeRole": .assumeRole,
        "AssumeRoleWithSAML": .assumeRole, "AssumeRoleWithWebIdentity": .assumeRole,
        "CreateAccessKey": .createAccessKey,
        "CreateUser": .createUser, "CreateLoginProfile": .createUser, "CreateRole": .createRole,
        "RunInstances": .runInstances, "CreateVpcEndpoint": .createVpcEndpoint,
    ]

    /// The names of the link events, whose records the graph reads (`DiffEngine.recordsRead` keeps them).
    static let linkNames: Set<String> = Set(linkKinds.keys)

    let log: EventLog
    /// Link events, oldest first.
    private let links: [Link]
    /// For each principal id naming a user (`…:user/path/name`), the user's name; for each naming
    /// an assumed role, its session's name. Used to mark the principals of a reach's users and instances.
    private let principalsOfUser: [String: [Int32]]
    private let principalsOfSession: [String: [Int32]]
    /// The first row using each access key, by its interned id (-1 for none).
    private let firstRowOfKey: [Int32]

    init(log: EventLog) {
        self.log = log
        // By interned id, dense: every row is looked up, so arrays rather than dictionaries.
        var kindOf = [Link.Kind?](repeating: nil, count: log.table.count)
        for (name, kind) in Self.linkKinds {
            let id = log.table.lookup(name)
            if id != 0 { kindOf[Int(id)] = kind }
        }
        var links: [Link] = []
        var principalSeen = [Bool](repeating: false, count: log.table.count)
        var users: [String: [Int32]] = [:]
        var sessions: [String: [Int32]] = [:]
        var firstRow = [Int32](repeating: -1, count: log.table.count)
        for index in log.rows.indices {
            let row = log.rows[index]
            if row.accessKey != 0, firstRow[Int(row.accessKey)] < 0 { firstRow[Int(row.accessKey)] = Int32(index) }
            if row.principal != 0, !principalSeen[Int(row.principal)] {
                principalSeen[Int(row.principal)] = true
                let principal = log.table[row.principal]
                if let user = Self.userName(inPrincipal: principal) { users[user, default: []].append(row.principal) }
                if let session = Self.sessionName(inPrincipal: principal) {
                    sessions[session, default: []].append(row.principal)
                }
            }
            guard let kind = kindOf[Int(row.name)], row.errorCode == 0, row.detail >= 0, let event = log.detail(index)
            else { continue }
            links.append(Self.link(index, kind, event, log))
        }
        self.links = links
        principalsOfUser = users
        principalsOfSession = sessions
        firstRowOfKey = firstRow
    }

    /// The user a principal ARN names: the last part of what follows `:user/`.
    private static func userName(inPrincipal principal: String) -> String? {
        guard let range = principal.range(of: ":user/") else { return nil }
        let user = String(principal[range.upperBound...])
        return user.split(separator: "/").last.map(String.init) ?? user
    }

    /// The session an assumed-role principal ARN names: its last part.
    private static func sessionName(inPrincipal principal: String) -> String? {
        guard principal.contains(":assumed-role/") else { return nil }
        return principal.split(separator: "/").last.map(String.init)
    }

    private static func link(_ index: Int, _ kind: Link.Kind, _ event: CloudTrailEvent, _ log: EventLog) -> Link {
        let request = event.requestParameters, response = event.responseElements
        let credentials = response?["credentials"]
        var link = Link(index: index, kind: kind)
        link.newKey = credentials?["accessKeyId"]?.stringValue
        // Credentials issued at no known time have no window.
        link.window = credentials.flatMap { _ in
            guard log.rows[index].hasTime else { return nil }
            return ExposureWindow(
                issuedAt: UTCTimestamp(seconds: log.rows[index].time).iso8601,
                expiresAt: credentials?["expiration"]?.stringValue.flatMap(EventTime.seconds)
                    .map { UTCTimestamp(seconds: $0).iso8601 },
                accessKeyId: link.newKey)
        }
        switch kind {
        case .sessionToken:
            link.principal = log.string(log.rows[index].principal)
        case .federationToken:
            link.principal = response?["federatedUser"]?["arn"]?.stringValue
        case .assumeRole:
            link.role = request?["roleArn"]?.stringValue.flatMap(EventFacts.lastPathComponent)
            link.session = request?["roleSessionName"]?.stringValue
            link.principal = response?["assumedRoleUser"]?["arn"]?.stringValue
        case .createAccessKey:
            link.newKey = response?["accessKey"]?["accessKeyId"]?.stringValue
            link.principal = response?["accessKey"]?["userName"]?.stringValue
            link.window = nil
        case .createUser:
            link.made = [request?["userName"]?.stringValue].compactMap { $0 }
        case .createRole:
            link.made = [request?["roleName"]?.stringValue].compactMap { $0 }
        case .runInstances:
            link.made = (response?["instancesSet"]?["items"]?.arrayValue ?? []).compactMap {
                $0["instanceId"]?.stringValue
            }
        case .createVpcEndpoint:
            let endpoint = response?["vpcEndpoint"] ?? response?["CreateVpcEndpointResponse"]?["vpcEndpoint"]
            link.made = [endpoint?["vpcEndpointId"]?.stringValue].compactMap { $0 }
        }
        return link
    }

    /// The reach of each group of connected seeds, seeds in the order given.
    func actors(seeds: [(key: String, origin: String)]) -> [Reach] {
        var reaches: [Reach] = []
        for seed in seeds {
            if reaches.contains(where: { $0.keys.contains(seed.key) }) { continue }
            var reach = Reach(seeds: [seed.key])
            reach.keys.insert(seed.key)
            reach.credentials.append(
                SuspectActor.Credential(
                    accessKeyId: seed.key, origin: seed.origin, principal: principal(using: seed.key)))
            expand(&reach)
            if let overlapping = reaches.firstIndex(where: { !$0.keys.isDisjoint(with: reach.keys) }) {
                var merged = reaches[overlapping]
                merged.seeds.append(seed.key)
                for credential in reach.credentials where !merged.keys.contains(credential.accessKeyId) {
                    merged.credentials.append(credential)
                    merged.keys.insert(credential.accessKeyId)
                }
                merged.users.formUnion(reach.users)
                merged.roles.formUnion(reach.roles)
                merged.instances.formUnion(reach.instances)
                merged.endpoints.formUnion(reach.endpoints)
                expand(&merged)
                reaches[overlapping] = merged
            } else {
                reaches.append(reach)
            }
        }
        let rowsOfReach = rows(of: reaches)
        return reaches.indices.map { n in
            var reach = reaches[n]
            reach.rows = rowsOfReach[n]
            var principalIds = Set<Int32>()
            for index in reach.rows where log.rows[index].principal != 0 {
                principalIds.insert(log.rows[index].principal)
            }
            reach.principals = Set(principalIds.map { log.table[$0] })
            return reach
        }
    }

    /// The first principal seen using `key`.
    private func principal(using key: String) -> String? {
        let id = log.table.lookup(key)
        guard id != 0, firstRowOfKey[Int(id)] >= 0 else { return nil }
        return log.string(log.rows[Int(firstRowOfKey[Int(id)])].principal)
    }

    /// Whether the row at `index` is the actor's: made with one of its keys, through one of its
    /// endpoints, or by one of its users or instances.
    private func belongs(_ index: Int, _ reach: Reach) -> Bool {
        let row = log.rows[index]
        guard !row.byCollector else { return false }
        return (row.accessKey != 0 && reach.keyIds.contains(row.accessKey))
            || (row.vpcEndpoint != 0 && reach.endpointIds.contains(row.vpcEndpoint))
            || (row.principal != 0 && reach.principalIds.contains(row.principal))
    }

    /// Recomputes the interned ids from the reach's sets (after a merge).
    private func mark(_ reach: inout Reach) {
        reach.keyIds = Set(reach.keys.map { log.table.lookup($0) }.filter { $0 != 0 })
        reach.endpointIds = Set(reach.endpoints.map { log.table.lookup($0) }.filter { $0 != 0 })
        reach.principalIds = []
        for user in reach.users { reach.principalIds.formUnion(principalsOfUser[user] ?? []) }
        for instance in reach.instances { reach.principalIds.formUnion(principalsOfSession[instance] ?? []) }
    }

    /// Adds what the actor's link events obtained or made, until nothing new is found.
    private func expand(_ reach: inout Reach) {
        mark(&reach)
        var changed = true
        while changed {
            changed = false
            for position in links.indices {
                // Most links (instance profiles' AssumeRole calls, others' keys) are not the
                // actor's: rule them out from plain fields before copying the link.
                let index = links[position].index
                let byActor = belongs(index, reach)
                if !byActor {
                    guard links[position].kind == .assumeRole else { continue }
                    let viaSession =
                        !reach.instances.isEmpty && links[position].session.map { reach.instances.contains($0) } == true
                    let viaRole = !reach.roles.isEmpty && links[position].role.map { reach.roles.contains($0) } == true
                    guard viaSession || viaRole else { continue }
                }
                let link = links[position]
                func add(key: String?, origin: String, principal: String?, exposure: ExposureWindow? = nil) {
                    guard let key, !reach.keys.contains(key) else { return }
                    reach.keys.insert(key)
                    let id = log.table.lookup(key)
                    if id != 0 { reach.keyIds.insert(id) }
                    reach.credentials.append(
                        SuspectActor.Credential(
                            accessKeyId: key, origin: origin, principal: principal,
                            obtainedBy: log.string(log.rows[index].accessKey),
                            event: log.reference(at: index), exposure: exposure))
                    changed = true
                }
                switch link.kind {
                case .sessionToken where byActor:
                    add(key: link.newKey, origin: "session-token", principal: link.principal, exposure: link.window)
                case .federationToken where byActor:
                    add(key: link.newKey, origin: "federation-token", principal: link.principal, exposure: link.window)
                case .assumeRole:
                    let viaInstance = link.session.map { reach.instances.contains($0) } ?? false
                    if byActor || viaInstance || link.role.map({ reach.roles.contains($0) }) == true {
                        add(
                            key: link.newKey, origin: viaInstance ? "instance-role" : "assumed-role",
                            principal: link.principal,
                            exposure: link.window)
                    }
                case .createAccessKey where byActor:
                    add(key: link.newKey, origin: "created-access-key", principal: link.principal)
                case .createUser where byActor:
                    for user in link.made where reach.users.insert(user).inserted {
                        reach.principalIds.formUnion(principalsOfUser[user] ?? [])
                        changed = true
                    }
                case .createRole where byActor:
                    for role in link.made where reach.roles.insert(role).inserted { changed = true }
                case .runInstances where byActor:
                    for instance in link.made where reach.instances.insert(instance).inserted {
                        reach.principalIds.formUnion(principalsOfSession[instance] ?? [])
                        changed = true
                    }
                case .createVpcEndpoint where byActor:
                    for endpoint in link.made where reach.endpoints.insert(endpoint).inserted {
                        let id = log.table.lookup(endpoint)
                        if id != 0 { reach.endpointIds.insert(id) }
                        changed = true
                    }
                default: break
                }
            }
        }
    }

    /// Each actor's events, oldest first: one pass over the log for all of them, each row's
    /// key, endpoint and principal looked up in arrays indexed by interned id that hold a bit per
    /// actor.
    private func rows(of reaches: [Reach]) -> [[Int]] {
        guard reaches.count <= UInt64.bitWidth else {
            return reaches.map { reach in log.rows.indices.filter { belongs($0, reach) } }
        }
        var keys = [UInt64](repeating: 0, count: log.table.count)
        var endpoints = keys, principals = keys
        for (n, reach) in reaches.enumerated() {
            let bit = UInt64(1) << UInt64(n)
            for id in reach.keyIds where id != 0 { keys[Int(id)] |= bit }
            for id in reach.endpointIds where id != 0 { endpoints[Int(id)] |= bit }
            for id in reach.principalIds where id != 0 { principals[Int(id)] |= bit }
        }
        var out = [[Int]](repeating: [], count: reaches.count)
        for index in log.rows.indices {
            let row = log.rows[index]
            guard !row.byCollector else { continue }
            var actors = keys[Int(row.accessKey)] | endpoints[Int(row.vpcEndpoint)] | principals[Int(row.principal)]
            while actors != 0 {
                out[actors.trailingZeroBitCount].append(index)
                actors &= actors - 1
            }
        }
        return out
    }
}
