/// The AWS thing a finding or a change is about, named by its stable id.
public struct EntityReference: Codable, Hashable, Sendable {
    /// What kind of thing it is.
    public var kind: EntityKind
    /// Its stable id: `AIDA…` for a user, the access key id, `i-…` for an instance; a name where AWS has no id.
    public var id: String
    /// Its name, when it has one (user, role, group, key pair …).
    public var name: String?
    /// Its ARN, when it has one.
    public var arn: String?
    /// Its region, for regional things.
    public var region: String?
    /// The entity it belongs to (the user of an access key), when it is nested.
    public var parent: String?

    /// Makes a reference.
    public init(
        kind: EntityKind, id: String, name: String? = nil, arn: String? = nil, region: String? = nil,
        parent: String? = nil
    ) {
        self.kind = kind
        self.id = id
        self.name = name
        self.arn = arn
        self.region = region
        self.parent = parent
    }
}

/// The kinds of entity a snapshot holds and the diff matches.
public enum EntityKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// The account itself.
    case account
    /// An IAM user.
    case user = "iam-user"
    /// An access key.
    case accessKey = "iam-access-key"
    /// A console password.
    case loginProfile = "iam-login-profile"
    /// An MFA device.
    case mfaDevice = "iam-mfa-device"
    /// An SSH public key.
    case sshPublicKey = "iam-ssh-public-key"
    /// A service-specific credential.
    case serviceSpecificCredential = "iam-service-specific-credential"
    /// A signing certificate.
    case signingCertificate = "iam-signing-certificate"
    /// An IAM role.
    case role = "iam-role"
    /// An IAM group.
    case group = "iam-group"
    /// A customer managed policy.
    case policy = "iam-policy"
    /// An instance profile.
    case instanceProfile = "iam-instance-profile"
    /// A SAML provider.
    case samlProvider = "iam-saml-provider"
    /// An OIDC provider.
    case oidcProvider = "iam-oidc-provider"
    /// An IAM Roles Anywhere trust anchor or profile.
    case rolesAnywhere = "rolesanywhere-trust-anchor"
    /// An EC2 instance.
    case instance = "ec2-instance"
    /// A VPC endpoint.
    case vpcEndpoint = "ec2-vpc-endpoint"
    /// A security group.
    case securityGroup = "ec2-security-group"
    /// An EC2 key pair.
    case keyPair = "ec2-key-pair"
    /// A region.
    case region
    /// A CloudTrail trail.
    case trail = "cloudtrail-trail"
    /// A GuardDuty detector.
    case detector = "guardduty-detector"
    /// Temporary credentials (session, federation or role session).
    case temporaryCredentials = "sts-credentials"
    /// A principal: a user, role session or federated user.
    case principal
    /// A Lambda function.
    case function = "lambda-function"
    /// A snapshot, image or bucket.
    case resource
    /// An Organization.
    case organization
}
