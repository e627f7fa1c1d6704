import AWSClient
import Foundation

/// Checks the regions a user names against each account before anything is written, so a typo is a
/// usage error that leaves no archive and no new case key behind.
public enum RegionCheck {
    /// The names that are no region of the partition, as sentences; empty when each could be one.
    /// Only the shape and the partition's table are checked here, without a call.
    public static func unknownNames(_ names: [String]) -> [String] {
        names.compactMap { name in
            Partition.of(region: name) == nil
                ? "'\(name)' is not an AWS region name (such as us-east-1)." : nil
        }
    }

    /// The named regions that some account cannot be collected in, as sentences: regions not enabled
    /// for the account (by `DescribeRegions`), or of another partition than its credentials'. When an
    /// account does not answer `DescribeRegions`, its partition's table of regions is the judge.
    public static func problems(_ names: [String], targets: [IdentifiedTarget]) async -> [String] {
        let answers = await boundedMap(targets, limit: 4) { target -> [String] in
            let partition = Partition.of(region: target.target.aws.region) ?? .aws
            let enabled = try? await target.target.aws.ec2.describeRegions().output.regions
                .filter { $0.optInStatus != "not-opted-in" }.compactMap(\.regionName)
            return names.compactMap { name in
                if Partition.of(region: name) != partition {
                    return
                        "\(name) is not in the \(partition.id) partition of account \(target.identity.account)'s credentials."
                }
                if let enabled {
                    guard !enabled.contains(name) else { return nil }
                    return
                        "\(name) is not enabled for account \(target.identity.account) (enabled: \(enabled.sorted().joined(separator: ", ")))."
                }
                return partition.regions.contains(name)
                    ? nil
                    : "\(name) is not a region of \(partition.id) known to custody, and account \(target.identity.account) did not say which regions it has enabled."
            }
        }
        var seen = Set<String>()
        return answers.flatMap { $0 }.filter { seen.insert($0).inserted }
    }
}
