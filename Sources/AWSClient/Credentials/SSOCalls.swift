import CustodyJSON
import Foundation

/// The two unsigned IAM Identity Center calls that turn the AWS CLI's sign-in into credentials: the portal's
/// `GetRoleCredentials` ([SSO API](https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html))
/// and OIDC's `CreateToken` with a refresh token
/// ([OIDC API](https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html)).
///
/// They reach the endpoints the client resolves for `portal.sso` and `oidc` in the sign-in's region, so
/// `--endpoint-url`, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC` and the profile's
/// `endpoint_url` settings apply. Every error and log line has the tokens and the client secret taken out.
enum SSOCalls {
    /// Role credentials for the profile's account and role, from the portal.
    /// - Throws: ``AWSServiceError`` (redacted) as the portal answered, or `AWSClientError` for the network.
    static func getRoleCredentials(_ sso: SSOProfile, token: SSOToken, client: AWS) async throws -> AWSCredentials {
        var headers = HTTPHeaders()
        headers.add("x-amz-sso_bearer_token", token.accessToken)
        headers.add("Accept", "application/json")
        let body = try await send(
            .ssoPortal, "GetRoleCredentials", method: "GET", path: "/federation/credentials",
            query: [("account_id", sso.accountId), ("role_name", sso.roleName)], headers: headers, body: Data(),
            region: sso.region, secrets: token.secrets, client: client)
        guard case .object(let answer)? = try? JSONValue.parse(body),
            case .object(let role)? = answer["roleCredentials"],
            let keyId = role["accessKeyId"]?.stringValue, let secret = role["secretAccessKey"]?.stringValue
        else {
            throw AWSClientError(
                .invalidResponse, "IAM Identity Center's GetRoleCredentials answered without roleCredentials.")
        }
        // Epoch milliseconds.
        let expiration = role["expiration"]?.numberValue.flatMap { milliseconds -> Date? in
            guard milliseconds.isFinite, abs(milliseconds) < 1.0e15 else { return nil }
            return Date(timeIntervalSince1970: milliseconds / 1000)
        }
        return AWSCredentials(
            accessKeyId: keyId, secretAccessKey: secret, sessionToken: role["sessionToken"]?.stringValue,
            expiration: expiration, accountId: sso.accountId)
    }

    /// A new access token for `token`'s refresh token: OIDC `CreateToken` with `grant_type` `refresh_token`.
    /// - Returns: the access token, when it expires, and the new refresh token if OIDC gave one.
    /// - Throws: ``AWSServiceError`` (redacted) as OIDC answered, or `AWSClientError`.
    static func createToken(_ sso: SSOProfile, token: SSOToken, client: AWS) async throws
        -> (accessToken: String, expiresAt: Date, refreshToken: String?)
    {
        let request: JSONValue = .object([
            "clientId": .string(token.clientId ?? ""), "clientSecret": .string(token.clientSecret ?? ""),
            "grantType": "refresh_token", "refreshToken": .string(token.refreshToken ?? ""),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        let started = client.configuration.clock.now()
        let body = try await send(
            .ssoOIDC, "CreateToken", method: "POST", path: "/token", query: [], headers: headers,
            body: try encoder.encode(request), region: sso.region, secrets: token.secrets, client: client)
        guard case .object(let answer)? = try? JSONValue.parse(body),
            let accessToken = answer["accessToken"]?.stringValue,
            !accessToken.isEmpty, let seconds = answer["expiresIn"]?.numberValue, seconds.isFinite, seconds > 0,
            seconds < 1.0e9
        else {
            throw AWSClientError(
                .invalidResponse, "IAM Identity Center OIDC's CreateToken answered without accessToken and expiresIn.")
        }
        return (accessToken, started.addingTimeInterval(seconds), answer["refreshToken"]?.stringValue)
    }

    /// Sends one unsigned call, retrying what the client's retry policy retries (connection failures, throttling,
    /// 5xx) with its delays.
    private static func send(
        _ service: AWSService, _ operation: String, method: String, path: String, query: [(String, String)],
        headers: HTTPHeaders, body: Data, region: String, secrets: [String], client: AWS
    ) async throws -> Data {
        let endpoint = try client.endpoints.resolve(service, region: region)
        var headers = headers
        headers.add("User-Agent", client.configuration.userAgent)
        let request = HTTPRequest(
            method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
            path: endpoint.basePath + path, query: URIEncoding.query(query), headers: headers, body: body)
        let policy = client.configuration.retry
        let what = "\(service.id) \(operation) in \(region) (\(endpoint))"
        var attempt = 0
        while true {
            attempt += 1
            let lastError: any Error
            do {
                let response = try await client.configuration.transport.send(request, timeout: policy.attemptTimeout)
                if response.isSuccess { return response.body }
                let error = redacted(AWSErrorParser.parse(response, service: service, operation: operation), secrets)
                guard error.isRetryable, attempt < policy.maxAttempts else { throw error }
                lastError = error
            } catch let error as AWSClientError
                where [.connectionLost, .connectionFailed, .timedOut].contains(error.code)
            {
                guard attempt < policy.maxAttempts else {
                    throw AWSClientError(
                        .retriesExhausted, "\(what) failed \(attempt) times in a row; giving up.", underlying: error,
                        attempts: attempt)
                }
                lastError = error
            }
            let delay = policy.delay(afterAttempt: attempt, random: client.configuration.random())
            client.log("Retrying \(what) in \(String(format: "%.3f", delay.seconds)) s after: \(lastError)")
            try await client.configuration.clock.sleep(for: delay)
        }
    }

    /// `error` with the secrets taken out of its message and body; OIDC's `error_description` becomes the message.
    private static func redacted(_ error: AWSServiceError, _ secrets: [String]) -> AWSServiceError {
        func clean(_ text: String) -> String {
            var result = text
            for secret in secrets where secret.count >= 8 {
                result = result.replacingOccurrences(of: secret, with: "<redacted>")
            }
            return result
        }
        var message = error.message
        if message.isEmpty, case .object(let body)? = try? JSONValue.parse(Data(error.body)) {
            message = body["error_description"]?.stringValue ?? body["error"]?.stringValue ?? ""
        }
        return AWSServiceError(
            code: error.code, message: clean(message), requestId: error.requestId, statusCode: error.statusCode,
            service: error.service, operation: error.operation,
            body: Array(clean(String(decoding: error.body, as: UTF8.self)).utf8))
    }
}
