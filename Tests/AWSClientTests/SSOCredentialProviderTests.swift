import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// IAM Identity Center profiles as the AWS CLI resolves them: both forms of the config, the token `aws sso login`
/// caches, its refresh, the portal's answers, and what every failure tells the user to do. Against files in a
/// temporary home and a mock transport; nothing reaches the network.
@Suite struct SSOCredentialProviderTests {
    static let startURL = "https://my-sso-portal.awsapps.com/start"
    static let accessToken = "aoaACCESStokenCANARY0123456789abcdef"
    static let refreshToken = "aorREFRESHtokenCANARY0123456789abcdef"
    static let clientSecret = "clientSECRETcanary0123456789abcdef"
    static let roleSecret = "ssoROLEsecretCANARY0123456789"
    static let roleToken = "ssoROLEsessionTOKENcanary0123456789"
    static let now = Date(timeIntervalSince1970: 1_764_374_400)

    static let sessionConfig = """
        [profile dev]
        sso_session = my-sso
        sso_account_id = 111122223333
        sso_role_name = Responder
        region = eu-west-1
        [sso-session my-sso]
        sso_start_url = \(startURL)
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access
        """

    static let legacyConfig = """
        [profile old]
        sso_start_url = \(startURL)
        sso_region = us-east-2
        sso_account_id = 111122223333
        sso_role_name = Responder
        """

    /// What the CLI caches: `expiresAt` `expiresIn` seconds from the test clock's start; with a refresh token
    /// and client registration unless `refreshable` is false.
    static func token(expiresIn: TimeInterval, refreshable: Bool = true, registrationExpiresIn: TimeInterval = 86400)
        -> String
    {
        var fields = [
            "\"startUrl\": \"\(startURL)\"", "\"region\": \"eu-west-1\"", "\"accessToken\": \"\(accessToken)\"",
            "\"expiresAt\": \"\(UTCTimestamp(now.addingTimeInterval(expiresIn)).iso8601)\"",
        ]
        if refreshable {
            fields += [
                "\"refreshToken\": \"\(refreshToken)\"", "\"clientId\": \"client-1\"",
                "\"clientSecret\": \"\(clientSecret)\"",
                "\"registrationExpiresAt\": \"\(UTCTimestamp(now.addingTimeInterval(registrationExpiresIn)).iso8601)\"",
                "\"scopes\": [\"sso:account:access\"]",
            ]
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// The portal's answer, with an expiry one hour after the clock's start, in epoch milliseconds.
    static func roleAnswer() -> HTTPResponse {
        let expiration = Int64(now.timeIntervalSince1970 + 3600) * 1000
        let body = """
            {"roleCredentials":{"accessKeyId":"ASIASSOROLE","secretAccessKey":"\(roleSecret)",\
            "sessionToken":"\(roleToken)","expiration":\(expiration)}}
            """
        return HTTPResponse(statusCode: 200, headers: ["x-amzn-RequestId": "sso-1"], body: Data(body.utf8))
    }

    static func error(_ status: Int, _ type: String, _ body: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: ["x-amzn-ErrorType": type], body: Data(body.utf8))
    }

    /// A home with `config` and, when given, a token cached under `key`.
    static func home(config: String, token: String? = nil, key: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        _ = try folder.write("config", config)
        if let token {
            try FileManager.default.createDirectory(
                atPath: folder.path(".aws/sso/cache"), withIntermediateDirectories: true)
            _ = try folder.write(".aws/sso/cache/\(key).json", token)
        }
        return folder
    }

    static func client(
        _ folder: TemporaryFolder, profile: String, env: [String: String] = [:], transport: MockTransport,
        log: (@Sendable (String) -> Void)? = nil
    ) throws -> AWS {
        try AWS(
            AWSConfiguration(
                profile: profile, environment: testEnvironment(folder, env),
                retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)), transport: transport,
                clock: TestClock(now), random: { 0.5 }, log: log))
    }

    static let sessionKey = "0ad374308c5a4e22f723adf10145eafad7c4031c"  // botocore: SHA-1 of "my-sso"
    static let legacyKey = "c7aaaf71fcc8777ae2475525ed049d39fe16c484"  // botocore: SHA-1 of the start URL

    // MARK: Configuration

    @Test func readsTheSSOSessionForm() throws {
        let folder = try Self.home(config: Self.sessionConfig, key: Self.sessionKey)
        defer { folder.remove() }
        let shared = try SharedConfig.load(environment: testEnvironment(folder))
        let sso = try #require(try SSOProfile.load(profile: "dev", from: shared))
        #expect(sso.startURL == Self.startURL && sso.region == "eu-west-1")
        #expect(sso.accountId == "111122223333" && sso.roleName == "Responder")
        #expect(sso.sessionName == "my-sso" && sso.registrationScopes == "sso:account:access")
        #expect(sso.cacheKey == Self.sessionKey)
        #expect(sso.cachePath(home: "/h") == "/h/.aws/sso/cache/\(Self.sessionKey).json")
    }

    @Test func readsTheLegacyForm() throws {
        let folder = try Self.home(config: Self.legacyConfig, key: Self.legacyKey)
        defer { folder.remove() }
        let shared = try SharedConfig.load(environment: testEnvironment(folder))
        let sso = try #require(try SSOProfile.load(profile: "old", from: shared))
        #expect(sso.sessionName == nil && sso.region == "us-east-2")
        #expect(sso.cacheKey == Self.legacyKey)
        #expect(try SSOProfile.load(profile: "missing", from: shared) == nil)
    }

    @Test func cacheKeysAreBotocores() throws {
        let inputs = [Self.startURL, "my-sso", "", "sessión ünïcode"]
        guard let python = Python.path else { return }
        let script = """
            import sys
            from botocore.utils import SSOTokenLoader
            loader = SSOTokenLoader(cache={})
            for name in sys.argv[1:]:
                print(loader._generate_cache_key(name, None))
            """
        let (status, output, errors) = try Subprocess.run(python, ["-c", script] + inputs)
        if status != 0 && errors.contains("No module named 'botocore'") { return }  // the constants above still check
        try #require(status == 0, "\(errors)")
        let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        let ours = inputs.map {
            SSOProfile(profile: "p", startURL: $0, region: "r", accountId: "a", roleName: "n").cacheKey
        }
        #expect(ours == expected)
    }

    @Test(arguments: [
        (
            "[profile p]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n",
            "no [sso-session gone] section: add it (with sso_start_url and sso_region), or run `aws configure sso"
        ),
        (
            "[profile p]\nsso_session = s\nsso_start_url = https://a\nsso_account_id = 1\nsso_role_name = R\n"
                + "[sso-session s]\nsso_start_url = https://b\nsso_region = us-east-1\n",
            "sets sso_start_url to https://a and its [sso-session s] to https://b: keep it in the sso-session"
        ),
        (
            "[profile p]\nsso_session = s\nsso_account_id = 1\n[sso-session s]\nsso_start_url = https://a\n",
            "lacks sso_role_name, sso_region: add them (sso_start_url and sso_region go in its [sso-session s] section)"
        ),
        (
            "[profile p]\nsso_start_url = https://a\nsso_role_name = R\n",
            "lacks sso_account_id, sso_region: add them (sso_start_url and sso_region go in the profile), or run "
                + "`aws configure sso --profile p`"
        ),
    ])
    func incompleteProfilesSayWhatToAdd(config: String, expected: String) async throws {
        let folder = try Self.home(config: config, key: "")
        defer { folder.remove() }
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 500) }
        let error = await #expect(throws: AWSClientError(.invalidConfiguration, "")) {
            _ = try await Self.client(folder, profile: "p", transport: transport).credentials()
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(transport.requests.isEmpty)
    }

    // MARK: Exchange

    @Test func exchangesACurrentTokenForRoleCredentials() async throws {
        let folder = try Self.home(
            config: Self.legacyConfig, token: Self.token(expiresIn: 3600, refreshable: false), key: Self.legacyKey)
        defer { folder.remove() }
        let transport = MockTransport { _, _ in Self.roleAnswer() }
        let resolved = try await Self.client(folder, profile: "old", transport: transport).credentials()
        #expect(resolved.credentials.accessKeyId == "ASIASSOROLE")
        #expect(resolved.credentials.secretAccessKey == Self.roleSecret)
        #expect(resolved.credentials.sessionToken == Self.roleToken)
        #expect(resolved.credentials.expiration == Self.now.addingTimeInterval(3600))
        #expect(resolved.credentials.accountId == "111122223333")
        #expect(resolved.source == "sso (profile old, role Responder in 111122223333)")
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET" && request.host == "portal.sso.us-east-2.amazonaws.com")
        #expect(request.path == "/federation/credentials")
        #expect(request.query == "account_id=111122223333&role_name=Responder")
        #expect(request.headers["x-amz-sso_bearer_token"] == Self.accessToken)
        #expect(request.headers["Authorization"] == nil, "the portal call is not signed")
    }

    @Test func honoursServiceSpecificEndpoints() async throws {
        let folder = try Self.home(
            config: Self.sessionConfig, token: Self.token(expiresIn: 60), key: Self.sessionKey)
        defer { folder.remove() }
        let transport = MockTransport { request, _ in
            if request.path == "/oidc/token" {
                return HTTPResponse(
                    statusCode: 200,
                    body: Data(#"{"accessToken":"aoaNEWtoken0123456789","expiresIn":3600,"tokenType":"Bearer"}"#.utf8))
            }
            return Self.roleAnswer()
        }
        let env = [
            "AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:4581/portal",
            "AWS_ENDPOINT_URL_SSO_OIDC": "http://127.0.0.1:4582/oidc",
        ]
        _ = try await Self.client(folder, profile: "dev", env: env, transport: transport).credentials()
        let requests = transport.requests
        #expect(requests.map(\.port) == [4582, 4581])
        #expect(requests.map(\.path) == ["/oidc/token", "/portal/federation/credentials"])
        #expect(requests.allSatisfy { $0.isLoopback })

        let lab = MockTransport { request, _ in
            #expect(request.host == "127.0.0.1" && request.port == 4580)
            return Self.roleAnswer()
        }
        _ = try folder.write(
            "config",
            Self.sessionConfig.replacingOccurrences(
                of: "region = eu-west-1\n[sso", with: "region = eu-west-1\nendpoint_url = http://127.0.0.1:4580\n[sso"))
        _ = try folder.write(".aws/sso/cache/\(Self.sessionKey).json", Self.token(expiresIn: 3600))
        _ = try await Self.client(folder, profile: "dev", transport: lab).credentials()
        #expect(lab.requests.count == 1)
    }

    @Test func refreshesAnExpiringSessionTokenAndSavesItAsTheCLIDoes() async throws {
        let folder = try Self.home(
            config: Self.sessionConfig, token: Self.token(expiresIn: 5 * 60), key: Self.sessionKey)
        defer { folder.remove() }
        let transport = MockTransport { request, _ in
            if request.path == "/token" {
                return HTTPResponse(
                    statusCode: 200,
                    body: Data(
                        #"{"accessToken":"aoaREFRESHEDtoken012345","expiresIn":3600,"tokenType":"Bearer","refreshToken":"aorROTATEDtoken012345"}"#
                            .utf8))
            }
            return Self.roleAnswer()
        }
        let resolved = try await Self.client(folder, profile: "dev", transport: transport).credentials()
        #expect(resolved.credentials.accessKeyId == "ASIASSOROLE")
        let requests = transport.requests
        #expect(requests.count == 2)
        let refresh = requests[0]
        #expect(refresh.method == "POST" && refresh.host == "oidc.eu-west-1.amazonaws.com")
        #expect(refresh.headers["Authorization"] == nil)
        let sent = try JSONValue.parse(refresh.body)
        #expect(sent["grantType"]?.stringValue == "refresh_token")
        #expect(sent["clientId"]?.stringValue == "client-1")
        #expect(sent["clientSecret"]?.stringValue == Self.clientSecret)
        #expect(sent["refreshToken"]?.stringValue == Self.refreshToken)
        #expect(requests[1].headers["x-amz-sso_bearer_token"] == "aoaREFRESHEDtoken012345")

        let path = folder.path(".aws/sso/cache/\(Self.sessionKey).json")
        let saved = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(saved["accessToken"]?.stringValue == "aoaREFRESHEDtoken012345")
        #expect(saved["refreshToken"]?.stringValue == "aorROTATEDtoken012345")
        #expect(saved["expiresAt"]?.stringValue == UTCTimestamp(Self.now.addingTimeInterval(3600)).iso8601)
        #expect(saved["clientSecret"]?.stringValue == Self.clientSecret)
        #expect(saved["startUrl"]?.stringValue == Self.startURL && saved["region"]?.stringValue == "eu-west-1")
        #expect(saved["scopes"] == .array(["sso:account:access"]), "what Custody does not read is kept")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path(".aws/sso/cache"))
        #expect(leftovers == ["\(Self.sessionKey).json"], "no temporary file is left behind")
    }

    @Test func theLegacyFormIsNeverRefreshed() async throws {
        let folder = try Self.home(
            config: Self.legacyConfig, token: Self.token(expiresIn: 5 * 60), key: Self.legacyKey)
        defer { folder.remove() }
        let transport = MockTransport { _, _ in Self.roleAnswer() }
        _ = try await Self.client(folder, profile: "old", transport: transport).credentials()
        #expect(transport.requests.map(\.path) == ["/federation/credentials"])
    }

    // MARK: Failures say what to do

    @Test func anExpiredLegacyTokenSaysToSignInAgain() async throws {
        let folder = try Self.home(
            config: Self.legacyConfig, token: Self.token(expiresIn: -60, refreshable: false), key: Self.legacyKey)
        defer { folder.remove() }
        let transport = MockTransport { _, _ in Self.roleAnswer() }
        let error = await #expect(throws: AWSClientError(.credentialProviderFailed, "")) {
            _ = try await Self.client(folder, profile: "old", transport: transport).credentials()
        }
        let message = error?.description ?? ""
        #expect(message.contains("expired at 2025-11-28T23:59:00Z"), "\(message)")
        #expect(message.contains("`aws sso login --profile old`"))
        #expect(!message.contains("Pass --profile"))
        #expect(transport.requests.isEmpty, "an expired token is not sent")
    }

    @Test(arguments: [
        ("refused", 1.0), ("registration expired", -1.0), ("no refresh token", 0.0),
    ])
    func anExpiredSessionTokenThatCannotBeRefreshedSaysToSignInAgain(why: String, registration: Double) async throws {
        let token =
            registration == 0
            ? Self.token(expiresIn: -60, refreshable: false)
            : Self.token(expiresIn: -60, registrationExpiresIn: registration * 86400)
        let folder = try Self.home(config: Self.sessionConfig, token: token, key: Self.sessionKey)
        defer { folder.remove() }
        let transport = MockTransport { request, _ in
            if request.path == "/token" {
                return Self.error(
                    400, "InvalidGrantException",
                    #"{"error":"invalid_grant","error_description":"Invalid refresh token provided"}"#)
            }
            return Self.roleAnswer()
        }
        let error = await #expect(throws: AWSClientError(.credentialProviderFailed, "")) {
            _ = try await Self.client(folder, profile: "dev", transport: transport).credentials()
        }
        let message = error?.description ?? ""
        #expect(message.contains("sign-in of profile 'dev' expired at"), "\(message)")
        #expect(message.contains("could not be refreshed"))
        #expect(message.contains("`aws sso login --profile dev`"))
        switch why {
        case "refused":
            #expect(message.contains("InvalidGrantException: Invalid refresh token provided"), "\(message)")
            #expect(transport.requests.map(\.path) == ["/token"])
        case "registration expired":
            #expect(message.contains("client registration expired"))
            #expect(transport.requests.isEmpty)
        default:
            #expect(message.contains("no refresh token"))
            #expect(transport.requests.isEmpty)
        }
    }

    @Test func noSignInSaysToSignIn() async throws {
        let folder = try Self.home(config: Self.sessionConfig, key: Self.sessionKey)
        defer { folder.remove() }
        let error = await #expect(throws: AWSClientError(.credentialProviderFailed, "")) {
            _ = try await Self.client(folder, profile: "dev", transport: MockTransport { _, _ in Self.roleAnswer() })
                .credentials()
        }
        #expect(error?.message.contains("no sign-in was found") == true)
        #expect(error?.message.contains("run `aws sso login --profile dev`") == true)
        try FileManager.default.createDirectory(
            atPath: folder.path(".aws/sso/cache"), withIntermediateDirectories: true)
        _ = try folder.write(".aws/sso/cache/\(Self.sessionKey).json", #"{"accessToken": "x"}"#)
        let broken = await #expect(throws: AWSClientError(.credentialProviderFailed, "")) {
            _ = try await Self.client(folder, profile: "dev", transport: MockTransport { _, _ in Self.roleAnswer() })
                .credentials()
        }
        #expect(broken?.message.contains("it has no expiresAt") == true)
    }

    @Test(arguments: [
        (401, "UnauthorizedException", "expired or was revoked", "aws sso login --profile old"),
        (403, "ForbiddenException", "no role Responder in account 111122223333", "aws sso list-account-roles"),
    ])
    func portalRefusalsSayWhatToDo(status: Int, type: String, meaning: String, remedy: String) async throws {
        let folder = try Self.home(
            config: Self.legacyConfig, token: Self.token(expiresIn: 3600, refreshable: false), key: Self.legacyKey)
        defer { folder.remove() }
        let transport = MockTransport { _, _ in Self.error(status, type, #"{"message":"No access"}"#) }
        let error = await #expect(throws: AWSClientError(.credentialProviderFailed, "")) {
            _ = try await Self.client(folder, profile: "old", transport: transport).credentials()
        }
        #expect(error?.message.contains(meaning) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(remedy) == true)
        #expect(transport.requests.count == 1, "a refusal is not retried")
    }

    @Test func aRevokedSessionTokenIsRefreshedOnce() async throws {
        let folder = try Self.home(
            config: Self.sessionConfig, token: Self.token(expiresIn: 3600), key: Self.sessionKey)
        defer { folder.remove() }
        let transport = MockTransport { request, index in
            if request.path == "/token" {
                return HTTPResponse(
                    statusCode: 200, body: Data(#"{"accessToken":"aoaAFTERrevoke012345","expiresIn":3600}"#.utf8))
            }
            if index == 1 { return Self.error(401, "UnauthorizedException", #"{"message":"Session token not found"}"#) }
            return Self.roleAnswer()
        }
        let resolved = try await Self.client(folder, profile: "dev", transport: transport).credentials()
        #expect(resolved.credentials.accessKeyId == "ASIASSOROLE")
        #expect(transport.requests.map(\.path) == ["/federation/credentials", "/token", "/federation/credentials"])
    }

    // MARK: In the chain

    @Test func aRoleProfileCanTakeItsSourceCredentialsFromSSO() async throws {
        let config =
            Self.sessionConfig
            + "\n[profile target]\nrole_arn = arn:aws:iam::222233334444:role/Responder\nsource_profile = dev\n"
        let folder = try Self.home(config: config, token: Self.token(expiresIn: 3600), key: Self.sessionKey)
        defer { folder.remove() }
        let transport = MockTransport { request, _ in
            request.path == "/federation/credentials" ? Self.roleAnswer() : CredentialChainTests.assumeRoleAnswer()
        }
        let resolved = try await Self.client(folder, profile: "target", transport: transport).credentials()
        #expect(resolved.credentials.accessKeyId == "ASIAASSUMED")
        let assume = try #require(transport.requests.last)
        #expect(assume.headers["Authorization"]?.contains("Credential=ASIASSOROLE/") == true)
    }

    @Test func aNamedProfileWithoutCredentialsIsNotToldToPassAProfile() async throws {
        let folder = try Self.home(config: "[profile bare]\nregion = eu-west-1\n", key: "")
        defer { folder.remove() }
        let transport = MockTransport { _, _ in throw AWSClientError(.connectionFailed, "nobody home") }
        let error = await #expect(throws: AWSClientError(.credentialsNotFound, "")) {
            _ = try await Self.client(folder, profile: "bare", transport: transport).credentials()
        }
        let message = error?.message ?? ""
        #expect(!message.contains("Pass --profile"), "\(message)")
        #expect(message.contains("Profile 'bare' gives no AWS credentials Custody can use"))
        #expect(message.contains("sso (no sso_account_id or sso_role_name in profile 'bare')"))
        #expect(
            message.contains("credential_process = aws configure export-credentials --profile bare --format process"))
    }

    // MARK: Secrets

    @Test func noTokenOrSecretReachesAnErrorOrALogLine() async throws {
        let capture = SecretLeakTests.Capture()
        let log: @Sendable (String) -> Void = { capture.add($0) }
        let secrets = [Self.accessToken, Self.refreshToken, Self.clientSecret, Self.roleSecret, Self.roleToken]
        // A hostile endpoint that echoes everything it was sent (the bearer token, the refresh request's body),
        // in errors that are retried and in final ones.
        let hostile = MockTransport { request, index in
            let echo = [
                request.headers["x-amz-sso_bearer_token"] ?? "",
                String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "\"", with: "'"),
            ].joined(separator: " ")
            if request.path == "/token" {
                return Self.error(
                    index == 1 ? 500 : 400, "InvalidGrantException",
                    #"{"error":"invalid_grant","error_description":"bad \#(echo)"}"#)
            }
            return Self.error(
                index.isMultiple(of: 2) ? 503 : 401, "UnauthorizedException", #"{"message":"bad \#(echo)"}"#)
        }
        for (config, token, key, profile) in [
            (Self.sessionConfig, Self.token(expiresIn: -60), Self.sessionKey, "dev"),
            (Self.sessionConfig, Self.token(expiresIn: 3600), Self.sessionKey, "dev"),
            (Self.legacyConfig, Self.token(expiresIn: 3600, refreshable: false), Self.legacyKey, "old"),
        ] {
            let folder = try Self.home(config: config, token: token, key: key)
            defer { folder.remove() }
            let aws = try Self.client(folder, profile: profile, transport: hostile, log: log)
            do {
                _ = try await aws.credentials()
            } catch {
                capture.add("\(error)")
                capture.add(String(reflecting: error))
                capture.add(PreflightAdvice.line(for: error))
            }
        }
        // A good exchange: what the resolved credentials and the token print as.
        let folder = try Self.home(
            config: Self.sessionConfig, token: Self.token(expiresIn: 3600), key: Self.sessionKey)
        defer { folder.remove() }
        let resolved = try await Self.client(
            folder, profile: "dev", transport: MockTransport { _, _ in Self.roleAnswer() }, log: log
        ).credentials()
        capture.add("\(resolved)")
        let cached = try #require(try SSOTokenCache.read(folder.path(".aws/sso/cache/\(Self.sessionKey).json")))
        capture.add("\(cached)")

        let everything = capture.all
        #expect(everything.contains("UnauthorizedException"), "the scan saw the failures")
        #expect(everything.contains("Retrying"), "the scan saw the retries' log lines")
        #expect(everything.contains("<redacted>"), "the endpoint echoed secrets, and they were taken out")
        for secret in secrets {
            #expect(!everything.contains(secret), "a secret leaked into: \(everything.prefix(3000))")
        }
    }
}
