/// One indicator of compromise: a value the suspect actors used or left behind, with when the
/// evidence shows it first and last, and which actors and findings it comes from.
public struct Indicator: Codable, Hashable, Sendable {
    /// What kind of value it is.
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
        /// An access key id (`AKIA…`, `ASIA…`).
        case accessKeyId = "access-key-id"
        /// A source IPv4 address.
        case ipv4 = "ipv4-addr"
        /// A source IPv6 address.
        case ipv6 = "ipv6-addr"
        /// A user agent.
        case userAgent = "user-agent"
        /// An AWS account id other than the one the finding is about.
        case accountId = "aws-account-id"
        /// The ARN of a suspect principal or of something it created.
        case arn
        /// An EC2 instance id.
        case instanceId = "ec2-instance-id"
        /// A VPC endpoint id.
        case vpcEndpointId = "vpc-endpoint-id"
        /// An EC2 key pair's name or id.
        case keyPair = "ec2-key-pair"

        /// In the order above.
        public static func < (a: Self, b: Self) -> Bool {
            (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
        }
    }

    /// What kind of value it is.
    public var kind: Kind
    /// The value, verbatim from the evidence.
    public var value: String
    /// When the evidence shows it first (UTC, ISO 8601).
    public var firstSeen: String?
    /// When the evidence shows it last.
    public var lastSeen: String?
    /// Where it comes from: actor ids and finding numbers (`F3`).
    public var sources: [String]

    /// Makes an indicator.
    public init(kind: Kind, value: String, firstSeen: String? = nil, lastSeen: String? = nil, sources: [String] = []) {
        self.kind = kind
        self.value = value
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sources = sources
    }
}
