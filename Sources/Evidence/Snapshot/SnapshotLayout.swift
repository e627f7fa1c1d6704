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
///
/// Each member is declared once, below (`account` and `table`): its path, whether it is
/// regional, and the type it holds. Writing (`members(of:)`), reading with Foundation
/// (`snapshot(from:)`), the fast reader (`SnapshotReading`) and the diff's evidence pointers all
/// take their paths from there.
public enum SnapshotLayout {
    /// The folder every snapshot member lives under.
    public static let prefix = "snapshot/"

    /// `account.json`, the first member: which account, and which regions the regional members exist for.
    package static let account = SnapshotValue<AccountInfo>("account.json", \.account)
    /// `iam/users.json`.
    package static let users = SnapshotList<IAMUser>("iam/users.json", \.users)
    /// `iam/roles.json`.
    package static let roles = SnapshotList<IAMRole>("iam/roles.json", \.roles)
    /// `iam/groups.json`.
    package static let groups = SnapshotList<IAMGroup>("iam/groups.json", \.groups)
    /// `iam/policies.json`.
    package static let policies = SnapshotList<ManagedPolicy>("iam/policies.json", \.policies)
    /// `iam/instance-profiles.json`.
    package static let instanceProfiles = SnapshotList<InstanceProfile>(
        "iam/instance-profiles.json", \.instanceProfiles)
    /// `iam/identity-providers.json`.
    package static let identityProviders = SnapshotValue<IdentityProviders>(
        "iam/identity-providers.json", \.identityProviders)
    /// `iam/credential-report.csv`, when the snapshot has one.
    package static let credentialReport = SnapshotFile("iam/credential-report.csv", \.credentialReport)
    /// `ec2/<region>/instances.json`.
    package static let instances = SnapshotList<EC2Instance>(
        folder: "ec2", file: "instances.json", \.instances, region: \.region)
    /// `ec2/<region>/vpc-endpoints.json`.
    package static let vpcEndpoints = SnapshotList<VPCEndpoint>(
        folder: "ec2", file: "vpc-endpoints.json", \.vpcEndpoints, region: \.region)
    /// `ec2/<region>/security-groups.json`.
    package static let securityGroups = SnapshotList<SecurityGroup>(
        folder: "ec2", file: "security-groups.json", \.securityGroups, region: \.region)
    /// `ec2/<region>/key-pairs.json`.
    package static let keyPairs = SnapshotList<KeyPair>(
        folder: "ec2", file: "key-pairs.json", \.keyPairs, region: \.region)
    /// `guardduty/<region>/detectors.json`.
    package static let detectors = SnapshotList<GuardDutyDetector>(
        folder: "guardduty", file: "detectors.json", \.detectors, region: \.region)
    /// `cloudtrail/trails.json`.
    package static let trails = SnapshotList<Trail>("cloudtrail/trails.json", \.trails)

    /// Every member after `account.json`, in archive order; the regional ones, which stand
    /// together, are repeated for each collected region (`files(regions:)`).
    package static let table: [any SnapshotMember] = [
        users, roles, groups, policies, instanceProfiles, identityProviders, credentialReport, instances, vpcEndpoints,
        securityGroups, keyPairs, detectors, trails,
    ]

    /// The members after `account.json` of a snapshot of `regions` (sorted), in archive order:
    /// each with its region (for a regional member) and its path under `prefix`.
    package static func files(regions: [String]) -> [(member: any SnapshotMember, region: String?, path: String)] {
        var files: [(member: any SnapshotMember, region: String?, path: String)] = []
        var index = 0
        while index < table.count {
            guard table[index].place.isRegional else {
                files.append((table[index], nil, table[index].path()))
                index += 1
                continue
            }
            let regional = table[index...].prefix { $0.place.isRegional }
            for region in regions {
                for member in regional { files.append((member, region, member.path(in: region))) }
            }
            index += regional.count
        }
        return files
    }

    /// The members for `snapshot`, in a fixed order, normalised first.
    public static func members(of snapshot: Snapshot) throws -> [(path: String, bytes: [UInt8])] {
        let snapshot = snapshot.normalised()
        var members: [(String, [UInt8])] = [(prefix + account.path(), try CanonicalJSON.encode(snapshot.account))]
        for file in files(regions: snapshot.account.collectedRegions.sorted()) {
            if let bytes = try file.member.bytes(of: snapshot, in: file.region) {
                members.append((prefix + file.path, bytes))
            }
        }
        return members
    }

    /// Reassembles a snapshot from archive members (path → bytes); members of other kinds are ignored.
    /// - Throws: `SnapshotError` naming the member that is missing or cannot be decoded.
    public static func snapshot(from members: [String: [UInt8]]) throws -> Snapshot {
        var snapshot = Snapshot(
            account: try decode(AccountInfo.self, members[prefix + account.path()], path: account.path()))
        for file in files(regions: snapshot.account.collectedRegions.sorted()) {
            try file.member.read(members[prefix + file.path], in: file.region, into: &snapshot)
        }
        return snapshot
    }

    /// Decodes a member's bytes (nil: the archive lacks it) with Foundation's decoder.
    /// - Throws: `SnapshotError` naming the member that is missing or cannot be decoded.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]?, path: String) throws -> T {
        guard let bytes else {
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
}
