/// An AWS partition: a set of regions sharing a DNS suffix (from botocore's `endpoints.json`).
public struct Partition: Hashable, Sendable {
    /// `aws`, `aws-cn` or `aws-us-gov`.
    public let id: String
    /// The DNS suffix of its endpoints.
    public let dnsSuffix: String
    /// The regions it holds, as of the botocore release the table was taken from.
    public let regions: [String]
    /// The prefixes of region names that belong to it, for regions newer than the table.
    let regionPrefixes: [String]

    /// The commercial partition.
    public static let aws = Partition(
        id: "aws", dnsSuffix: "amazonaws.com",
        regions: [
            "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
            "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
            "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
            "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
            "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
            "us-west-2",
        ],
        regionPrefixes: ["us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-"])
    /// The China partition.
    public static let awsCN = Partition(
        id: "aws-cn", dnsSuffix: "amazonaws.com.cn", regions: ["cn-north-1", "cn-northwest-1"],
        regionPrefixes: ["cn-"])
    /// The AWS GovCloud (US) partition.
    public static let awsUSGov = Partition(
        id: "aws-us-gov", dnsSuffix: "amazonaws.com", regions: ["us-gov-east-1", "us-gov-west-1"],
        regionPrefixes: ["us-gov-"])

    /// The partitions Custody knows.
    public static let all: [Partition] = [.awsUSGov, .awsCN, .aws]

    /// The partition of `region`: its table, else the name pattern (`<prefix>-<word>-<digits>`), else nil.
    public static func of(region: String) -> Partition? {
        if let known = all.first(where: { $0.regions.contains(region) }) { return known }
        return all.first { partition in
            partition.regionPrefixes.contains { prefix in
                guard region.hasPrefix(prefix) else { return false }
                let rest = region.dropFirst(prefix.count).split(separator: "-")
                return rest.count == 2 && rest[0].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
                    && !rest[1].isEmpty && rest[1].allSatisfy(\.isNumber)
            }
        }
    }

    /// The partition an ARN names (`arn:<partition>:…`), or nil.
    public static func of(arn: String) -> Partition? {
        let parts = arn.split(separator: ":", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "arn" else { return nil }
        return all.first { $0.id == parts[1] }
    }
}
