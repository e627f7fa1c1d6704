import CustodyTestSupport
import Foundation
import Testing

/// A case holding CloudTrail written to break the rules' arithmetic, imported as a user would:
/// `import-cloudtrail` accepts it, and every later `hunt` and `report` of the case still runs.
@Suite struct HostileCloudTrailCommandTests {
    static let account = "111122223333"

    /// One record of the caller `key`, at `time` (none when `nil`), its duration written as given.
    static func record(
        _ name: String, _ id: Int, time: String?, key: String = "AKIAHOSTILE000000001", account: String = account,
        error: String? = nil, duration: String? = nil
    ) -> String {
        var members = [
            #""eventVersion":"1.09""#, #""eventSource":"sts.amazonaws.com""#, #""eventName":"\#(name)""#,
            #""awsRegion":"us-east-1""#, #""sourceIPAddress":"203.0.113.66""#,
            #""eventID":"00000000-0000-0000-0000-\#(String(format: "%012d", id))""#,
            #""recipientAccountId":"\#(Self.account)""#, #""readOnly":false"#,
            #""userIdentity":{"type":"IAMUser","principalId":"AIDAMALLORY","arn":"arn:aws:iam::\#(account):user/mallory","accountId":"\#(account)","accessKeyId":"\#(key)","userName":"mallory"}"#,
        ]
        if let time { members.append(#""eventTime":"\#(time)""#) }
        if let error { members.append(#""errorCode":"\#(error)""#) }
        if let duration {
            members.append(
                #""requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/admin","roleSessionName":"s","durationSeconds":\#(duration)}"#
            )
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static let lines: [String] = {
        var lines: [String] = []
        var id = 0
        func next() -> Int {
            id += 1
            return id
        }
        lines.append(record("ListUsers", next(), time: nil, error: "AccessDenied"))
        for second in 10..<15 {
            lines.append(record("ListRoles", next(), time: "2024-08-18T10:42:\(second)Z", error: "AccessDenied"))
        }
        for duration in ["1e300", "1e999", #""9223372036854775807""#, #""-9223372036854775808""#] {
            lines.append(record("GetSessionToken", next(), time: "2024-08-18T10:43:00Z", duration: duration))
            lines.append(record("GetSessionToken", next(), time: nil, duration: duration))
            lines.append(
                record(
                    "AssumeRole", next(), time: "2024-08-18T10:44:00Z", key: "AKIAOUTSIDER00000001",
                    account: "999988887777", duration: duration))
        }
        return lines
    }()

    let folder: TemporaryFolder
    let caseFolder: String

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = folder.file("case")
        let path = try folder.write("hostile.jsonl", Array((Self.lines.joined(separator: "\n") + "\n").utf8))
        let imported = try CustodyBinary.run([
            "import-cloudtrail", "--case", caseFolder, "--account", Self.account, path,
        ])
        // Read whole, but the records without eventTime are incomplete.
        #expect(imported.status == 4, "\(imported.error)")
        #expect(imported.text.contains("every record read, 5 incomplete"))
    }

    @Test func huntOfTheCaseRunsAndFindsTheBurstAndTheTokens() throws {
        let run = try CustodyBinary.run(["hunt", "--json", caseFolder])
        #expect(run.status == 1, "hunt ended with \(run.status): \(run.error)")
        #expect(run.text.contains("auth.denied-burst"))
        #expect(run.text.contains("sts.session-token.issued"))
        #expect(run.text.contains("9999-12-31T23:59:59Z"), "a duration beyond any time ends at the last one written")
        #expect(!run.text.contains("1900-") && !run.text.contains("\"-"))
    }

    @Test func reportOfTheCaseIsWrittenAndVerifies() throws {
        let out = folder.file("report")
        let run = try CustodyBinary.run(["report", "--case", caseFolder, "--out", out])
        #expect(run.status == 0, "report ended with \(run.status): \(run.error)")
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown.contains("auth.denied-burst"))
        #expect(try CustodyBinary.run(["verify", out + "/report.tar", caseFolder]).status == 0)
    }
}
