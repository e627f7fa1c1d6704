/// The name a finding carries, one of those in `TECHNIQUES.md` (`iam.access-key.created` …).
public struct RuleID: RawRepresentable, Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The rule's name.
    public var rawValue: String

    /// A rule id from its name.
    public init(rawValue: String) { self.rawValue = rawValue }

    init(_ rawValue: String) { self.rawValue = rawValue }

    /// The name.
    public var description: String { rawValue }

    /// Ordered by name.
    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decodes the plain string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the plain string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // Seen in a snapshot diff (state), each also with a CloudTrail form.
    /// A new access key on an existing user.
    public static let accessKeyCreated = RuleID("iam.access-key.created")
    /// An access key turned from Inactive to Active.
    public static let accessKeyReactivated = RuleID("iam.access-key.reactivated")
    /// A new IAM user.
    public static let userCreated = RuleID("iam.user.created")
    /// A console password added to a user.
    public static let loginProfileCreated = RuleID("iam.login-profile.created")
    /// A console password changed.
    public static let loginProfileChanged = RuleID("iam.login-profile.changed")
    /// A new role.
    public static let roleCreated = RuleID("iam.role.created")
    /// A trust policy admitting a new principal.
    public static let roleTrustChanged = RuleID("iam.role.trust-changed")
    /// An administrator policy attached or put inline.
    public static let privilegedPolicyAttached = RuleID("iam.policy.privileged-attached")
    /// A customer managed policy with a new default version.
    public static let policyVersionChanged = RuleID("iam.policy.version-changed")
    /// A user added to a group.
    public static let groupMemberAdded = RuleID("iam.group.member-added")
    /// An MFA device, SSH key, service-specific credential or signing certificate added.
    public static let otherCredentialAdded = RuleID("iam.credential.other-added")
    /// A SAML or OIDC provider created or changed.
    public static let identityProviderChanged = RuleID("iam.identity-provider.changed")
    /// A role added to an instance profile.
    public static let instanceProfileChanged = RuleID("iam.instance-profile.changed")
    /// A new instance carrying an instance profile.
    public static let instanceLaunchedWithRole = RuleID("ec2.instance.launched-with-role")
    /// Resources or activity in a region the baseline did not use.
    public static let regionFirstUse = RuleID("ec2.region.first-use")
    /// A new VPC endpoint.
    public static let vpcEndpointCreated = RuleID("ec2.vpc-endpoint.created")
    /// An ingress rule added to a security group.
    public static let securityGroupOpened = RuleID("ec2.security-group.opened")
    /// A key pair created or imported.
    public static let keyPairAdded = RuleID("ec2.key-pair.added")
    /// A trail stopped, deleted, or its selectors or bucket changed.
    public static let trailImpaired = RuleID("logging.trail.impaired")
    /// A GuardDuty detector deleted or disabled, or a trusted IP set added.
    public static let guardDutyImpaired = RuleID("guardduty.impaired")

    // Seen only in CloudTrail.
    /// Temporary credentials from GetSessionToken.
    public static let sessionTokenIssued = RuleID("sts.session-token.issued")
    /// A federation token, or a console sign-in token made from one.
    public static let federationTokenIssued = RuleID("sts.federation-token.issued")
    /// A role assumed by a suspect principal or from an account the baseline did not trust.
    public static let roleAssumedBySuspect = RuleID("sts.role-assumed-by-suspect")
    /// A console login without MFA, or by a user the baseline did not have.
    public static let consoleLogin = RuleID("signin.console-login")
    /// A burst of List, Describe and Get calls from one key.
    public static let enumeration = RuleID("discovery.enumeration")
    /// A burst of AccessDenied errors from one key.
    public static let deniedBurst = RuleID("auth.denied-burst")
    /// Secrets, decrypted parameters or instance passwords read.
    public static let secretsRead = RuleID("credential-access.secrets")
    /// A key used from a source address, user agent or VPC endpoint not seen before.
    public static let newSource = RuleID("identity.new-source")
    /// An IAM Roles Anywhere trust anchor or profile created.
    public static let rolesAnywhereTrustAnchor = RuleID("iam.roles-anywhere.trust-anchor")
    /// A Lambda function's resource policy admitting another account or everyone.
    public static let lambdaExternalAccess = RuleID("lambda.policy.external-access")
    /// A snapshot, image or bucket opened to another account or the public.
    public static let resourceShared = RuleID("exfiltration.resource-shared")
    /// The account left its Organization (or tried to).
    public static let organizationLeft = RuleID("organizations.left")
    /// Commands sent to instances, or user data rewritten; refused attempts too.
    public static let instanceCommand = RuleID("execution.instance-command")

    // Logging impaired and Lambda backdoors, seen only in CloudTrail.
    /// VPC flow logs deleted.
    public static let flowLogsDeleted = RuleID("logging.flow-logs.deleted")
    /// Route 53 Resolver query logging deleted or taken off a VPC.
    public static let dnsQueryLogsRemoved = RuleID("logging.dns-query-logs.removed")
    /// Bedrock model invocation logging deleted.
    public static let modelInvocationLogsDeleted = RuleID("logging.model-invocation-logs.deleted")
    /// A trail's bucket set to expire its logs, or its policy changed so CloudTrail cannot write.
    public static let trailBucketImpaired = RuleID("logging.trail-bucket.impaired")
    /// A Lambda function's code replaced, a layer added, or a role that administers given to it.
    public static let lambdaBackdoored = RuleID("lambda.function.backdoored")
    // Hijacked resources and instances reached or robbed.
    /// GPU, accelerated, very large or many instances launched, or an attempt to; Bedrock models
    /// enabled, probed or invoked by one key, or their invocation logging deleted (LLMjacking).
    public static let resourceHijacking = RuleID("impact.resource-hijacking")
    /// Instance user data read, or an attempt to.
    public static let userData = RuleID("credential-access.user-data")
    /// SSH keys pushed to instances (EC2 Instance Connect, serial console), or serial console access enabled.
    public static let instanceAccess = RuleID("lateral.instance-access")
    /// An instance role's temporary credentials used from somewhere other than their instance.
    public static let instanceRoleOutside = RuleID("credentials.instance-role.outside")
    // Seen only in CloudTrail: the direction of a change.
    /// A containment or clean-up (logging started, a key disabled, what was made deleted) by a suspect actor.
    public static let containmentAction = RuleID("response.containment-action")

    /// The rules about many events (a burst, a source, a region, where a session was used) rather than
    /// what one call did: their events keep the phase and weight of what each call did.
    public static let behavioural: Set<RuleID> = [
        .enumeration, .deniedBurst, .newSource, .regionFirstUse, .instanceRoleOutside,
    ]
}
