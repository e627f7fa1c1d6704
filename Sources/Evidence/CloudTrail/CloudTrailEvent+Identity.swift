public import CustodyJSON

extension CloudTrailEvent {
    /// Who made a request: the record's `userIdentity`, every member kept.
    ///
    /// Reference: [userIdentity element](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
    public struct UserIdentity: Codable, Hashable, Sendable {
        /// Every member.
        public var members: [String: JSONValue]

        /// An identity with these members.
        public init(members: [String: JSONValue]) { self.members = members }

        /// `Root`, `IAMUser`, `AssumedRole`, `FederatedUser`, `AWSAccount`, `AWSService`, `IdentityCenterUser` …
        public var type: String? { members["type"]?.stringValue }
        /// The principal's id (`AIDA…`, or `AROA…:session` for an assumed role).
        public var principalId: String? { members["principalId"]?.stringValue }
        /// The principal's ARN.
        public var arn: String? { members["arn"]?.stringValue }
        /// The account the principal belongs to.
        public var accountId: String? { members["accountId"]?.stringValue }
        /// The access key that signed the request (`AKIA…` long-term, `ASIA…` temporary).
        public var accessKeyId: String? { members["accessKeyId"]?.stringValue }
        /// The IAM user's name.
        public var userName: String? { members["userName"]?.stringValue }
        /// The service that made the request on the principal's behalf.
        public var invokedBy: String? { members["invokedBy"]?.stringValue }
        /// The identity provider of a federated user.
        public var identityProvider: String? { members["identityProvider"]?.stringValue }
        /// The session, for temporary credentials.
        public var sessionContext: SessionContext? { members["sessionContext"]?.objectValue.map(SessionContext.init) }
    }

    /// The session behind temporary credentials.
    public struct SessionContext: Codable, Hashable, Sendable {
        /// Every member.
        public var members: [String: JSONValue]

        /// A session context with these members.
        public init(members: [String: JSONValue]) { self.members = members }

        /// When the session was made and whether it used MFA.
        public var attributes: SessionAttributes? { members["attributes"]?.objectValue.map(SessionAttributes.init) }
        /// The identity that issued the session (the role, the user that got a federation token …).
        public var sessionIssuer: SessionIssuer? { members["sessionIssuer"]?.objectValue.map(SessionIssuer.init) }
        /// The web identity provider's data, for `AssumeRoleWithWebIdentity` sessions, any JSON.
        public var webIdFederationData: JSONValue? { members["webIdFederationData"] }
        /// The source identity set when the role was assumed.
        public var sourceIdentity: String? { members["sourceIdentity"]?.stringValue }
        /// The EC2 instance metadata service version that delivered role credentials (`1.0` or `2.0`).
        public var ec2RoleDelivery: String? { members["ec2RoleDelivery"]?.stringValue }
    }

    /// When a session was made and whether it used MFA.
    public struct SessionAttributes: Codable, Hashable, Sendable {
        /// Every member.
        public var members: [String: JSONValue]

        /// Attributes with these members.
        public init(members: [String: JSONValue]) { self.members = members }

        /// When the credentials were issued, as written.
        public var creationDate: String? { members["creationDate"]?.stringValue }
        /// Whether the session used MFA; CloudTrail writes it as the string `"true"` or `"false"`.
        public var mfaAuthenticated: Bool? { members["mfaAuthenticated"].flatMap(CloudTrailEvent.boolean) }
    }

    /// The identity that issued a session.
    public struct SessionIssuer: Codable, Hashable, Sendable {
        /// Every member.
        public var members: [String: JSONValue]

        /// An issuer with these members.
        public init(members: [String: JSONValue]) { self.members = members }

        /// `Root`, `IAMUser` or `Role`.
        public var type: String? { members["type"]?.stringValue }
        /// The issuer's id.
        public var principalId: String? { members["principalId"]?.stringValue }
        /// The issuer's ARN.
        public var arn: String? { members["arn"]?.stringValue }
        /// The account that owns the issuer.
        public var accountId: String? { members["accountId"]?.stringValue }
        /// The issuer's name.
        public var userName: String? { members["userName"]?.stringValue }
    }
}
