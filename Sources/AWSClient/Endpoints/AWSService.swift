/// A service Custody calls: how it is named, signed, reached and spoken to.
public struct AWSService: Hashable, Sendable, CustomStringConvertible {
    /// How requests and answers are encoded.
    public enum WireProtocol: Hashable, Sendable {
        /// Form-encoded `Action` requests with XML answers; lists as `Name.member.N` (IAM, STS).
        case query
        /// The Query protocol with EC2's list encoding `Name.N` and its own XML answers.
        case ec2
        /// JSON 1.1 with `X-Amz-Target: <prefix>.<Action>` (CloudTrail, Organizations).
        case json(targetPrefix: String)
        /// REST with JSON bodies (GuardDuty, Account).
        case restJSON
        /// REST with XML bodies (S3).
        case restXML
    }

    /// The endpoint prefix, such as `iam`; also how Custody names the service in records.
    public let id: String
    /// The name in the SigV4 credential scope.
    public let signingName: String
    /// The SDK service id, such as `CloudTrail`; `AWS_ENDPOINT_URL_<ID>` and the config key derive from it.
    public let serviceId: String
    /// The API version sent by the Query protocols.
    public let apiVersion: String
    /// The wire protocol.
    public let wireProtocol: WireProtocol
    /// For global services, the one endpoint per partition and the region it is signed for.
    let globalEndpoints: [String: (host: String, region: String)]

    /// The IAM service (global).
    public static let iam = AWSService(
        id: "iam", signingName: "iam", serviceId: "IAM", apiVersion: "2010-05-08", wireProtocol: .query,
        globalEndpoints: [
            "aws": ("iam.amazonaws.com", "us-east-1"), "aws-cn": ("iam.cn-north-1.amazonaws.com.cn", "cn-north-1"),
            "aws-us-gov": ("iam.us-gov.amazonaws.com", "us-gov-west-1"),
        ])
    /// The STS service (regional endpoints, as the SDKs now default to).
    public static let sts = AWSService(
        id: "sts", signingName: "sts", serviceId: "STS", apiVersion: "2011-06-15", wireProtocol: .query,
        globalEndpoints: [:])
    /// The EC2 service.
    public static let ec2 = AWSService(
        id: "ec2", signingName: "ec2", serviceId: "EC2", apiVersion: "2016-11-15", wireProtocol: .ec2,
        globalEndpoints: [:])
    /// The CloudTrail service.
    public static let cloudTrail = AWSService(
        id: "cloudtrail", signingName: "cloudtrail", serviceId: "CloudTrail", apiVersion: "2013-11-01",
        wireProtocol: .json(targetPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"),
        globalEndpoints: [:])
    /// The Organizations service (global).
    public static let organizations = AWSService(
        id: "organizations", signingName: "organizations", serviceId: "Organizations", apiVersion: "2016-11-28",
        wireProtocol: .json(targetPrefix: "AWSOrganizationsV20161128"),
        globalEndpoints: [
            "aws": ("organizations.us-east-1.amazonaws.com", "us-east-1"),
            "aws-cn": ("organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
            "aws-us-gov": ("organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        ])
    /// The GuardDuty service.
    public static let guardDuty = AWSService(
        id: "guardduty", signingName: "guardduty", serviceId: "GuardDuty", apiVersion: "2017-11-28",
        wireProtocol: .restJSON, globalEndpoints: [:])
    /// The S3 service.
    public static let s3 = AWSService(
        id: "s3", signingName: "s3", serviceId: "S3", apiVersion: "2006-03-01", wireProtocol: .restXML,
        globalEndpoints: [:])
    /// The Account Management service (global in the commercial and China partitions).
    public static let account = AWSService(
        id: "account", signingName: "account", serviceId: "Account", apiVersion: "2021-02-01",
        wireProtocol: .restJSON,
        globalEndpoints: [
            "aws": ("account.us-east-1.amazonaws.com", "us-east-1"),
            "aws-cn": ("account.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        ])
    /// The Athena service (`custody sweep --engine athena`).
    public static let athena = AWSService(
        id: "athena", signingName: "athena", serviceId: "Athena", apiVersion: "2017-05-18",
        wireProtocol: .json(targetPrefix: "AmazonAthena"), globalEndpoints: [:])

    /// The IAM Identity Center portal (`GetRoleCredentials`), which turns the AWS CLI's sign-in token into role
    /// credentials; its calls are not signed.
    public static let ssoPortal = AWSService(
        id: "portal.sso", signingName: "awsssoportal", serviceId: "SSO", apiVersion: "2019-06-10",
        wireProtocol: .restJSON, globalEndpoints: [:])
    /// IAM Identity Center OIDC (`CreateToken`), which refreshes the AWS CLI's sign-in token; its calls are not
    /// signed.
    public static let ssoOIDC = AWSService(
        id: "oidc", signingName: "sso-oauth", serviceId: "SSO OIDC", apiVersion: "2019-06-10",
        wireProtocol: .restJSON, globalEndpoints: [:])

    /// Every service Custody calls.
    public static let all: [AWSService] = [
        .iam, .sts, .ec2, .cloudTrail, .organizations, .guardDuty, .s3, .account, .athena, .ssoPortal, .ssoOIDC,
    ]

    /// The service with endpoint prefix `id`, or nil.
    public static func named(_ id: String) -> AWSService? { all.first { $0.id == id.lowercased() } }

    /// The suffix of the service's `AWS_ENDPOINT_URL_<SERVICE>` variable: the service id uppercased, spaces as
    /// underscores.
    public var environmentSuffix: String { serviceId.uppercased().replacingOccurrences(of: " ", with: "_") }

    /// The key of the service in a `[services]` section: the service id lowercased, spaces as underscores.
    public var configKey: String { serviceId.lowercased().replacingOccurrences(of: " ", with: "_") }

    /// The endpoint prefix.
    public var description: String { id }

    /// Services are equal when their endpoint prefixes are.
    public static func == (lhs: AWSService, rhs: AWSService) -> Bool { lhs.id == rhs.id }
    /// Hashes the endpoint prefix.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
