import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// The AWS CLI's credential chain, each provider against files in a temporary folder and a mock transport
/// (nothing here reaches the network, and the instance metadata service is never the real one).
@Suite struct CredentialChainTests {
    static func assumeRoleAnswer(
        account: String = "222233334444", keyId: String = "ASIAASSUMED", expiry: String = "2030-01-01T00:00:00Z"
    )
        -> HTTPResponse
    {
        let body = """
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>\(keyId)</AccessKeyId>
            <SecretAccessKey>assumed-secret-value</SecretAccessKey><SessionToken>assumed-token-value</SessionToken>
            <Expiration>\(expiry)</Expiration></Credentials><AssumedRoleUser>
            <Arn>arn:aws:sts::\(account):assumed-role/Responder/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId>
            </AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>ar</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """
        return HTTPResponse(statusCode: 200, body: Data(body.utf8))
    }

    static func client(
        _ folder: TemporaryFolder, profile: String? = nil, env: [String: String] = [:],
        transport: MockTransport = MockTransport { _, _ in HTTPResponse(statusCode: 500) },
        clock: TestClock = TestClock(),
        mfa: (@Sendable (String) async throws -> String)? = nil
    ) throws -> AWS {
        try AWS(
            AWSConfiguration(
                profile: profile, region: "eu-west-1", environment: testEnvironment(folder, env),
                retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)), transport: transport, clock: clock,
                mfaTokenCode: mfa))
    }

    @Test func environmentComesFirst() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n")
        let env = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "e", "AWS_SESSION_TOKEN": "t"]
        let resolved = try await Self.client(folder, env: env).credentials()
        #expect(resolved.credentials.accessKeyId == "AKIAENV" && resolved.source == "environment")
        #expect(resolved.credentials.sessionToken == "t")
        // AWS_PROFILE does not beat environment keys, an explicit profile does.
        _ = try folder.write("config", "[profile other]\nregion = us-east-2\n")
        _ = try folder.write("credentials", "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = o\n")
        let viaVariable = try await Self.client(folder, env: env.merging(["AWS_PROFILE": "other"]) { $1 }).credentials()
        #expect(viaVariable.credentials.accessKeyId == "AKIAENV")
        let explicit = try await Self.client(folder, profile: "other", env: env).credentials()
        #expect(explicit.credentials.accessKeyId == "AKIAOTHER")
        #expect(explicit.source == "shared-credentials-file (profile other)")
    }

    @Test func halfSetEnvironmentIsAnError() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        await #expect(throws: AWSClientError(.credentialProviderFailed, "")) {
            _ = try await Self.client(folder, env: ["AWS_ACCESS_KEY_ID": "AKIAENV"]).credentials()
        }
    }

    @Test func unknownProfilesAreNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let error = #expect(throws: AWSClientError(.profileNotFound, "")) {
            _ = try Self.client(folder, profile: "nope")
        }
        #expect(error?.message.contains("'nope'") == true)
        #expect(throws: AWSClientError(.profileNotFound, "")) {
            _ = try Self.client(folder, env: ["AWS_PROFILE": "missing"])
        }
    }

    @Test func credentialsFileWinsOverConfigFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "config",
            "# comment\n[profile p]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\n[default]\nregion=us-west-2\n"
        )
        let fromConfig = try await Self.client(folder, profile: "p").credentials()
        #expect(fromConfig.source == "config-file (profile p)")
        _ = try folder.write(
            "credentials", "[p]\naws_access_key_id=AKIACREDS\naws_secret_access_key=k\naws_account_id=111122223333\n")
        let fromCredentials = try await Self.client(folder, profile: "p").credentials()
        #expect(fromCredentials.credentials.accessKeyId == "AKIACREDS")
        #expect(fromCredentials.credentials.accountId == "111122223333")
        #expect(try Self.client(folder).region == "eu-west-1")
    }

    @Test func roleChainsThroughSourceProfiles() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "config",
            """
            [profile base]
            region = us-east-2
            [profile hop]
            role_arn = arn:aws:iam::111122223333:role/Hop
            source_profile = base
            [profile target]
            role_arn = arn:aws:iam::222233334444:role/Responder
            source_profile = hop
            external_id = case-42
            role_session_name = ir-session
            duration_seconds = 1800
            """)
        _ = try folder.write("credentials", "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n")
        let transport = MockTransport { request, index in
            index == 1 ? Self.assumeRoleAnswer(account: "111122223333", keyId: "ASIAHOP") : Self.assumeRoleAnswer()
        }
        let resolved = try await Self.client(folder, profile: "target", transport: transport).credentials()
        #expect(resolved.credentials.accessKeyId == "ASIAASSUMED")
        #expect(resolved.credentials.accountId == "222233334444")
        #expect(resolved.source.hasPrefix("assume-role (profile target"))
        let requests = transport.requests
        #expect(requests.count == 2)
        let first = PaginationAndProtocolTests.form(requests[0])
        let second = PaginationAndProtocolTests.form(requests[1])
        #expect(first["RoleArn"] == "arn:aws:iam::111122223333:role/Hop")
        #expect(requests[0].headers["Authorization"]?.contains("Credential=AKIABASE/") == true)
        #expect(second["RoleArn"] == "arn:aws:iam::222233334444:role/Responder")
        #expect(second["ExternalId"] == "case-42" && second["RoleSessionName"] == "ir-session")
        #expect(second["DurationSeconds"] == "1800")
        #expect(requests[1].headers["Authorization"]?.contains("Credential=ASIAHOP/") == true)
        #expect(requests[1].host == "sts.eu-west-1.amazonaws.com")
    }

    @Test func credentialSourceEnvironment() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "config", "[profile r]\nrole_arn = arn:aws:iam::222233334444:role/R\ncredential_source = Environment\n")
        let transport = MockTransport { _, _ in Self.assumeRoleAnswer() }
        let env = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "e"]
        let resolved = try await Self.client(folder, profile: "r", env: env, transport: transport).credentials()
        #expect(resolved.credentials.accessKeyId == "ASIAASSUMED")
        #expect(transport.requests.first?.headers["Authorization"]?.contains("AKIAENV") == true)
    }

    @Test func mfaIsRefusedWhenNoCodeCanBeAskedFor() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "config",
            "[profile m]\nrole_arn = arn:aws:iam::222233334444:role/R\nsource_profile = m\nmfa_serial = arn:aws:iam::1:mfa/me\n"
                + "aws_access_key_id = AKIAM\naws_secret_access_key = s\n")
        let transport = MockTransport { _, _ in Self.assumeRoleAnswer() }
        let error = await #expect(throws: AWSClientError(.mfaTokenRequired, "")) {
            _ = try await Self.client(folder, profile: "m", transport: transport).credentials()
        }
        #expect(error?.message.contains("arn:aws:iam::1:mfa/me") == true)
        #expect(transport.requests.isEmpty)
        let asked = try await Self.client(folder, profile: "m", transport: transport, mfa: { _ in "123456" })
            .credentials()
        #expect(asked.credentials.accessKeyId == "ASIAASSUMED")
        let fields = PaginationAndProtocolTests.form(try #require(transport.requests.first))
        #expect(fields["TokenCode"] == "123456" && fields["SerialNumber"] == "arn:aws:iam::1:mfa/me")
    }

    @Test func cyclesAreReported() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "config",
            "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n"
        )
        await #expect(throws: AWSClientError(.invalidConfiguration, "")) {
            _ = try await Self.client(folder, profile: "a").credentials()
        }
    }

    @Test func credentialProcess() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let script = try folder.write(
            "creds.sh",
            """
            #!/bin/sh
            printf '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "%s", "SessionToken": "tok", "Expiration": "2031-01-01T00:00:00Z"}' "$1"
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let failing = try folder.write("fail.sh", "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: failing)
        _ = try folder.write(
            "config",
            "[profile p]\ncredential_process = \(script) 'proc secret'\n[profile f]\ncredential_process = \(failing)\n")
        let resolved = try await Self.client(folder, profile: "p").credentials()
        #expect(resolved.credentials.accessKeyId == "AKIAPROC")
        #expect(resolved.credentials.secretAccessKey == "proc secret")
        #expect(resolved.credentials.expiration == Date(timeIntervalSince1970: 1_924_992_000))
        let error = await #expect(throws: AWSClientError(.credentialProviderFailed, "")) {
            _ = try await Self.client(folder, profile: "f").credentials()
        }
        #expect(error?.message.contains("status 3: token expired, run login") == true)
        #expect(ProcessCredentialProvider.split(#"a "b c" 'd e' f\ g"#) == ["a", "b c", "d e", "f g"])
    }

    @Test func webIdentity() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tokenFile = try folder.write("token", "eyJ-web-identity-token\n")
        let transport = MockTransport { _, _ in
            let body = Self.assumeRoleAnswer().body
            let text = String(decoding: body, as: UTF8.self).replacingOccurrences(
                of: "AssumeRole", with: "AssumeRoleWithWebIdentity")
            return HTTPResponse(statusCode: 200, body: Data(text.utf8))
        }
        let env = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::222233334444:role/Web"]
        let resolved = try await Self.client(folder, env: env, transport: transport).credentials()
        #expect(
            resolved.credentials.accessKeyId == "ASIAASSUMED"
                && resolved.source == "web-identity (arn:aws:iam::222233334444:role/Web)")
        let request = try #require(transport.requests.first)
        #expect(request.headers["Authorization"] == nil)
        #expect(PaginationAndProtocolTests.form(request)["WebIdentityToken"] == "eyJ-web-identity-token")
    }

    @Test func containerCredentials() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tokenFile = try folder.write("auth", "container-auth-token\n")
        let transport = MockTransport { request, _ in
            #expect(request.host == "127.0.0.1" && request.port == 51679 && request.path == "/v2/credentials/x")
            #expect(request.headers["Authorization"] == "container-auth-token")
            let body =
                #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"c","Token":"t","Expiration":"2031-01-01T00:00:00Z"}"#
            return HTTPResponse(statusCode: 200, body: Data(body.utf8))
        }
        let env = [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:51679/v2/credentials/x",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ]
        let resolved = try await Self.client(folder, env: env, transport: transport).credentials()
        #expect(resolved.credentials.accessKeyId == "ASIACONT")
        let refused = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.0.2.10/creds"]
        await #expect(throws: AWSClientError(.invalidConfiguration, "")) {
            _ = try await Self.client(folder, env: refused, transport: transport).credentials()
        }
    }

    @Test func instanceMetadataUsesIMDSv2() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let transport = MockTransport { request, _ in
            #expect(request.host == "127.0.0.1" && request.port == 1338)
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                #expect(request.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
                return HTTPResponse(statusCode: 200, body: Data("imds-token".utf8))
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                #expect(request.headers["x-aws-ec2-metadata-token"] == "imds-token")
                return HTTPResponse(statusCode: 200, body: Data("web-role\n".utf8))
            case ("GET", "/latest/meta-data/iam/security-credentials/web-role"):
                #expect(request.headers["x-aws-ec2-metadata-token"] == "imds-token")
                let body =
                    #"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"i","Token":"t","Expiration":"2031-01-01T00:00:00Z"}"#
                return HTTPResponse(statusCode: 200, body: Data(body.utf8))
            default:
                return HTTPResponse(statusCode: 404)
            }
        }
        let env = ["AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1338"]
        let resolved = try await Self.client(folder, env: env, transport: transport).credentials()
        #expect(
            resolved.credentials.accessKeyId == "ASIAIMDS" && resolved.source == "instance-metadata (role web-role)")
        #expect(transport.requests.count == 3)
    }

    @Test func nothingFoundListsWhatWasTried() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let transport = MockTransport { _, _ in throw AWSClientError(.connectionFailed, "nobody home") }
        let env = ["AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1338"]
        let error = await #expect(throws: AWSClientError(.credentialsNotFound, "")) {
            _ = try await Self.client(folder, env: env, transport: transport).sts.getCallerIdentity()
        }
        let message = error?.message ?? ""
        for tried in [
            "environment variables", "assume-role", "web identity", "shared-credentials-file", "credential_process",
            "config-file", "container credentials", "instance metadata (no answer from http://127.0.0.1:1338",
        ] {
            #expect(message.contains(tried), "missing \(tried) in: \(message)")
        }
        #expect(transport.requests.allSatisfy { $0.isLoopback })
    }

    @Test func temporaryCredentialsRefreshBeforeTheyExpire() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_900_000_000))
        let transport = MockTransport { _, index in
            let expiry = UTCTimestamp(seconds: 1_900_000_000 + (index == 1 ? 20 * 60 : 7200)).iso8601
            return Self.assumeRoleAnswer(keyId: "ASIA\(index)", expiry: expiry)
        }
        let base = try testClient(transport: transport, clock: clock)
        let role = base.assumingRole("arn:aws:iam::222233334444:role/Responder", sessionName: "s")
        #expect(try await role.credentials().credentials.accessKeyId == "ASIA1")
        clock.advance(by: 60)
        #expect(try await role.credentials().credentials.accessKeyId == "ASIA1")
        clock.advance(by: 5 * 60)  // 14 minutes left: inside the 15-minute refresh window
        #expect(try await role.credentials().credentials.accessKeyId == "ASIA2")
        #expect(transport.requests.count == 2)
    }

    @Test func iniParsing() {
        let sections = ConfigFileParser.parse(
            """
            [profile  spaced ]
            Region = eu-west-1
            ; comment
            s3 =
              endpoint_url = http://127.0.0.1:1
              addressing_style = path
            key=value = with equals
            """)
        let section = sections["profile spaced"]
        #expect(section?["region"] == "eu-west-1")
        #expect(section?.nested["s3"]?["addressing_style"] == "path")
        #expect(section?["key"] == "value = with equals")
    }
}
