import CustodyCrypto
import CustodyTestSupport
import Foundation
import Testing

/// `custody collect` as a responder runs it, against the local lab.
@Suite(.serialized)
final class CollectCommandTests {
    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        lab = try LabServer(accounts: 2)
        folder = try TemporaryFolder()
    }

    func run(_ arguments: [String]) throws -> ExternalTool.Result {
        try CustodyBinary.tool.run(
            ["collect", "--case", folder.file("case")] + arguments, environment: lab.environment)
    }

    @Test func sealsACompleteCollectionAndExitsZero() throws {
        let result = try run(["--profile", "lab-222222222222", "--regions", "us-east-1"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.text.contains("/222222222222/000001-"))
        #expect(result.text.contains("complete:"))
        let verify = try CustodyBinary.run(["verify", folder.file("case")])
        #expect(verify.status == 0, "\(verify.text)")
    }

    @Test func withoutATerminalProgressIsAFewLinesPerAccountNotOnePerRegion() throws {
        let regions = "us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1,sa-east-1"
        let result = try run(["--profile", "lab-222222222222", "--regions", regions])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.error.split(separator: "\n").filter { $0.hasPrefix("222222222222:") }
        #expect(lines.count <= 8, "\(result.error)")
        #expect(!lines.contains { $0.contains(" in us-east-2") }, "\(result.error)")
        #expect(lines.contains { $0.contains("CloudTrail event(s) from 8 region(s)") }, "\(result.error)")
    }

    @Test func withoutATargetCollectsTheAccountOfAWSProfile() throws {
        var environment = lab.environment
        environment["AWS_PROFILE"] = "lab-222222222222"
        let result = try CustodyBinary.tool.run(
            ["collect", "--case", folder.file("case"), "--regions", "us-east-1", "--cloudtrail", "none"],
            environment: environment, withoutAWSVariables: true)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.text.contains("/222222222222/000001-"), "\(result.text)")
    }

    @Test func withoutATargetCollectsTheAccountOfTheEnvironmentsKeys() throws {
        let credentials = try String(contentsOfFile: lab.state.file("aws/credentials"), encoding: .utf8)
        let section = try #require(credentials.components(separatedBy: "[lab-222222222222]").last)
        func value(_ name: String) -> String? {
            section.split(separator: "\n").first { $0.hasPrefix(name + " = ") }.map {
                String($0.dropFirst(name.count + 3))
            }
        }
        let environment = [
            "AWS_ACCESS_KEY_ID": try #require(value("aws_access_key_id")),
            "AWS_SECRET_ACCESS_KEY": try #require(value("aws_secret_access_key")),
            "AWS_ENDPOINT_URL": lab.endpoint, "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": folder.file("no-config"), "AWS_SHARED_CREDENTIALS_FILE": folder.file("no-credentials"),
        ]
        let result = try CustodyBinary.tool.run(
            ["collect", "--case", folder.file("case"), "--regions", "us-east-1", "--cloudtrail", "none"],
            environment: environment, withoutAWSVariables: true)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.text.contains("/222222222222/000001-"), "\(result.text)")
    }

    @Test func printsTheOutcomeAsJSON() throws {
        let result = try run([
            "--profile", "lab-111111111111", "--regions", "us-east-1", "--json", "--cloudtrail", "none",
        ])
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
        let outcome = try #require((object["outcomes"] as? [[String: Any]])?.first)
        #expect(outcome["account"] as? String == "111111111111")
        #expect(outcome["complete"] as? Bool == true)
        #expect((outcome["archive"] as? String)?.hasSuffix(".tar") == true)
        let printed = try folder.write("collect.json", result.output)
        let schema = LabServer.repositoryRoot + "/Schemas/collect.schema.json"
        let check = try #require(ExternalTool.python3).run([
            "-c",
            "import json, sys, jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)",
            schema, printed,
        ])
        #expect(check.status == 0, "\(check.error)")
    }

    @Test func collectsEveryAccountOfTheOrganization() throws {
        let result = try run([
            "--organization", "--role-name", "OrganizationAccountAccessRole", "--profile", "lab-111111111111",
            "--regions", "us-east-1", "--cloudtrail", "none",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.text.contains("/111111111111/000001-"))
        #expect(result.text.contains("/222222222222/000001-"))
        let verify = try CustodyBinary.run(["verify", folder.file("case")])
        #expect(verify.status == 0, "\(verify.text)")
        #expect(verify.text.contains("2 archive(s) verified"))
    }

    @Test func aTargetWithAWrongSecretSealsNothingAndExitsOne() throws {
        var credentials = try String(contentsOfFile: lab.state.file("aws/credentials"), encoding: .utf8)
        let lines = credentials.split(separator: "\n", omittingEmptySubsequences: false)
        let header = "[lab-222222222222]"
        let start = try #require(lines.firstIndex { $0 == header })
        let keyLine = try #require(lines[start...].first { $0.hasPrefix("aws_access_key_id") })
        credentials += "\n[wrong-secret]\n\(keyLine)\naws_secret_access_key = not-the-secret-at-all\n"
        try credentials.write(toFile: lab.state.file("aws/credentials"), atomically: true, encoding: .utf8)
        var config = try String(contentsOfFile: lab.state.file("aws/config"), encoding: .utf8)
        config += "\n[profile wrong-secret]\nregion = us-east-1\nendpoint_url = \(lab.endpoint)\n"
        try config.write(toFile: lab.state.file("aws/config"), atomically: true, encoding: .utf8)

        let result = try run(["--profile", "wrong-secret", "--regions", "us-east-1"])
        #expect(result.status == 1)
        #expect(result.error.contains("nothing sealed"))
        #expect(result.error.contains("SignatureDoesNotMatch"))
        #expect(!result.error.contains("not-the-secret-at-all"))
        #expect(
            !FileManager.default.fileExists(atPath: folder.file("case")),
            "nothing is written for a target that cannot act")
    }

    @Test func aRegionTheAccountHasNotIsAUsageErrorThatWritesNothing() throws {
        let result = try run(["--profile", "lab-222222222222", "--regions", "us-east-1,us-esat-1"])
        #expect(result.status == 2)
        #expect(result.error.contains("us-esat-1 is not enabled for account 222222222222"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("case")), "no archive and no case key")
    }

    @Test func anInterruptedRunSealsWhatItHadMarkedIncomplete() throws {
        // Interrupted once IAM and the regions are being read.
        let (status, text, error) = try CustodyBinary.interrupted(
            [
                "collect", "--case", folder.file("case"), "--profile", "lab-222222222222",
                "--regions",
                "us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-central-1,ap-southeast-1,ap-southeast-2,sa-east-1",
            ], environment: lab.environment, when: "IAM and", delay: 0.5)
        #expect(status == 3, "\(error)")
        #expect(error.contains("interrupted"))
        let archive = try #require(text.split(separator: "\n").first { $0.hasSuffix(".tar") }.map(String.init))
        let show = try CustodyBinary.run(["show", archive])
        #expect(show.text.contains("custody collection: failed (interrupted before the collection finished"))
    }
}

/// Wrong usage of `custody collect` is refused before anything is contacted.
@Suite struct CollectUsageTests {
    @Test(arguments: [
        (["--role-name", "R"], "--role-name goes with --account or --organization"),
        (["--accounts", "222222222222"], "need --role-name"),
        (["--account", "12345", "--role-name", "R"], "is not an AWS account id"),
        (["--profile", "lab-222222222222", "--cloudtrail", "cloudwatch"], "is not one of lookup, s3, none"),
        (["--profile", "lab-222222222222", "--since", "last tuesday"], "is not a time"),
        (["--profile", "lab-222222222222", "--since", "2026-02-31T09:00:00Z"], "is not a time"),
        (["--profile", "lab-222222222222", "--until", "2026-11-28T09:00:00+0100"], "is not a time"),
        (["--profile", "lab-222222222222", "--since", "2026-11-28 and later"], "is not a time"),
        (["--profile", "no-such-profile"], "no-such-profile"),
        (["--profile", "lab-222222222222", "--regions", "useast1"], "'useast1' is not an AWS region name"),
        (["--profile", "lab-222222222222", "--regions", ","], "--regions names no region"),
        (["--profile", "lab-222222222222", "--settle", "soon"], "--settle 'soon' is not a duration"),
    ])
    func wrongUsageExitsTwoWithAClearMessage(arguments: [String], message: String) throws {
        let folder = try TemporaryFolder()
        let result = try CustodyBinary.run(["collect", "--case", folder.file("case")] + arguments)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "\(result.error)")
    }
}
