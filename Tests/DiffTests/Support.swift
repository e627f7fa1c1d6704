import CustodyJSON
import CustodyTestSupport
import Diff
import Evidence
import Foundation
import EvidenceReading

/// Fixture files and hand-made CloudTrail for the tests.
enum Fixtures {
    static let resources = Bundle.module.path(forResource: "Resources", ofType: nil)!

    static func path(_ name: String) -> String { resources + "/" + name }

    /// The events of fixture files, as one slice of `account`.
    static func log(_ names: [String], account: String = "111122223333") async -> EventLog {
        await EventLog.read(files: names.map(path), account: account, archive: "fixtures")
    }

    /// Panther's test records: `rule_id`, `test_name`, `expected_result`, `log`.
    static let panther: [(rule: String, test: String, expected: Bool, log: JSONValue)] = {
        let text =
            (try? String(contentsOfFile: path("panther/panther_cloudtrail_test_events.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let value = try? JSONValue.parse(Data(line.utf8)), let rule = value["rule_id"]?.stringValue,
                let test = value["test_name"]?.stringValue, let log = value["log"]
            else { return nil }
            return (rule, test, value["expected_result"]?.boolValue ?? false, log)
        }
    }()

    /// Records written to a temporary JSON Lines file and read back as a slice.
    static func log(
        records: [JSONValue], account: String = "111122223333", archive: String = "after", folder: TemporaryFolder
    )
        async throws -> EventLog
    {
        let lines = records.map { $0.description }.joined(separator: "\n") + "\n"
        let path = try folder.write("events-\(UUID().uuidString).jsonl", Array(lines.utf8))
        return await EventLog.read(files: [path], account: account, archive: archive)
    }
}

/// Builds CloudTrail records the way AWS writes them.
struct RecordMaker {
    var account = "111122223333"
    var time = 1_780_000_000
    var sourceIP = "203.0.113.66"
    var userAgent = "aws-cli/2.13.5 Python/3.11.4 Linux/5.15.0 exe/x86_64.kali.2023"

    static func user(_ name: String, key: String, account: String = "111122223333") -> JSONValue {
        [
            "type": "IAMUser", "principalId": .string("AIDA\(name.uppercased())"),
            "arn": .string("arn:aws:iam::\(account):user/\(name)"),
            "accountId": .string(account), "accessKeyId": .string(key), "userName": .string(name),
        ]
    }

    mutating func record(
        _ name: String, source: String, identity: JSONValue, region: String = "us-east-1", request: JSONValue = .null,
        response: JSONValue = .null, error: String? = nil, vpcEndpoint: String? = nil, readOnly: Bool = false,
        extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        time += 5
        var members: [String: JSONValue] = [
            "eventVersion": "1.09", "userIdentity": identity, "eventTime": .string(Self.iso(time)),
            "eventSource": .string(source), "eventName": .string(name), "awsRegion": .string(region),
            "sourceIPAddress": .string(sourceIP), "userAgent": .string(userAgent), "requestParameters": request,
            "responseElements": response, "eventID": .string(UUID().uuidString.lowercased()),
            "readOnly": .bool(readOnly),
            "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": .string(account),
        ]
        if let error { members["errorCode"] = .string(error) }
        if let vpcEndpoint { members["vpcEndpointId"] = .string(vpcEndpoint) }
        for (key, value) in extra { members[key] = value }
        return .object(members)
    }

    static func iso(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
