import AWSClient
import CustodyJSON
import Evidence
import EvidenceArchive
import Foundation

/// Collects IAM: GetAccountAuthorizationDetails for the core, filled in with the per-user and
/// per-account calls it lacks (access keys and their last use, login profiles, MFA, SSH keys,
/// service-specific credentials, signing certificates, instance profiles, identity providers,
/// aliases, the credential report).
struct IAMCollector: Sendable {
    let aws: AWS
    let recorder: CallRecorder
    /// How many per-user calls run at once.
    let concurrency: Int

    struct Result: Sendable {
        var users: [IAMUser] = []
        var roles: [IAMRole] = []
        var groups: [IAMGroup] = []
        var policies: [ManagedPolicy] = []
        var instanceProfiles: [InstanceProfile] = []
        var identityProviders = IdentityProviders()
        var alias: String?
        var credentialReport: [UInt8]?
    }

    func collect() async -> Result {
        var result = Result()
        let iam = aws.iam
        // AWS managed policies are left out: hundreds of large documents that are the same in every
        // account; attachments still name them by ARN.
        let pages = await recorder.pages(
            "iam", nil, "GetAccountAuthorizationDetails",
            iam.getAccountAuthorizationDetails(filter: ["User", "Role", "Group", "LocalManagedPolicy"]))
        result.users = pages.flatMap(\.userDetailList).map(Self.user)
        result.roles = pages.flatMap(\.roleDetailList).map(Self.role)
        result.groups = pages.flatMap(\.groupDetailList).map(Self.group)
        result.policies = pages.flatMap(\.policies).map(Self.policy)
        // What GetAccountAuthorizationDetails leaves out, several users at a time.
        result.users = await boundedMap(result.users, limit: concurrency) { await fillIn($0) }

        let profiles = await recorder.pages("iam", nil, "ListInstanceProfiles", iam.listInstanceProfiles())
        result.instanceProfiles = profiles.flatMap(\.instanceProfiles).map(Self.instanceProfile)
        if let saml = await recorder.call("iam", nil, "ListSAMLProviders", { try await iam.listSAMLProviders() }) {
            result.identityProviders.saml = saml.samlProviderList.map {
                SAMLProvider(
                    arn: $0.arn ?? "", createDate: $0.createDate.map(Timestamp.iso8601),
                    validUntil: $0.validUntil.map(Timestamp.iso8601))
            }
        }
        if let oidc = await recorder.call(
            "iam", nil, "ListOpenIDConnectProviders", { try await iam.listOpenIDConnectProviders() })
        {
            result.identityProviders.oidc = oidc.openIDConnectProviderList.map { OIDCProvider(arn: $0.arn ?? "") }
        }
        result.alias = await recorder.pages("iam", nil, "ListAccountAliases", iam.listAccountAliases())
            .flatMap(\.accountAliases).first
        result.credentialReport = await credentialReport()
        return result
    }

    private func fillIn(_ user: IAMUser) async -> IAMUser {
        var user = user
        let iam = aws.iam
        let name = user.userName
        let keys = await recorder.pages("iam", nil, "ListAccessKeys", iam.listAccessKeys(userName: name))
        for key in keys.flatMap(\.accessKeyMetadata) {
            guard let id = key.accessKeyId else { continue }
            let used = await recorder.call("iam", nil, "GetAccessKeyLastUsed") {
                try await iam.getAccessKeyLastUsed(accessKeyId: id)
            }
            let lastUsed = used?.accessKeyLastUsed.map {
                AccessKeyLastUsed(
                    date: $0.lastUsedDate.map(Timestamp.iso8601), serviceName: $0.serviceName, region: $0.region)
            }
            user.accessKeys.append(
                AccessKey(
                    accessKeyId: id, status: key.status ?? "Unknown",
                    createDate: key.createDate.map(Timestamp.iso8601) ?? "",
                    lastUsed: lastUsed))
        }
        if let login = await recorder.call(
            "iam", nil, "GetLoginProfile", absentCodes: ["NoSuchEntity"],
            { try await iam.getLoginProfile(userName: name) })?.loginProfile
        {
            user.loginProfile = LoginProfile(
                createDate: login.createDate.map(Timestamp.iso8601) ?? "",
                passwordResetRequired: login.passwordResetRequired ?? false)
        }
        user.mfaDevices = await recorder.pages("iam", nil, "ListMFADevices", iam.listMFADevices(userName: name))
            .flatMap(\.mfaDevices).map {
                MFADevice(serialNumber: $0.serialNumber ?? "", enableDate: $0.enableDate.map(Timestamp.iso8601) ?? "")
            }
        user.sshPublicKeys = await recorder.pages(
            "iam", nil, "ListSSHPublicKeys", iam.listSSHPublicKeys(userName: name)
        )
        .flatMap(\.sshPublicKeys).map {
            SSHPublicKey(
                sshPublicKeyId: $0.sshPublicKeyId ?? "", status: $0.status ?? "",
                uploadDate: $0.uploadDate.map(Timestamp.iso8601) ?? "")
        }
        user.serviceSpecificCredentials = await recorder.pages(
            "iam", nil, "ListServiceSpecificCredentials", iam.listServiceSpecificCredentials(userName: name)
        ).flatMap(\.serviceSpecificCredentials).map {
            ServiceSpecificCredential(
                serviceSpecificCredentialId: $0.serviceSpecificCredentialId ?? "", serviceName: $0.serviceName ?? "",
                serviceUserName: $0.serviceUserName ?? "", status: $0.status ?? "",
                createDate: $0.createDate.map(Timestamp.iso8601) ?? "")
        }
        user.signingCertificates = await recorder.pages(
            "iam", nil, "ListSigningCertificates", iam.listSigningCertificates(userName: name)
        )
        .flatMap(\.certificates).map {
            SigningCertificate(
                certificateId: $0.certificateId ?? "", status: $0.status ?? "",
                uploadDate: $0.uploadDate.map(Timestamp.iso8601))
        }
        return user
    }

    /// Asks for a credential report and waits for it, up to about a minute.
    private func credentialReport() async -> [UInt8]? {
        let iam = aws.iam
        for attempt in 0..<60 {
            let state = await recorder.call("iam", nil, "GenerateCredentialReport") {
                try await iam.generateCredentialReport()
            }
            guard let state else { return nil }
            if state.state == "COMPLETE" || attempt == 59 {
                let report = await recorder.call("iam", nil, "GetCredentialReport") {
                    try await iam.getCredentialReport()
                }
                return report?.content.map { Array($0) }
            }
            try? await Task.sleep(for: .seconds(1))
        }
        return nil
    }

    // MARK: Mapping AWS shapes to the snapshot model

    static func user(_ detail: AWSClient.IAM.UserDetail) -> IAMUser {
        IAMUser(
            userName: detail.userName ?? "", userId: detail.userId ?? "", arn: detail.arn ?? "",
            path: detail.path ?? "/",
            createDate: detail.createDate.map(Timestamp.iso8601) ?? "",
            permissionsBoundary: detail.permissionsBoundary?.permissionsBoundaryArn, groups: detail.groupList,
            attachedPolicies: detail.attachedManagedPolicies.map(attached),
            inlinePolicies: detail.userPolicyList.map(inline),
            tags: detail.tags.map { Tag(key: $0.key ?? "", value: $0.value ?? "") })
    }

    static func role(_ detail: AWSClient.IAM.RoleDetail) -> IAMRole {
        IAMRole(
            roleName: detail.roleName ?? "", roleId: detail.roleId ?? "", arn: detail.arn ?? "",
            path: detail.path ?? "/",
            createDate: detail.createDate.map(Timestamp.iso8601) ?? "",
            trustPolicy: document(detail.assumeRolePolicyDocument) ?? .null,
            permissionsBoundary: detail.permissionsBoundary?.permissionsBoundaryArn,
            attachedPolicies: detail.attachedManagedPolicies.map(attached),
            inlinePolicies: detail.rolePolicyList.map(inline),
            instanceProfiles: detail.instanceProfileList.compactMap(\.instanceProfileName),
            lastUsed: detail.roleLastUsed.map {
                RoleLastUsed(date: $0.lastUsedDate.map(Timestamp.iso8601), region: $0.region)
            },
            tags: detail.tags.map { Tag(key: $0.key ?? "", value: $0.value ?? "") })
    }

    static func group(_ detail: AWSClient.IAM.GroupDetail) -> IAMGroup {
        IAMGroup(
            groupName: detail.groupName ?? "", groupId: detail.groupId ?? "", arn: detail.arn ?? "",
            path: detail.path ?? "/",
            createDate: detail.createDate.map(Timestamp.iso8601) ?? "",
            attachedPolicies: detail.attachedManagedPolicies.map(attached),
            inlinePolicies: detail.groupPolicyList.map(inline))
    }

    static func policy(_ detail: AWSClient.IAM.ManagedPolicyDetail) -> ManagedPolicy {
        let defaultVersion = detail.policyVersionList.first { $0.isDefaultVersion == true }
        return ManagedPolicy(
            policyName: detail.policyName ?? "", policyId: detail.policyId ?? "", arn: detail.arn ?? "",
            path: detail.path ?? "/",
            defaultVersionId: detail.defaultVersionId ?? "", attachmentCount: detail.attachmentCount ?? 0,
            createDate: detail.createDate.map(Timestamp.iso8601) ?? "",
            updateDate: detail.updateDate.map(Timestamp.iso8601),
            document: document(defaultVersion?.document))
    }

    static func instanceProfile(_ profile: AWSClient.IAM.InstanceProfile) -> InstanceProfile {
        InstanceProfile(
            instanceProfileName: profile.instanceProfileName ?? "", instanceProfileId: profile.instanceProfileId ?? "",
            arn: profile.arn ?? "", path: profile.path ?? "/",
            createDate: profile.createDate.map(Timestamp.iso8601) ?? "",
            roles: profile.roles.compactMap(\.roleName))
    }

    static func attached(_ policy: AWSClient.IAM.AttachedPolicy) -> AttachedPolicy {
        AttachedPolicy(policyName: policy.policyName ?? "", policyArn: policy.policyArn ?? "")
    }

    static func inline(_ policy: AWSClient.IAM.PolicyDetail) -> InlinePolicy {
        InlinePolicy(policyName: policy.policyName ?? "", document: document(policy.policyDocument) ?? .null)
    }

    /// A policy document as JSON; one that does not parse is kept as its text.
    static func document(_ document: PolicyDocument?) -> JSONValue? {
        guard let document else { return nil }
        if let json = document.json { return json }
        return .string(document.text)
    }
}
