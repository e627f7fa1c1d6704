public import CustodyJSON

/// An IAM role with its decoded trust policy, from
/// [GetAccountAuthorizationDetails](https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html)
/// and [GetRole](https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html) for last use.
public struct IAMRole: Codable, Hashable, Sendable {
    /// The role's name.
    public var roleName: String
    /// The stable id (`AROA…`).
    public var roleId: String
    /// The ARN.
    public var arn: String
    /// The path (`/aws-service-role/…` for service-linked roles).
    public var path: String
    /// When the role was created.
    public var createDate: String
    /// The description.
    public var description: String?
    /// The longest session, in seconds.
    public var maxSessionDuration: Int?
    /// Who may assume the role: the decoded assume-role policy document.
    public var trustPolicy: JSONValue
    /// The permissions boundary's ARN.
    public var permissionsBoundary: String?
    /// Attached managed policies.
    public var attachedPolicies: [AttachedPolicy]
    /// Inline policies.
    public var inlinePolicies: [InlinePolicy]
    /// Instance profiles that carry the role, by name.
    public var instanceProfiles: [String]
    /// When and where the role was last used.
    public var lastUsed: RoleLastUsed?
    /// Tags.
    public var tags: [Tag]

    /// Makes a role record.
    public init(
        roleName: String, roleId: String, arn: String, path: String = "/", createDate: String,
        description: String? = nil, maxSessionDuration: Int? = nil, trustPolicy: JSONValue,
        permissionsBoundary: String? = nil, attachedPolicies: [AttachedPolicy] = [],
        inlinePolicies: [InlinePolicy] = [], instanceProfiles: [String] = [], lastUsed: RoleLastUsed? = nil,
        tags: [Tag] = []
    ) {
        self.roleName = roleName
        self.roleId = roleId
        self.arn = arn
        self.path = path
        self.createDate = createDate
        self.description = description
        self.maxSessionDuration = maxSessionDuration
        self.trustPolicy = trustPolicy
        self.permissionsBoundary = permissionsBoundary
        self.attachedPolicies = attachedPolicies
        self.inlinePolicies = inlinePolicies
        self.instanceProfiles = instanceProfiles
        self.lastUsed = lastUsed
        self.tags = tags
    }
}

extension IAMRole: TapeDecodable {
    private static let names: [StaticString] = [
        "roleName", "roleId", "arn", "path", "createDate", "description", "maxSessionDuration", "trustPolicy",
        "permissionsBoundary", "attachedPolicies", "inlinePolicies", "instanceProfiles", "lastUsed", "tags",
    ]

    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, Self.names)
        self.init(
            roleName: try o.string(0), roleId: try o.string(1), arn: try o.string(2), path: try o.string(3),
            createDate: try o.string(4), description: try o.optionalString(5), maxSessionDuration: try o.optionalInt(6),
            trustPolicy: try o.value(7), permissionsBoundary: try o.optionalString(8),
            attachedPolicies: try o.elements(9).map { try AttachedPolicy(tape: tape, node: $0) },
            inlinePolicies: try o.elements(10).map { try InlinePolicy(tape: tape, node: $0) },
            instanceProfiles: try o.strings(11),
            lastUsed: try o.present(12).map { try RoleLastUsed(tape: tape, node: $0) },
            tags: try o.elements(13).map { try Tag(tape: tape, node: $0) })
    }
}

/// The last use of a role.
public struct RoleLastUsed: Codable, Hashable, Sendable {
    /// When.
    public var date: String?
    /// In which region.
    public var region: String?

    /// Makes a last-use record.
    public init(date: String? = nil, region: String? = nil) {
        self.date = date
        self.region = region
    }
}

extension RoleLastUsed: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["date", "region"])
        self.init(date: try o.optionalString(0), region: try o.optionalString(1))
    }
}

/// An IAM group.
public struct IAMGroup: Codable, Hashable, Sendable {
    /// The group's name.
    public var groupName: String
    /// The stable id (`AGPA…`).
    public var groupId: String
    /// The ARN.
    public var arn: String
    /// The path.
    public var path: String
    /// When it was created.
    public var createDate: String
    /// Attached managed policies.
    public var attachedPolicies: [AttachedPolicy]
    /// Inline policies.
    public var inlinePolicies: [InlinePolicy]

    /// Makes a group record.
    public init(
        groupName: String, groupId: String, arn: String, path: String = "/", createDate: String,
        attachedPolicies: [AttachedPolicy] = [], inlinePolicies: [InlinePolicy] = []
    ) {
        self.groupName = groupName
        self.groupId = groupId
        self.arn = arn
        self.path = path
        self.createDate = createDate
        self.attachedPolicies = attachedPolicies
        self.inlinePolicies = inlinePolicies
    }
}

extension IAMGroup: TapeDecodable {}

/// A customer managed policy with its default version's document.
public struct ManagedPolicy: Codable, Hashable, Sendable {
    /// The policy's name.
    public var policyName: String
    /// The stable id (`ANPA…`).
    public var policyId: String
    /// The ARN.
    public var arn: String
    /// The path.
    public var path: String
    /// The default version (`v1`, `v2` …).
    public var defaultVersionId: String
    /// How many users, groups and roles it is attached to.
    public var attachmentCount: Int
    /// When it was created.
    public var createDate: String
    /// When it last changed.
    public var updateDate: String?
    /// The default version's document.
    public var document: JSONValue?

    /// Makes a policy record.
    public init(
        policyName: String, policyId: String, arn: String, path: String = "/", defaultVersionId: String,
        attachmentCount: Int, createDate: String, updateDate: String? = nil, document: JSONValue? = nil
    ) {
        self.policyName = policyName
        self.policyId = policyId
        self.arn = arn
        self.path = path
        self.defaultVersionId = defaultVersionId
        self.attachmentCount = attachmentCount
        self.createDate = createDate
        self.updateDate = updateDate
        self.document = document
    }
}

extension ManagedPolicy: TapeDecodable {}

/// An instance profile and the roles it carries, from
/// [ListInstanceProfiles](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html).
public struct InstanceProfile: Codable, Hashable, Sendable {
    /// The profile's name.
    public var instanceProfileName: String
    /// The stable id (`AIPA…`).
    public var instanceProfileId: String
    /// The ARN.
    public var arn: String
    /// The path.
    public var path: String
    /// When it was created.
    public var createDate: String
    /// The roles in it, by name.
    public var roles: [String]

    /// Makes a profile record.
    public init(
        instanceProfileName: String, instanceProfileId: String, arn: String, path: String = "/", createDate: String,
        roles: [String] = []
    ) {
        self.instanceProfileName = instanceProfileName
        self.instanceProfileId = instanceProfileId
        self.arn = arn
        self.path = path
        self.createDate = createDate
        self.roles = roles
    }
}

extension InstanceProfile: TapeDecodable {}

/// SAML and OpenID Connect identity providers.
public struct IdentityProviders: Codable, Hashable, Sendable {
    /// SAML providers, from [ListSAMLProviders](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListSAMLProviders.html).
    public var saml: [SAMLProvider]
    /// OIDC providers, from [ListOpenIDConnectProviders](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviders.html).
    public var oidc: [OIDCProvider]

    /// Makes the providers record.
    public init(saml: [SAMLProvider] = [], oidc: [OIDCProvider] = []) {
        self.saml = saml
        self.oidc = oidc
    }
}

extension IdentityProviders: TapeDecodable {}

/// A SAML identity provider.
public struct SAMLProvider: Codable, Hashable, Sendable {
    /// The ARN.
    public var arn: String
    /// When it was created.
    public var createDate: String?
    /// When its metadata expires.
    public var validUntil: String?

    /// Makes a provider record.
    public init(arn: String, createDate: String? = nil, validUntil: String? = nil) {
        self.arn = arn
        self.createDate = createDate
        self.validUntil = validUntil
    }
}

/// An OpenID Connect identity provider.
public struct OIDCProvider: Codable, Hashable, Sendable {
    /// The ARN.
    public var arn: String

    /// Makes a provider record.
    public init(arn: String) {
        self.arn = arn
    }
}
