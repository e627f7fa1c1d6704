import CustodyJSON
import Foundation

/// Credentials from the container credential endpoint (ECS, EKS Pod Identity):
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on `http://169.254.170.2`, or `AWS_CONTAINER_CREDENTIALS_FULL_URI`
/// (HTTPS, loopback, or the ECS and EKS link-local hosts only), with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header.
public struct ContainerCredentialProvider: CredentialProvider {
    static let allowedHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]

    /// The provider.
    public init() {}

    /// Fetches the credentials, or `.notFound` when neither variable is set.
    public func resolve(for client: AWS) async throws -> CredentialLookup {
        let environment = client.configuration.environment
        let endpoint: Endpoint
        let path: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            endpoint = Endpoint(scheme: "http", host: "169.254.170.2", signingRegion: "", source: "container")
            path = relative.hasPrefix("/") ? relative : "/" + relative
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            endpoint = try Endpoint.parse(full, signingRegion: "", source: "AWS_CONTAINER_CREDENTIALS_FULL_URI")
            guard
                endpoint.scheme == "https" || HTTPRequest.isLoopback(host: endpoint.host)
                    || Self.allowedHosts.contains(endpoint.host)
            else {
                throw AWSClientError(
                    .invalidConfiguration,
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI must use HTTPS, a loopback address or the ECS/EKS credential "
                        + "host; \(endpoint.host) is none of these.")
            }
            let afterAuthority = full.range(of: "://").map { full[$0.upperBound...] } ?? ""
            path = afterAuthority.firstIndex(of: "/").map { String(afterAuthority[$0...]) } ?? "/"
        } else {
            return .notFound("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set)")
        }
        var headers = HTTPHeaders()
        if let tokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !tokenFile.isEmpty {
            guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw AWSClientError(
                    .credentialProviderFailed, "Could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(tokenFile).")
            }
            headers.add("Authorization", token.trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            headers.add("Authorization", token)
        }
        headers.add("Accept", "application/json")
        let pathOnly = String(path.prefix { $0 != "?" })
        let query = path.contains("?") ? String(path.drop { $0 != "?" }.dropFirst()) : ""
        let request = HTTPRequest(
            method: "GET", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port, path: pathOnly,
            query: query, headers: headers)
        var lastError: (any Error)?
        for _ in 0..<3 {
            do {
                let response = try await client.configuration.transport.send(
                    request, timeout: client.configuration.metadataTimeout)
                guard response.isSuccess else {
                    throw AWSClientError(
                        .credentialProviderFailed,
                        "The container credential endpoint \(endpoint) answered HTTP \(response.statusCode).")
                }
                guard let json = try? JSONValue.parse(response.body), let keyId = json["AccessKeyId"]?.stringValue,
                    let secret = json["SecretAccessKey"]?.stringValue
                else {
                    throw AWSClientError(
                        .credentialProviderFailed, "The container credential endpoint \(endpoint) sent no credentials.")
                }
                return .found(
                    ResolvedCredentials(
                        credentials: AWSCredentials(
                            accessKeyId: keyId, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
                            expiration: json["Expiration"]?.stringValue.flatMap(Timestamps.parse),
                            accountId: json["AccountId"]?.stringValue),
                        source: "container (\(endpoint))"))
            } catch let error as AWSClientError where error.code == .credentialProviderFailed {
                throw error
            } catch {
                lastError = error
            }
        }
        throw AWSClientError(
            .credentialProviderFailed, "The container credential endpoint \(endpoint) did not answer.",
            underlying: lastError)
    }
}
