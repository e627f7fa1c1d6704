import CustodyJSON
import Evidence
import EvidenceArchive
import EvidenceReading

/// The newest snapshot as the eradication check reads it: entities by id and by name, where each
/// lies in the archive, when it was taken, and what its collection could not read.
///
/// Presence in the snapshot is always evidence; absence only where the listing that would show
/// the thing was read completely (`gap`).
struct NewestSnapshot {
    let loaded: LoadedSnapshot
    let account: String
    /// When the snapshot was taken, in seconds; `nil` when its time does not parse.
    let takenAt: Int64?
    /// The regions it collected.
    let regions: Set<String>
    let usersById: [String: IAMUser]
    let usersByName: [String: IAMUser]
    /// Each access key with its user.
    let keys: [String: (user: IAMUser, key: AccessKey)]
    let rolesById: [String: IAMRole]
    let rolesByName: [String: IAMRole]
    let groupsByName: [String: IAMGroup]
    let policiesByArn: [String: ManagedPolicy]
    let profilesById: [String: InstanceProfile]
    let profilesByName: [String: InstanceProfile]
    let profilesByArn: [String: InstanceProfile]
    /// Key pairs by id and by `region/name`.
    let keyPairs: [String: KeyPair]
    let instances: [String: EC2Instance]
    let endpoints: [String: VPCEndpoint]
    let securityGroups: [String: SecurityGroup]
    let detectors: [String: GuardDutyDetector]
    private let table: SnapshotDiffer.EntityTable
    /// Coverage entries that are not complete, by `source|region|item`.
    private let gaps: [String: Manifest.CoverageEntry]

    init(_ loaded: LoadedSnapshot, coverage: [Manifest.CoverageEntry]) {
        self.loaded = loaded
        let snapshot = loaded.snapshot
        account = snapshot.account.accountId
        takenAt = UTCTimestamp(parsing: loaded.takenAt)?.seconds
        regions = Set(snapshot.account.collectedRegions)
        table = SnapshotDiffer.EntityTable(EntityIndex.records(of: snapshot, regions: regions))
        // Should a snapshot hold a name twice, the last one is kept, as the entity table does.
        usersById = Dictionary(snapshot.users.map { ($0.userId, $0) }, uniquingKeysWith: { $1 })
        usersByName = Dictionary(snapshot.users.map { ($0.userName, $0) }, uniquingKeysWith: { $1 })
        keys = Dictionary(
            snapshot.users.flatMap { user in user.accessKeys.map { ($0.accessKeyId, (user, $0)) } },
            uniquingKeysWith: { $1 })
        rolesById = Dictionary(snapshot.roles.map { ($0.roleId, $0) }, uniquingKeysWith: { $1 })
        rolesByName = Dictionary(snapshot.roles.map { ($0.roleName, $0) }, uniquingKeysWith: { $1 })
        groupsByName = Dictionary(snapshot.groups.map { ($0.groupName, $0) }, uniquingKeysWith: { $1 })
        policiesByArn = Dictionary(snapshot.policies.map { ($0.arn, $0) }, uniquingKeysWith: { $1 })
        profilesById = Dictionary(
            snapshot.instanceProfiles.map { ($0.instanceProfileId, $0) }, uniquingKeysWith: { $1 })
        profilesByName = Dictionary(
            snapshot.instanceProfiles.map { ($0.instanceProfileName, $0) }, uniquingKeysWith: { $1 })
        profilesByArn = Dictionary(snapshot.instanceProfiles.map { ($0.arn, $0) }, uniquingKeysWith: { $1 })
        keyPairs = Dictionary(
            snapshot.keyPairs.flatMap { pair in
                [("\(pair.region)/\(pair.keyName)", pair)] + (pair.keyPairId.map { [($0, pair)] } ?? [])
            }, uniquingKeysWith: { $1 })
        instances = Dictionary(snapshot.instances.map { ($0.instanceId, $0) }, uniquingKeysWith: { $1 })
        endpoints = Dictionary(snapshot.vpcEndpoints.map { ($0.vpcEndpointId, $0) }, uniquingKeysWith: { $1 })
        securityGroups = Dictionary(snapshot.securityGroups.map { ($0.groupId, $0) }, uniquingKeysWith: { $1 })
        detectors = Dictionary(snapshot.detectors.map { ($0.detectorId, $0) }, uniquingKeysWith: { $1 })
        var gaps: [String: Manifest.CoverageEntry] = [:]
        for entry in coverage where entry.status != .complete {
            gaps[Self.key(entry.source, entry.region, entry.item)] = entry
        }
        self.gaps = gaps
    }

    private static func key(_ source: String, _ region: String?, _ item: String) -> String {
        "\(source)|\(region ?? "")|\(item)"
    }

    /// Where the snapshot holds the entity of `kind` with stable id `id`.
    func pointer(_ kind: EntityKind, _ id: String) -> EvidencePointer? {
        table[EntityKey(kind: kind, id: id)].map { loaded.pointer($0.member, $0.pointer) }
    }

    /// The member that lists `kind` (in `region`), for a result about something it does not hold.
    func member(_ path: String) -> EvidencePointer { loaded.pointer(path, "") }

    /// Why the absence of a thing that `items` of `source` list (in `region`) proves nothing: the
    /// region was not collected, or a listing was denied, failed or cut short. `nil` when absence
    /// is proof of removal.
    func gap(_ source: String, _ items: [String], region: String? = nil) -> String? {
        if let region, !regions.contains(region) {
            return "The newest snapshot did not collect \(region), so it cannot tell."
        }
        for item in items {
            guard let entry = gaps[Self.key(source, region, item)] else { continue }
            let error = entry.error.map { ": \(String($0.prefix(200)))" } ?? ""
            return "The newest snapshot's \(source) \(item)\(region.map { " in \($0)" } ?? "") was \(entry.status)"
                + "\(error), so it cannot tell."
        }
        return nil
    }

    /// The user a finding names by id (`AIDA…`) or, when it has only a name, by name.
    func user(id: String?, name: String?) -> IAMUser? {
        if let id, let user = usersById[id] { return user }
        guard let name, id == nil || id == name || !(id ?? "").hasPrefix("AIDA") else { return nil }
        return usersByName[name]
    }

    /// The role a finding names by id (`AROA…`), by ARN or by name.
    func role(id: String?, name: String?) -> IAMRole? {
        if let id, let role = rolesById[id] { return role }
        if let id, id.hasPrefix("AROA") { return nil }
        let name = name ?? id.flatMap(EventFacts.lastPathComponent)
        return name.flatMap { rolesByName[$0] }
    }
}
