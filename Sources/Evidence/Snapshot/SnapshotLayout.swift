import CustodyJSON
import Foundation

/// Where each part of a snapshot is stored in an archive, as canonical JSON:
///
/// ```
/// snapshot/account.json
/// snapshot/iam/{users,roles,groups,policies,instance-profiles,identity-providers}.json
/// snapshot/iam/credential-report.csv
/// snapshot/ec2/<region>/{instances,vpc-endpoints,security-groups,key-pairs}.json
/// snapshot/cloudtrail/trails.json
/// snapshot/guardduty/<region>/detectors.json
/// ```
///
/// Regional files are written for every collected region, empty lists included, so "nothing
/// there" and "not collected" stay distinct.
public enum SnapshotLayout {
    /// The folder every snapshot member lives under.
    public static let prefix = "snapshot/"

    /// The members for `snapshot`, in a fixed order, normalised first.
    public static func members(of snapshot: Snapshot) throws -> [(path: String, bytes: [UInt8])] {
        let snapshot = snapshot.normalised()
        var members: [(String, [UInt8])] = []
        func add(_ path: String, _ value: some Encodable) throws {
            members.append((prefix + path, try CanonicalJSON.encode(value)))
        }
        try add("account.json", snapshot.account)
        try add("iam/users.json", snapshot.users)
        try add("iam/roles.json", snapshot.roles)
        try add("iam/groups.json", snapshot.groups)
        try add("iam/policies.json", snapshot.policies)
        try add("iam/instance-profiles.json", snapshot.instanceProfiles)
        try add("iam/identity-providers.json", snapshot.identityProviders)
        if let report = snapshot.credentialReport { members.append((prefix + "iam/credential-report.csv", report)) }
        for region in snapshot.account.collectedRegions.sorted() {
            try add("ec2/\(region)/instances.json", snapshot.instances.filter { $0.region == region })
            try add("ec2/\(region)/vpc-endpoints.json", snapshot.vpcEndpoints.filter { $0.region == region })
            try add("ec2/\(region)/security-groups.json", snapshot.securityGroups.filter { $0.region == region })
            try add("ec2/\(region)/key-pairs.json", snapshot.keyPairs.filter { $0.region == region })
            try add("guardduty/\(region)/detectors.json", snapshot.detectors.filter { $0.region == region })
        }
        try add("cloudtrail/trails.json", snapshot.trails)
        return members
    }

    /// Reassembles a snapshot from archive members (path → bytes); members of other kinds are ignored.
    /// - Throws: `SnapshotError` naming the member that is missing or cannot be decoded.
    public static func snapshot(from members: [String: [UInt8]]) throws -> Snapshot {
        func decode<T: Decodable>(_ path: String, _ type: T.Type) throws -> T {
            guard let bytes = members[prefix + path] else {
                throw SnapshotError(
                    .memberMissing, "The archive has no \(prefix + path); it holds no snapshot, or an incomplete one.",
                    remedy: "Collect the account again: archives custody collect sealed hold a complete snapshot.")
            }
            do {
                return try JSONDecoder().decode(T.self, from: Data(bytes))
            } catch {
                throw SnapshotError(
                    .memberInvalid, "\(prefix + path) is not a valid snapshot file: \(error).", underlying: error)
            }
        }
        var snapshot = Snapshot(account: try decode("account.json", AccountInfo.self))
        snapshot.users = try decode("iam/users.json", [IAMUser].self)
        snapshot.roles = try decode("iam/roles.json", [IAMRole].self)
        snapshot.groups = try decode("iam/groups.json", [IAMGroup].self)
        snapshot.policies = try decode("iam/policies.json", [ManagedPolicy].self)
        snapshot.instanceProfiles = try decode("iam/instance-profiles.json", [InstanceProfile].self)
        snapshot.identityProviders = try decode("iam/identity-providers.json", IdentityProviders.self)
        snapshot.credentialReport = members[prefix + "iam/credential-report.csv"]
        for region in snapshot.account.collectedRegions.sorted() {
            snapshot.instances += try decode("ec2/\(region)/instances.json", [EC2Instance].self)
            snapshot.vpcEndpoints += try decode("ec2/\(region)/vpc-endpoints.json", [VPCEndpoint].self)
            snapshot.securityGroups += try decode("ec2/\(region)/security-groups.json", [SecurityGroup].self)
            snapshot.keyPairs += try decode("ec2/\(region)/key-pairs.json", [KeyPair].self)
            snapshot.detectors += try decode("guardduty/\(region)/detectors.json", [GuardDutyDetector].self)
        }
        snapshot.trails = try decode("cloudtrail/trails.json", [Trail].self)
        return snapshot
    }
}
