import CustodyJSON

/// `snapshot/account.json`: which account this is, who looked at it, and where.
public struct AccountInfo: Codable, Hashable, Sendable {
    /// The 12-digit account id.
    public var accountId: String
    /// The account alias, from [ListAccountAliases](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccountAliases.html).
    public var alias: String?
    /// Organization membership, from [DescribeOrganization](https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html).
    public var organization: OrganizationMembership?
    /// Regions enabled for the account, from [DescribeRegions](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html).
    public var enabledRegions: [String]
    /// The regions this snapshot covers.
    public var collectedRegions: [String]
    /// Who the collector was, from [GetCallerIdentity](https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
    public var callerIdentity: CallerIdentity

    /// Makes an account record.
    public init(
        accountId: String, alias: String? = nil, organization: OrganizationMembership? = nil,
        enabledRegions: [String] = [], collectedRegions: [String] = [], callerIdentity: CallerIdentity
    ) {
        self.accountId = accountId
        self.alias = alias
        self.organization = organization
        self.enabledRegions = enabledRegions
        self.collectedRegions = collectedRegions
        self.callerIdentity = callerIdentity
    }
}

extension AccountInfo: TapeDecodable {}

/// The principal a collection ran as.
public struct CallerIdentity: Codable, Hashable, Sendable {
    /// The caller's ARN.
    public var arn: String
    /// The caller's unique id (`AIDA…`, or `AROA…:session`).
    public var userId: String
    /// The account the caller is in.
    public var account: String

    /// Makes a caller identity.
    public init(arn: String, userId: String, account: String) {
        self.arn = arn
        self.userId = userId
        self.account = account
    }
}

/// The account's place in an AWS Organization.
public struct OrganizationMembership: Codable, Hashable, Sendable {
    /// The organization id (`o-…`).
    public var id: String
    /// The organization ARN.
    public var arn: String?
    /// The management account's id.
    public var managementAccountId: String?
    /// The management account's email address.
    public var managementAccountEmail: String?

    /// Makes a membership record.
    public init(
        id: String, arn: String? = nil, managementAccountId: String? = nil, managementAccountEmail: String? = nil
    ) {
        self.id = id
        self.arn = arn
        self.managementAccountId = managementAccountId
        self.managementAccountEmail = managementAccountEmail
    }
}
