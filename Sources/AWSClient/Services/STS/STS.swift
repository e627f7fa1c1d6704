import CustodyJSON
/// STS operations ([API reference](https://docs.aws.amazon.com/STS/latest/APIReference/)), at the regional
/// endpoint of the client's region.
public struct STS: Sendable {
    /// The client calls go through.
    public let client: AWS

    /// STS calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// Who the credentials belong to: `GetCallerIdentity` (account, ARN, user id).
    public func getCallerIdentity() async throws -> AWSResponse<GetCallerIdentityResponse> {
        try await client.queryCall(.sts, "GetCallerIdentity")
    }

    /// Temporary credentials for a role: `AssumeRole`. The raw body stored with the answer has the secret key
    /// and session token redacted; `output.credentials` holds them, never printed.
    public func assumeRole(
        roleArn: String, roleSessionName: String, externalId: String? = nil, durationSeconds: Int? = nil,
        serialNumber: String? = nil, tokenCode: String? = nil
    ) async throws -> AWSResponse<AssumeRoleResponse> {
        let parameters = parameters(
            ("RoleArn", .string(roleArn)), ("RoleSessionName", .string(roleSessionName)),
            ("ExternalId", externalId.json), ("DurationSeconds", durationSeconds.json),
            ("SerialNumber", serialNumber.json), ("TokenCode", tokenCode.json))
        return try await client.queryCall(.sts, "AssumeRole", parameters) { call in
            call.answerCarriesCredentials = true
            if tokenCode != nil { call.parameters = Self.redacting(["TokenCode"], in: call.parameters) }
        }
    }

    /// Temporary credentials for a role from a web identity token: `AssumeRoleWithWebIdentity`, sent unsigned.
    /// The token is redacted from the recorded parameters and the credentials from the stored body.
    public func assumeRoleWithWebIdentity(roleArn: String, roleSessionName: String, webIdentityToken: String)
        async throws -> AWSResponse<AssumeRoleWithWebIdentityResponse>
    {
        let parameters: [String: JSONValue] = [
            "RoleArn": .string(roleArn), "RoleSessionName": .string(roleSessionName),
            "WebIdentityToken": .string(webIdentityToken),
        ]
        return try await client.queryCall(.sts, "AssumeRoleWithWebIdentity", parameters) { call in
            call.anonymous = true
            call.answerCarriesCredentials = true
            call.parameters = Self.redacting(["WebIdentityToken"], in: call.parameters)
        }
    }

    static func redacting(_ names: Set<String>, in parameters: JSONValue) -> JSONValue {
        guard case .object(var members) = parameters else { return parameters }
        for name in names where members[name] != nil { members[name] = "<redacted>" }
        return .object(members)
    }
}
