/// IAM operations ([API reference](https://docs.aws.amazon.com/IAM/latest/APIReference/)). IAM is global: every
/// call goes to the partition's IAM endpoint whatever the client's region. Policy documents arrive URL-encoded
/// and are decoded into ``PolicyDocument``.
public struct IAM: Sendable {
    /// The client calls go through.
    public let client: AWS

    /// IAM calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// Every user, group, role and policy with their policies: `GetAccountAuthorizationDetails`, paginated.
    /// - Parameter filter: entity types to include (`User`, `Role`, `Group`, `LocalManagedPolicy`,
    ///   `AWSManagedPolicy`); all when empty.
    public func getAccountAuthorizationDetails(filter: [String] = [], maxItems: Int? = nil)
        -> AWSPaginator<GetAccountAuthorizationDetailsResponse>
    {
        var parameters = parameters(("MaxItems", maxItems.json))
        if !filter.isEmpty { parameters["Filter"] = .array(filter.map { .string($0) }) }
        return client.markerPages(
            .iam, "GetAccountAuthorizationDetails", parameters, marker: \.marker, isTruncated: \.isTruncated)
    }

    /// The users: `ListUsers`, paginated.
    public func listUsers(pathPrefix: String? = nil, maxItems: Int? = nil) -> AWSPaginator<ListUsersResponse> {
        client.markerPages(
            .iam, "ListUsers", parameters(("PathPrefix", pathPrefix.json), ("MaxItems", maxItems.json)),
            marker: \.marker, isTruncated: \.isTruncated)
    }

    /// A user's access keys (the caller's when `userName` is nil): `ListAccessKeys`, paginated.
    public func listAccessKeys(userName: String? = nil) -> AWSPaginator<ListAccessKeysResponse> {
        client.markerPages(
            .iam, "ListAccessKeys", parameters(("UserName", userName.json)), marker: \.marker,
            isTruncated: \.isTruncated)
    }

    /// When and where an access key was last used: `GetAccessKeyLastUsed`.
    public func getAccessKeyLastUsed(accessKeyId: String) async throws -> AWSResponse<GetAccessKeyLastUsedResponse> {
        try await client.queryCall(.iam, "GetAccessKeyLastUsed", ["AccessKeyId": .string(accessKeyId)])
    }

    /// A user's console password profile: `GetLoginProfile`; AWS answers `NoSuchEntity` when there is none.
    public func getLoginProfile(userName: String? = nil) async throws -> AWSResponse<GetLoginProfileResponse> {
        try await client.queryCall(.iam, "GetLoginProfile", parameters(("UserName", userName.json)))
    }

    /// A user's MFA devices: `ListMFADevices`, paginated.
    public func listMFADevices(userName: String? = nil) -> AWSPaginator<ListMFADevicesResponse> {
        client.markerPages(
            .iam, "ListMFADevices", parameters(("UserName", userName.json)), marker: \.marker,
            isTruncated: \.isTruncated)
    }

    /// A user's SSH public keys (for CodeCommit): `ListSSHPublicKeys`, paginated.
    public func listSSHPublicKeys(userName: String? = nil) -> AWSPaginator<ListSSHPublicKeysResponse> {
        client.markerPages(
            .iam, "ListSSHPublicKeys", parameters(("UserName", userName.json)), marker: \.marker,
            isTruncated: \.isTruncated)
    }

    /// A user's service-specific credentials (CodeCommit, Keyspaces, Bedrock): `ListServiceSpecificCredentials`.
    public func listServiceSpecificCredentials(userName: String? = nil, serviceName: String? = nil)
        -> AWSPaginator<ListServiceSpecificCredentialsResponse>
    {
        client.markerPages(
            .iam, "ListServiceSpecificCredentials",
            parameters(("UserName", userName.json), ("ServiceName", serviceName.json)), marker: \.marker,
            isTruncated: \.isTruncated)
    }

    /// A user's X.509 signing certificates: `ListSigningCertificates`, paginated.
    public func listSigningCertificates(userName: String? = nil) -> AWSPaginator<ListSigningCertificatesResponse> {
        client.markerPages(
            .iam, "ListSigningCertificates", parameters(("UserName", userName.json)), marker: \.marker,
            isTruncated: \.isTruncated)
    }

    /// The instance profiles with their roles: `ListInstanceProfiles`, paginated.
    public func listInstanceProfiles(pathPrefix: String? = nil) -> AWSPaginator<ListInstanceProfilesResponse> {
        client.markerPages(
            .iam, "ListInstanceProfiles", parameters(("PathPrefix", pathPrefix.json)), marker: \.marker,
            isTruncated: \.isTruncated)
    }

    /// The SAML identity providers: `ListSAMLProviders`.
    public func listSAMLProviders() async throws -> AWSResponse<ListSAMLProvidersResponse> {
        try await client.queryCall(.iam, "ListSAMLProviders")
    }

    /// The OpenID Connect identity providers: `ListOpenIDConnectProviders`.
    public func listOpenIDConnectProviders() async throws -> AWSResponse<ListOpenIDConnectProvidersResponse> {
        try await client.queryCall(.iam, "ListOpenIDConnectProviders")
    }

    /// The account's alias: `ListAccountAliases`, paginated.
    public func listAccountAliases() -> AWSPaginator<ListAccountAliasesResponse> {
        client.markerPages(.iam, "ListAccountAliases", [:], marker: \.marker, isTruncated: \.isTruncated)
    }

    /// Starts generating the credential report: `GenerateCredentialReport` (`STARTED`, `INPROGRESS`, `COMPLETE`).
    public func generateCredentialReport() async throws -> AWSResponse<GenerateCredentialReportResponse> {
        try await client.queryCall(.iam, "GenerateCredentialReport")
    }

    /// The credential report, a CSV in `content`: `GetCredentialReport`; AWS answers `ReportNotPresent` or
    /// `ReportInProgress` until one is ready.
    public func getCredentialReport() async throws -> AWSResponse<GetCredentialReportResponse> {
        try await client.queryCall(.iam, "GetCredentialReport")
    }

    /// The roles with their trust policies: `ListRoles`, paginated.
    public func listRoles(pathPrefix: String? = nil, maxItems: Int? = nil) -> AWSPaginator<ListRolesResponse> {
        client.markerPages(
            .iam, "ListRoles", parameters(("PathPrefix", pathPrefix.json), ("MaxItems", maxItems.json)),
            marker: \.marker, isTruncated: \.isTruncated)
    }

    /// One role with its trust policy and last use: `GetRole`.
    public func getRole(roleName: String) async throws -> AWSResponse<GetRoleResponse> {
        try await client.queryCall(.iam, "GetRole", ["RoleName": .string(roleName)])
    }
}
