package import CustodyJSON

/// An EC2 instance, from [DescribeInstances](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html).
public struct EC2Instance: Codable, Hashable, Sendable {
    /// The instance id (`i-…`).
    public var instanceId: String
    /// The region it runs in.
    public var region: String
    /// `pending`, `running`, `stopped`, `terminated` …
    public var state: String
    /// When it was launched.
    public var launchTime: String?
    /// The instance type.
    public var instanceType: String?
    /// The AMI.
    public var imageId: String?
    /// The key pair name.
    public var keyName: String?
    /// The instance profile's ARN: the role the instance's credentials come from.
    public var instanceProfileArn: String?
    /// The instance profile's id.
    public var instanceProfileId: String?
    /// Security groups (`sg-…`).
    public var securityGroupIds: [String]
    /// The VPC.
    public var vpcId: String?
    /// The subnet.
    public var subnetId: String?
    /// The private IPv4 address.
    public var privateIpAddress: String?
    /// The public IPv4 address.
    public var publicIpAddress: String?
    /// Tags.
    public var tags: [Tag]

    /// Makes an instance record.
    public init(
        instanceId: String, region: String, state: String, launchTime: String? = nil, instanceType: String? = nil,
        imageId: String? = nil, keyName: String? = nil, instanceProfileArn: String? = nil,
        instanceProfileId: String? = nil, securityGroupIds: [String] = [], vpcId: String? = nil,
        subnetId: String? = nil, privateIpAddress: String? = nil, publicIpAddress: String? = nil, tags: [Tag] = []
    ) {
        self.instanceId = instanceId
        self.region = region
        self.state = state
        self.launchTime = launchTime
        self.instanceType = instanceType
        self.imageId = imageId
        self.keyName = keyName
        self.instanceProfileArn = instanceProfileArn
        self.instanceProfileId = instanceProfileId
        self.securityGroupIds = securityGroupIds
        self.vpcId = vpcId
        self.subnetId = subnetId
        self.privateIpAddress = privateIpAddress
        self.publicIpAddress = publicIpAddress
        self.tags = tags
    }
}

extension EC2Instance: TapeDecodable {
    private static let names: [StaticString] = [
        "instanceId", "region", "state", "launchTime", "instanceType", "imageId", "keyName", "instanceProfileArn",
        "instanceProfileId", "securityGroupIds", "vpcId", "subnetId", "privateIpAddress", "publicIpAddress", "tags",
    ]

    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, Self.names)
        self.init(
            instanceId: try o.string(0), region: try o.string(1), state: try o.string(2),
            launchTime: try o.optionalString(3), instanceType: try o.optionalString(4),
            imageId: try o.optionalString(5),
            keyName: try o.optionalString(6), instanceProfileArn: try o.optionalString(7),
            instanceProfileId: try o.optionalString(8), securityGroupIds: try o.strings(9),
            vpcId: try o.optionalString(10),
            subnetId: try o.optionalString(11), privateIpAddress: try o.optionalString(12),
            publicIpAddress: try o.optionalString(13), tags: try o.elements(14).map { try Tag(tape: tape, node: $0) })
    }
}

/// A VPC endpoint, from [DescribeVpcEndpoints](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html).
public struct VPCEndpoint: Codable, Hashable, Sendable {
    /// The endpoint id (`vpce-…`).
    public var vpcEndpointId: String
    /// The region.
    public var region: String
    /// `Interface`, `Gateway` or `GatewayLoadBalancer`.
    public var vpcEndpointType: String?
    /// The service, such as `com.amazonaws.us-east-1.sts`.
    public var serviceName: String
    /// The VPC.
    public var vpcId: String?
    /// `available`, `pending` …
    public var state: String?
    /// When it was created.
    public var creationTimestamp: String?
    /// The endpoint policy.
    public var policyDocument: String?
    /// Tags.
    public var tags: [Tag]

    /// Makes an endpoint record.
    public init(
        vpcEndpointId: String, region: String, vpcEndpointType: String? = nil, serviceName: String,
        vpcId: String? = nil, state: String? = nil, creationTimestamp: String? = nil, policyDocument: String? = nil,
        tags: [Tag] = []
    ) {
        self.vpcEndpointId = vpcEndpointId
        self.region = region
        self.vpcEndpointType = vpcEndpointType
        self.serviceName = serviceName
        self.vpcId = vpcId
        self.state = state
        self.creationTimestamp = creationTimestamp
        self.policyDocument = policyDocument
        self.tags = tags
    }
}

extension VPCEndpoint: TapeDecodable {}

/// A security group with its rules, from
/// [DescribeSecurityGroups](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html).
public struct SecurityGroup: Codable, Hashable, Sendable {
    /// The group id (`sg-…`).
    public var groupId: String
    /// The region.
    public var region: String
    /// The name.
    public var groupName: String
    /// The description.
    public var description: String?
    /// The VPC.
    public var vpcId: String?
    /// Inbound rules.
    public var ingress: [SecurityGroupRule]
    /// Outbound rules.
    public var egress: [SecurityGroupRule]

    /// Makes a group record.
    public init(
        groupId: String, region: String, groupName: String, description: String? = nil, vpcId: String? = nil,
        ingress: [SecurityGroupRule] = [], egress: [SecurityGroupRule] = []
    ) {
        self.groupId = groupId
        self.region = region
        self.groupName = groupName
        self.description = description
        self.vpcId = vpcId
        self.ingress = ingress
        self.egress = egress
    }
}

extension SecurityGroup: TapeDecodable {}

/// One permission of a security group: a protocol and port range open to sources.
public struct SecurityGroupRule: Codable, Hashable, Sendable {
    /// `tcp`, `udp`, `icmp`, or `-1` for all.
    public var ipProtocol: String
    /// First port.
    public var fromPort: Int?
    /// Last port.
    public var toPort: Int?
    /// IPv4 ranges.
    public var ipv4Ranges: [String]
    /// IPv6 ranges.
    public var ipv6Ranges: [String]
    /// Other security groups.
    public var groupIds: [String]
    /// Prefix lists.
    public var prefixListIds: [String]

    /// Makes a rule record.
    public init(
        ipProtocol: String, fromPort: Int? = nil, toPort: Int? = nil, ipv4Ranges: [String] = [],
        ipv6Ranges: [String] = [], groupIds: [String] = [], prefixListIds: [String] = []
    ) {
        self.ipProtocol = ipProtocol
        self.fromPort = fromPort
        self.toPort = toPort
        self.ipv4Ranges = ipv4Ranges
        self.ipv6Ranges = ipv6Ranges
        self.groupIds = groupIds
        self.prefixListIds = prefixListIds
    }
}

/// An EC2 key pair, from [DescribeKeyPairs](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeKeyPairs.html).
public struct KeyPair: Codable, Hashable, Sendable {
    /// The key pair id (`key-…`).
    public var keyPairId: String?
    /// The region.
    public var region: String
    /// The name.
    public var keyName: String
    /// The fingerprint.
    public var keyFingerprint: String?
    /// When it was created or imported.
    public var createTime: String?

    /// Makes a key pair record.
    public init(
        keyPairId: String? = nil, region: String, keyName: String, keyFingerprint: String? = nil,
        createTime: String? = nil
    ) {
        self.keyPairId = keyPairId
        self.region = region
        self.keyName = keyName
        self.keyFingerprint = keyFingerprint
        self.createTime = createTime
    }
}

extension KeyPair: TapeDecodable {}
