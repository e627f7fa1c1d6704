import CustodyTestSupport
import Foundation
import Testing

/// `custody collect` and `custody preflight` with the profiles responders sign in with: IAM Identity Center
/// (after `aws sso login`) and roles that need an MFA code, against the lab, from a clean environment.
@Suite(.serialized)
final class CredentialProfileCommandTests {
    let lab: LabServer
    let folder: TemporaryFolder
    static let role = "OrganizationAccountAccessRole"

    init() throws {
        lab = try LabServer(accounts: 3)
        folder = try TemporaryFolder()
    }

    /// `custody collect` with `home` as HOME and no AWS variable but `environment`.
    func collect(_ arguments: [String], home: String, environment: [String: String] = [:]) throws
        -> ExternalTool.Result
    {
        try CustodyBinary.tool.run(
            ["collect", "--case", folder.file("case"), "--regions", "us-east-1", "--cloudtrail", "none"] + arguments,
            environment: ["HOME": home, "AWS_EC2_METADATA_DISABLED": "true"].merging(environment) { $1 },
            withoutAWSVariables: true)
    }

    func cachedToken(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    // MARK: IAM Identity Center

    @Test func collectsWithAnSSOSessionProfile() throws {
        let home = try TemporaryFolder()
        try lab.signInWithSSO(home: home.path, profile: "responder", account: "222222222222", role: Self.role)
        let result = try collect(["--profile", "responder"], home: home.path)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.text.contains("/222222222222/000001-"), "\(result.text)")
        let arn = "arn:aws:sts::222222222222:assumed-role/\(Self.role)/lab-sso-user"
        let calls = try lab.records().filter { ($0["userIdentity"] as? [String: Any])?["arn"] as? String == arn }
        #expect(!calls.isEmpty, "the collection's calls are made as the role's IAM Identity Center session")
    }

    @Test func refreshesAnExpiredSSOSessionTokenAndSavesIt() throws {
        let home = try TemporaryFolder()
        let cache = try lab.signInWithSSO(
            home: home.path, profile: "responder", account: "333333333333", role: Self.role, expiresIn: -60)
        let before = try cachedToken(cache)
        let result = try collect(["--profile", "responder"], home: home.path)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.text.contains("/333333333333/000001-"), "\(result.text)")
        let after = try cachedToken(cache)
        #expect(after["accessToken"] as? String != before["accessToken"] as? String)
        #expect(after["refreshToken"] as? String != before["refreshToken"] as? String)
        let permissions = try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func anExpiredLegacySignInSaysToSignInAgain() throws {
        let home = try TemporaryFolder()
        let cache = try lab.signInWithSSO(
            home: home.path, profile: "responder", account: "222222222222", role: Self.role, legacy: true,
            expiresIn: -60)
        let token = try #require(try cachedToken(cache)["accessToken"] as? String)
        let result = try collect(["--profile", "responder"], home: home.path)
        #expect(result.status == 1)
        #expect(result.error.contains("expired at"), "\(result.error)")
        #expect(result.error.contains("aws sso login --profile responder"))
        #expect(!result.error.contains("Pass --profile"))
        #expect(!result.error.contains(token) && !result.text.contains(token))
        #expect(!FileManager.default.fileExists(atPath: folder.file("case")))
    }

    // MARK: MFA

    /// A config with the lab's profiles and `mfa`, which assumes a role in the management account with its
    /// administrator's keys and an MFA device.
    func mfaEnvironment() throws -> [String: String] {
        let account = "111111111111"
        let create = """
            import json, sys, boto3
            lab = json.load(open(sys.argv[1]))
            admin = lab["accounts"][0]["administrator"]
            iam = boto3.client("iam", region_name="us-east-1", endpoint_url=lab["endpoint"],
                aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"])
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "\(account)"},
                "Action": "sts:AssumeRole"}]}
            iam.create_role(RoleName="MFAResponder", AssumeRolePolicyDocument=json.dumps(trust))
            iam.attach_role_policy(RoleName="MFAResponder", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
            """
        let made = try #require(ExternalTool.python3).run(
            ["-c", create, lab.state.file("lab.json")], withoutAWSVariables: true)
        try #require(made.status == 0, "\(made.error)")
        var config = try String(contentsOfFile: lab.state.file("aws/config"), encoding: .utf8)
        config += """

            [profile mfa]
            role_arn = arn:aws:iam::\(account):role/MFAResponder
            source_profile = lab-\(account)
            mfa_serial = arn:aws:iam::\(account):mfa/lab-admin
            region = us-east-1
            endpoint_url = \(lab.endpoint)

            """
        return [
            "AWS_CONFIG_FILE": try folder.write("config", Data(config.utf8)),
            "AWS_SHARED_CREDENTIALS_FILE": lab.state.file("aws/credentials"),
        ]
    }

    /// The AssumeRole records that carried `code`.
    func assumeRolesWith(code: String) throws -> [[String: Any]] {
        try lab.records().filter {
            $0["eventName"] as? String == "AssumeRole"
                && ($0["requestParameters"] as? [String: Any])?["tokenCode"] as? String == code
        }
    }

    @Test func anMFACodeIsAskedOnceForEveryAccountOfARun() throws {
        let environment = try mfaEnvironment()
        let home = try TemporaryFolder()
        let result = try collect(
            [
                "--profile", "mfa", "--account", "222222222222,333333333333", "--role-name", Self.role,
                "--mfa-code", "123456",
            ], home: home.path, environment: environment)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.text.contains("/222222222222/000001-") && result.text.contains("/333333333333/000001-"))
        // Without a terminal a second request for a code fails the run, so success means it was asked once.
        let withCode = try assumeRolesWith(code: "123456")
        #expect(withCode.count == 1, "one AssumeRole carried the code: \(withCode.count)")
        let parameters = withCode.first?["requestParameters"] as? [String: Any]
        #expect(parameters?["serialNumber"] as? String == "arn:aws:iam::111111111111:mfa/lab-admin")
        #expect(parameters?["roleArn"] as? String == "arn:aws:iam::111111111111:role/MFAResponder")

        let preflight = try CustodyBinary.tool.run(
            [
                "preflight", "--profile", "mfa", "--account", "222222222222,333333333333", "--role-name", Self.role,
                "--mfa-code", "654321", "--regions", "us-east-1",
            ],
            environment: environment.merging(["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true"]) { $1 },
            withoutAWSVariables: true)
        #expect(!preflight.error.contains("mfa-code"), "\(preflight.error)")
        #expect(preflight.text.contains("account 222222222222") && preflight.text.contains("account 333333333333"))
        #expect(try assumeRolesWith(code: "654321").count == 1, "\(preflight.text)")
    }

    @Test func withoutACodeOrATerminalTheRunSaysToPassOne() throws {
        let environment = try mfaEnvironment()
        let home = try TemporaryFolder()
        let result = try collect(["--profile", "mfa"], home: home.path, environment: environment)
        #expect(result.status == 1)
        #expect(result.error.contains("needs an MFA code from arn:aws:iam::111111111111:mfa/lab-admin"))
        #expect(result.error.contains("pass --mfa-code CODE"), "\(result.error)")
        let invalid = try collect(
            ["--profile", "mfa", "--mfa-code", "12ab"], home: home.path, environment: environment)
        #expect(invalid.status == 2)
        #expect(invalid.error.contains("--mfa-code is the 6 digits"))
    }
}
