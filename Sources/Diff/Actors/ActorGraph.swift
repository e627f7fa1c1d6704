import CustodyJSON
import Evidence

/// Follows suspect keys through CloudTrail (`TECHNIQUES.md`, "Following a leaked key"): the
/// temporary credentials a key obtained, the keys, users, roles, instances and endpoints those
/// made, and every event each of them made, gathered into one actor per group of connected seeds.
/// The collector's own calls never join an actor.
struct ActorGraph {
    /// One actor's reach.
    struct Reach {
        var seeds: [String]
        var keys: Set<String> = []
        var credentials: [Actor.Credential] = []
        var users: Set<String> = []
        var roles: Set<String> = []
        var instances: Set<String> = []
        var endpoints: Set<String> = []
        var principals: Set<String> = []
        /// Indices of the actor's events in the log, oldest first.
        var rows: [Int] = []
    }

    let log: EventLog
    /// Rows that obtain or make something, with their whole record.
    private let links: [Int]

    init(log: EventLog) {
        self.log = log
        let names: Set<String> = [
            "GetSessionToken", "GetFederationToken", "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity",
            "CreateAccessKey", "CreateUser", "CreateLoginProfile", "CreateRole", "RunInstances", "CreateVpcEndpoint",
        ]
        let ids = Set(names.map { log.table.lookup($0) }.filter { $0 != 0 })
        links = log.rows.indices.filter { ids.contains(log.rows[$0].name) && log.rows[$0].errorCode == 0 && log.rows[$0].detail >= 0 }
    }

    /// The reach of each group of connected seeds, seeds in the order given.
    func actors(seeds: [(key: String, origin: String)]) -> [Reach] {
        var reaches: [Reach] = []
        for seed in seeds {
            if reaches.contains(where: { $0.keys.contains(seed.key) }) { continue }
            var reach = Reach(seeds: [seed.key])
            reach.keys.insert(seed.key)
            reach.credentials.append(Actor.Credential(accessKeyId: seed.key, origin: seed.origin, principal: principal(using: seed.key)))
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
        return reaches.map { reach in
            var reach = reach
            reach.rows = rows(of: reach)
            reach.principals = Set(reach.rows.compactMap { log.string(log.rows[$0].principal) })
            return reach
        }
    }

    /// The first principal seen using `key`.
    private func principal(using key: String) -> String? {
        let id = log.table.lookup(key)
        guard id != 0, let row = log.rows.first(where: { $0.accessKey == id }) else { return nil }
        return log.string(row.principal)
    }

    /// Whether the row at `index` is the actor's.
    private func belongs(_ index: Int, _ reach: Reach) -> Bool {
        let row = log.rows[index]
        guard !row.byCollector else { return false }
        if let key = log.string(row.accessKey), reach.keys.contains(key) { return true }
        if let endpoint = log.string(row.vpcEndpoint), reach.endpoints.contains(endpoint) { return true }
        if let principal = log.string(row.principal) {
            if let user = principal.range(of: ":user/").map({ String(principal[$0.upperBound...]) }),
                reach.users.contains(user.split(separator: "/").last.map(String.init) ?? user)
            {
                return true
            }
            if principal.contains(":assumed-role/"), let session = principal.split(separator: "/").last,
                reach.instances.contains(String(session))
            {
                return true
            }
        }
        return false
    }

    /// Adds what the actor's link events obtained or made, until nothing new is found.
    private func expand(_ reach: inout Reach) {
        var changed = true
        while changed {
            changed = false
            for index in links {
                guard let event = log.detail(index) else { continue }
                let name = log.table[log.rows[index].name]
                let byActor = belongs(index, reach)
                let request = event.requestParameters, response = event.responseElements
                func add(key: String?, origin: String, principal: String?, exposure: ExposureWindow? = nil) {
                    guard let key, !reach.keys.contains(key) else { return }
                    reach.keys.insert(key)
                    reach.credentials.append(
                        Actor.Credential(
                            accessKeyId: key, origin: origin, principal: principal, obtainedBy: log.string(log.rows[index].accessKey),
                            event: log.reference(at: index), exposure: exposure))
                    changed = true
                }
                let credentials = response?["credentials"]
                let newKey = credentials?["accessKeyId"]?.stringValue
                let window = credentials.map { _ in
                    ExposureWindow(
                        issuedAt: EventTime.iso(log.rows[index].time),
                        expiresAt: credentials?["expiration"]?.stringValue.flatMap(EventTime.seconds).map(EventTime.iso),
                        accessKeyId: newKey)
                }
                switch name {
                case "GetSessionToken" where byActor:
                    add(key: newKey, origin: "session-token", principal: log.string(log.rows[index].principal), exposure: window)
                case "GetFederationToken" where byActor:
                    add(key: newKey, origin: "federation-token", principal: response?["federatedUser"]?["arn"]?.stringValue, exposure: window)
                case "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity":
                    let role = request?["roleArn"]?.stringValue.flatMap(EventFacts.lastPathComponent)
                    let session = request?["roleSessionName"]?.stringValue
                    let viaInstance = session.map { reach.instances.contains($0) } ?? false
                    if byActor || viaInstance || role.map({ reach.roles.contains($0) }) == true {
                        add(
                            key: newKey, origin: viaInstance ? "instance-role" : "assumed-role",
                            principal: response?["assumedRoleUser"]?["arn"]?.stringValue, exposure: window)
                    }
                case "CreateAccessKey" where byActor:
                    add(key: response?["accessKey"]?["accessKeyId"]?.stringValue, origin: "created-access-key",
                        principal: response?["accessKey"]?["userName"]?.stringValue)
                case "CreateUser" where byActor, "CreateLoginProfile" where byActor:
                    if let user = request?["userName"]?.stringValue, reach.users.insert(user).inserted { changed = true }
                case "CreateRole" where byActor:
                    if let role = request?["roleName"]?.stringValue, reach.roles.insert(role).inserted { changed = true }
                case "RunInstances" where byActor:
                    for item in response?["instancesSet"]?["items"]?.arrayValue ?? [] {
                        if let id = item["instanceId"]?.stringValue, reach.instances.insert(id).inserted { changed = true }
                    }
                case "CreateVpcEndpoint" where byActor:
                    let endpoint = response?["vpcEndpoint"] ?? response?["CreateVpcEndpointResponse"]?["vpcEndpoint"]
                    if let id = endpoint?["vpcEndpointId"]?.stringValue, reach.endpoints.insert(id).inserted { changed = true }
                default: break
                }
            }
        }
    }

    private func rows(of reach: Reach) -> [Int] {
        log.rows.indices.filter { belongs($0, reach) }
    }
}
