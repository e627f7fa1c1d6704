package import CustodyJSON

/// An IAM user and every credential and permission attached to it, from
/// [GetAccountAuthorizationDetails](https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html)
/// filled in with the per-user List calls.
public struct IAMUser: Codable, Hashable, Sendable {
    /// The user's name.
    public var userName: String
    /// The stable id (`AIDA…`): a user deleted and re-created under the same name gets a new one.
    public var userId: String
    /// The ARN.
    public var arn: String
    /// The path.
    public var path: String
    /// When the user was created.
    public var createDate: String
    /// When the console password was last used.
    public var passwordLastUsed: String?
    /// The permissions boundary's ARN.
    public var permissionsBoundary: String?
    /// Group names.
    public var groups: [String]
    /// Attached managed policies.
    public var attachedPolicies: [AttachedPolicy]
    /// Inline policies.
    public var inlinePolicies: [InlinePolicy]
    /// Access keys (never the secret).
    public var accessKeys: [AccessKey]
    /// The console password, when the user has one.
    public var loginProfile: LoginProfile?
    /// MFA devices.
    public var mfaDevices: [MFADevice]
    /// SSH public keys for CodeCommit.
    public var sshPublicKeys: [SSHPublicKey]
    /// Service-specific credentials (CodeCommit, Keyspaces, Bedrock …).
    public var serviceSpecificCredentials: [ServiceSpecificCredential]
    /// X.509 signing certificates.
    public var signingCertificates: [SigningCertificate]
    /// Tags.
    public var tags: [Tag]

    /// Makes a user record.
    public init(
        userName: String, userId: String, arn: String, path: String = "/", createDate: String,
        passwordLastUsed: String? = nil, permissionsBoundary: String? = nil, groups: [String] = [],
        attachedPolicies: [AttachedPolicy] = [], inlinePolicies: [InlinePolicy] = [], accessKeys: [AccessKey] = [],
        loginProfile: LoginProfile? = nil, mfaDevices: [MFADevice] = [], sshPublicKeys: [SSHPublicKey] = [],
        serviceSpecificCredentials: [ServiceSpecificCredential] = [], signingCertificates: [SigningCertificate] = [],
        tags: [Tag] = []
    ) {
        self.userName = userName
        self.userId = userId
        self.arn = arn
        self.path = path
        self.createDate = createDate
        self.passwordLastUsed = passwordLastUsed
        self.permissionsBoundary = permissionsBoundary
        self.groups = groups
        self.attachedPolicies = attachedPolicies
        self.inlinePolicies = inlinePolicies
        self.accessKeys = accessKeys
        self.loginProfile = loginProfile
        self.mfaDevices = mfaDevices
        self.sshPublicKeys = sshPublicKeys
        self.serviceSpecificCredentials = serviceSpecificCredentials
        self.signingCertificates = signingCertificates
        self.tags = tags
    }
}

extension IAMUser: TapeDecodable {
    private static let names: [StaticString] = [
        "userName", "userId", "arn", "path", "createDate", "passwordLastUsed", "permissionsBoundary", "groups",
        "attachedPolicies", "inlinePolicies", "accessKeys", "loginProfile", "mfaDevices", "sshPublicKeys",
        "serviceSpecificCredentials", "signingCertificates", "tags",
    ]

    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, Self.names)
        self.init(
            userName: try o.string(0), userId: try o.string(1), arn: try o.string(2), path: try o.string(3),
            createDate: try o.string(4), passwordLastUsed: try o.optionalString(5),
            permissionsBoundary: try o.optionalString(6), groups: try o.strings(7),
            attachedPolicies: try o.elements(8).map { try AttachedPolicy(tape: tape, node: $0) },
            inlinePolicies: try o.elements(9).map { try InlinePolicy(tape: tape, node: $0) },
            accessKeys: try o.elements(10).map { try AccessKey(tape: tape, node: $0) },
            loginProfile: try o.present(11).map { try LoginProfile(tape: tape, node: $0) },
            mfaDevices: try o.elements(12).map { try MFADevice(tape: tape, node: $0) },
            sshPublicKeys: try o.elements(13).map { try SSHPublicKey(tape: tape, node: $0) },
            serviceSpecificCredentials: try o.elements(14).map { try ServiceSpecificCredential(tape: tape, node: $0) },
            signingCertificates: try o.elements(15).map { try SigningCertificate(tape: tape, node: $0) },
            tags: try o.elements(16).map { try Tag(tape: tape, node: $0) })
    }
}

/// An access key's metadata, from [ListAccessKeys](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html)
/// and [GetAccessKeyLastUsed](https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html).
public struct AccessKey: Codable, Hashable, Sendable {
    /// The key id (`AKIA…`); the secret is never collected.
    public var accessKeyId: String
    /// `Active`, `Inactive` (or `Expired` for credentials that expire).
    public var status: String
    /// When the key was made.
    public var createDate: String
    /// When, where and for what it was last used.
    public var lastUsed: AccessKeyLastUsed?

    /// Makes a key record.
    public init(accessKeyId: String, status: String, createDate: String, lastUsed: AccessKeyLastUsed? = nil) {
        self.accessKeyId = accessKeyId
        self.status = status
        self.createDate = createDate
        self.lastUsed = lastUsed
    }
}

extension AccessKey: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["accessKeyId", "status", "createDate", "lastUsed"])
        self.init(
            accessKeyId: try o.string(0), status: try o.string(1), createDate: try o.string(2),
            lastUsed: try o.present(3).map { try AccessKeyLastUsed(tape: tape, node: $0) })
    }
}

/// The last use of an access key.
public struct AccessKeyLastUsed: Codable, Hashable, Sendable {
    /// When (absent when never used).
    public var date: String?
    /// The service, or `N/A`.
    public var serviceName: String?
    /// The region, or `N/A`.
    public var region: String?

    /// Makes a last-use record.
    public init(date: String? = nil, serviceName: String? = nil, region: String? = nil) {
        self.date = date
        self.serviceName = serviceName
        self.region = region
    }
}

extension AccessKeyLastUsed: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["date", "serviceName", "region"])
        self.init(date: try o.optionalString(0), serviceName: try o.optionalString(1), region: try o.optionalString(2))
    }
}

/// A console password, from [GetLoginProfile](https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetLoginProfile.html).
public struct LoginProfile: Codable, Hashable, Sendable {
    /// When the password was set.
    public var createDate: String
    /// Whether a new password is required at next sign-in.
    public var passwordResetRequired: Bool

    /// Makes a login profile record.
    public init(createDate: String, passwordResetRequired: Bool = false) {
        self.createDate = createDate
        self.passwordResetRequired = passwordResetRequired
    }
}

extension LoginProfile: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["createDate", "passwordResetRequired"])
        self.init(createDate: try o.string(0), passwordResetRequired: try o.bool(1))
    }
}

/// An MFA device, from [ListMFADevices](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListMFADevices.html).
public struct MFADevice: Codable, Hashable, Sendable {
    /// The serial number or ARN.
    public var serialNumber: String
    /// When it was enabled.
    public var enableDate: String

    /// Makes a device record.
    public init(serialNumber: String, enableDate: String) {
        self.serialNumber = serialNumber
        self.enableDate = enableDate
    }
}

extension MFADevice: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["serialNumber", "enableDate"])
        self.init(serialNumber: try o.string(0), enableDate: try o.string(1))
    }
}

/// An SSH public key, from [ListSSHPublicKeys](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListSSHPublicKeys.html).
public struct SSHPublicKey: Codable, Hashable, Sendable {
    /// The key id (`APKA…`).
    public var sshPublicKeyId: String
    /// `Active` or `Inactive`.
    public var status: String
    /// When it was uploaded.
    public var uploadDate: String

    /// Makes a key record.
    public init(sshPublicKeyId: String, status: String, uploadDate: String) {
        self.sshPublicKeyId = sshPublicKeyId
        self.status = status
        self.uploadDate = uploadDate
    }
}

extension SSHPublicKey: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["sshPublicKeyId", "status", "uploadDate"])
        self.init(sshPublicKeyId: try o.string(0), status: try o.string(1), uploadDate: try o.string(2))
    }
}

/// A service-specific credential, from
/// [ListServiceSpecificCredentials](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListServiceSpecificCredentials.html).
public struct ServiceSpecificCredential: Codable, Hashable, Sendable {
    /// The credential id (`ACCA…`).
    public var serviceSpecificCredentialId: String
    /// The service it is for.
    public var serviceName: String
    /// The user name to sign in to the service with.
    public var serviceUserName: String
    /// `Active` or `Inactive`.
    public var status: String
    /// When it was made.
    public var createDate: String

    /// Makes a credential record.
    public init(
        serviceSpecificCredentialId: String, serviceName: String, serviceUserName: String, status: String,
        createDate: String
    ) {
        self.serviceSpecificCredentialId = serviceSpecificCredentialId
        self.serviceName = serviceName
        self.serviceUserName = serviceUserName
        self.status = status
        self.createDate = createDate
    }
}

extension ServiceSpecificCredential: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(
            tape, node, ["serviceSpecificCredentialId", "serviceName", "serviceUserName", "status", "createDate"])
        self.init(
            serviceSpecificCredentialId: try o.string(0), serviceName: try o.string(1),
            serviceUserName: try o.string(2),
            status: try o.string(3), createDate: try o.string(4))
    }
}

/// An X.509 signing certificate, from
/// [ListSigningCertificates](https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListSigningCertificates.html).
public struct SigningCertificate: Codable, Hashable, Sendable {
    /// The certificate id.
    public var certificateId: String
    /// `Active` or `Inactive`.
    public var status: String
    /// When it was uploaded.
    public var uploadDate: String?

    /// Makes a certificate record.
    public init(certificateId: String, status: String, uploadDate: String? = nil) {
        self.certificateId = certificateId
        self.status = status
        self.uploadDate = uploadDate
    }
}

extension SigningCertificate: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["certificateId", "status", "uploadDate"])
        self.init(certificateId: try o.string(0), status: try o.string(1), uploadDate: try o.optionalString(2))
    }
}
