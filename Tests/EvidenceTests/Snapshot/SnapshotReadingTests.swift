import CustodyJSON
import Evidence
import Testing

/// The fast snapshot reader (`SnapshotReading`: a JSON tape and a decoder over it) gives exactly
/// what `SnapshotLayout.snapshot(from:)` gives through Foundation's `JSONDecoder`, and the same
/// errors.
@Suite struct SnapshotReadingTests {
    static func members(_ snapshot: Snapshot) throws -> [String: [UInt8]] {
        Dictionary(uniqueKeysWithValues: try SnapshotLayout.members(of: snapshot).map { ($0.path, $0.bytes) })
    }

    /// The sample a while later: a key added, a user made, a role gone, an instance stopped, a
    /// region collected for the first time.
    static var after: Snapshot {
        var snapshot = SnapshotSample.snapshot
        snapshot.users[0].accessKeys.append(
            AccessKey(accessKeyId: "AKIAQX2KT5SVCBACKUP2", status: "Active", createDate: "2026-11-30T00:00:00Z"))
        snapshot.users.append(
            IAMUser(
                userName: "intruder", userId: "AIDAQX2KT5INTRUDER01", arn: "arn:aws:iam::111122223333:user/intruder",
                createDate: "2026-11-30T00:00:00Z"))
        snapshot.roles.removeLast()
        snapshot.instances[0].state = "stopped"
        snapshot.account.collectedRegions.append("ap-southeast-2")
        return snapshot
    }

    /// A snapshot with the awkward values: escapes, non-ASCII text, numbers, nulls and booleans in policies.
    static var awkward: Snapshot {
        var snapshot = after
        snapshot.roles.append(
            IAMRole(
                roleName: "quote\"back\\slash/é", roleId: "AROAAWKWARD", arn: "arn:aws:iam::111122223333:role/odd",
                createDate: "2026-11-01T00:00:00Z", description: "line\nbreak\ttab \u{1F600} \u{0001}",
                maxSessionDuration: 43_200,
                trustPolicy: [
                    "Version": "2012-10-17", "Number": 1.5, "Negative": -3, "Big": 12_345_678_901, "Null": .null,
                    "True": true,
                    "False": false, "Empty": [:], "List": [],
                    "Statement": [["Effect": "Allow", "Principal": "*", "Action": ["a", "b"]]],
                ],
                inlinePolicies: [
                    InlinePolicy(
                        policyName: "inline",
                        document: ["Statement": [["Condition": ["Bool": ["aws:SecureTransport": false]]]]])
                ]))
        return snapshot
    }

    static func snapshot(named name: String) -> Snapshot {
        switch name {
        case "before": SnapshotSample.snapshot
        case "after": after
        default: awkward
        }
    }

    @Test(arguments: ["before", "after", "awkward"])
    func sameSnapshotAsFoundation(name: String) throws {
        let members = try Self.members(Self.snapshot(named: name))
        let expected = try SnapshotLayout.snapshot(from: members)
        let fast = try SnapshotReading.snapshot(from: members)
        #expect(fast == expected, "\(name)")
    }

    @Test func longListsDecodedInChunksKeepTheirOrder() throws {
        var snapshot = SnapshotSample.snapshot
        snapshot.instances = (0..<5_000).map { i in
            EC2Instance(
                instanceId: "i-\(String(i, radix: 16))", region: i % 2 == 0 ? "us-east-1" : "eu-west-1",
                state: "running",
                launchTime: "2026-01-01T00:00:00Z", instanceType: "t3.micro",
                tags: [Tag(key: "Name", value: "web-\(i)")])
        }
        let members = try Self.members(snapshot)
        #expect(try SnapshotReading.snapshot(from: members) == SnapshotLayout.snapshot(from: members))
    }

    @Test func brokenMemberFailsAsFoundationDoes() throws {
        var members = try Self.members(SnapshotSample.snapshot)
        members[SnapshotLayout.prefix + "iam/roles.json"] = Array("[{\"roleName\": \"x\"".utf8)
        #expect(throws: SnapshotError(.memberInvalid, "")) { try SnapshotReading.snapshot(from: members) }
        members[SnapshotLayout.prefix + "iam/roles.json"] = Array("[{\"roleName\": 5}]".utf8)
        #expect(throws: SnapshotError(.memberInvalid, "")) { try SnapshotReading.snapshot(from: members) }
        members[SnapshotLayout.prefix + "iam/roles.json"] = nil
        #expect(throws: SnapshotError(.memberMissing, "")) { try SnapshotReading.snapshot(from: members) }
    }
}
