import CustodyJSON
import Foundation

/// Credentials of the EC2 instance's role from the instance metadata service, with an IMDSv2 session token
/// (`PUT /latest/api/token`), falling back to IMDSv1 only when the token call is refused with 403, 404 or 405 and
/// `AWS_EC2_METADATA_V1_DISABLED` is not `true`.
///
/// Skipped when `AWS_EC2_METADATA_DISABLED=true`. The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else
/// `http://[fd00:ec2::254]` when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`, else `http://169.254.169.254`.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    /// The provider.
    public init() {}

    /// Fetches the role's credentials, or `.notFound` when there is no metadata service or no role.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        let environment = client.configuration.environment
        let profile = client.sharedConfig.profile(client.profileName)
        if (environment["AWS_EC2_METADATA_DISABLED"] ?? "").lowercased() == "true" {
            return .notFound("instance metadata (disabled by AWS_EC2_METADATA_DISABLED)")
        }
        let mode =
            environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] ?? profile["ec2_metadata_service_endpoint_mode"]
        let configured = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? profile["ec2_metadata_service_endpoint"]
        let url = configured ?? (mode?.lowercased() == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254")
        let endpoint = try Endpoint.parse(url, signingRegion: "", source: "instance metadata")
        let v1Disabled =
            (environment["AWS_EC2_METADATA_V1_DISABLED"] ?? profile["ec2_metadata_v1_disabled"] ?? "").lowercased()
            == "true"
        let transport = client.configuration.transport
        let timeout = client.configuration.metadataTimeout

        func request(_ method: String, _ path: String, _ headers: HTTPHeaders) -> HTTPRequest {
            HTTPRequest(
                method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                path: endpoint.basePath + path, headers: headers)
        }

        var tokenHeaders = HTTPHeaders()
        do {
            let tokenResponse = try await transport.send(
                request("PUT", "/latest/api/token", ["x-aws-ec2-metadata-token-ttl-seconds": "21600"]),
                timeout: timeout)
            if tokenResponse.isSuccess {
                tokenHeaders.add("x-aws-ec2-metadata-token", String(decoding: tokenResponse.body, as: UTF8.self))
            } else if [403, 404, 405].contains(tokenResponse.statusCode) && !v1Disabled {
                client.log("The instance metadata service refused an IMDSv2 token; falling back to IMDSv1.")
            } else {
                return .notFound(
                    "instance metadata (\(endpoint) refused a session token: HTTP \(tokenResponse.statusCode))")
            }
        } catch {
            return .notFound("instance metadata (no answer from \(endpoint) within \(timeout))")
        }
        let base = "/latest/meta-data/iam/security-credentials/"
        let roleResponse: HTTPResponse
        do {
            roleResponse = try await transport.send(request("GET", base, tokenHeaders), timeout: timeout)
        } catch {
            return .notFound("instance metadata (no answer from \(endpoint) within \(timeout))")
        }
        guard roleResponse.isSuccess,
            let role = String(decoding: roleResponse.body, as: UTF8.self).split(whereSeparator: \.isNewline).first
        else {
            return .notFound("instance metadata (the instance has no IAM role)")
        }
        let credentialResponse = try await transport.send(request("GET", base + role, tokenHeaders), timeout: timeout)
        guard credentialResponse.isSuccess, let json = try? JSONValue.parse(credentialResponse.body),
            json["Code"]?.stringValue ?? "Success" == "Success", let keyId = json["AccessKeyId"]?.stringValue,
            let secret = json["SecretAccessKey"]?.stringValue
        else {
            throw AWSClientError(
                .credentialProviderFailed,
                "The instance metadata service gave no usable credentials for role \(role) "
                    + "(HTTP \(credentialResponse.statusCode)).")
        }
        return .found(
            ResolvedCredentials(
                credentials: AWSCredentials(
                    accessKeyId: keyId, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
                    expiration: json["Expiration"]?.stringValue.flatMap(Timestamps.parse)),
                source: "instance-metadata (role \(role))"))
    }
}
