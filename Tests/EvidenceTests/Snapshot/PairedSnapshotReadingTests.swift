import Evidence
import Testing

/// Reading two snapshots together (`SnapshotReading.snapshots(before:after:)`), the later one
/// reusing the earlier one's values for elements with the same bytes, gives what reading each
/// alone gives.
@Suite struct PairedSnapshotReadingTests {
    static func members(_ snapshot: Snapshot) throws -> [String: [UInt8]] {
        try SnapshotReadingTests.members(snapshot)
    }

    @Test(arguments: [("before", "after"), ("after", "before"), ("before", "awkward"), ("awkward", "awkward")])
    func sameAsReadingEachAlone(names: (String, String)) throws {
        let before = try Self.members(SnapshotReadingTests.snapshot(named: names.0))
        let after = try Self.members(SnapshotReadingTests.snapshot(named: names.1))
        let pair = try #require(SnapshotReading.snapshots(before: before, after: after))
        #expect(try pair.before == SnapshotLayout.snapshot(from: before))
        #expect(try pair.after == SnapshotLayout.snapshot(from: after))
    }

    /// Long lists with elements removed, added, changed and moved, in regions collected once only too.
    @Test func longListsWithShiftedAndChangedElements() throws {
        func instances(_ range: Range<Int>, state: (Int) -> String) -> [EC2Instance] {
            range.map { i in
                EC2Instance(
                    instanceId: "i-\(String(i, radix: 16))", region: i % 2 == 0 ? "us-east-1" : "eu-west-1",
                    state: state(i),
                    launchTime: "2026-01-01T00:00:00Z", instanceType: "t3.micro",
                    tags: [Tag(key: "Name", value: "web-\(i)")])
            }
        }
        var old = SnapshotSample.snapshot
        old.instances = instances(0..<6_000) { _ in "running" }
        var new = SnapshotSample.snapshot
        new.account.collectedRegions.append("ap-south-1")
        new.instances = instances(3..<6_100) { $0 % 97 == 0 ? "stopped" : "running" }.filter {
            !$0.instanceId.hasSuffix("7")
        }.reversed()
        let before = try Self.members(old), after = try Self.members(new)
        let pair = try #require(SnapshotReading.snapshots(before: before, after: after))
        #expect(try pair.before == SnapshotLayout.snapshot(from: before))
        #expect(try pair.after == SnapshotLayout.snapshot(from: after))
    }

    @Test func brokenLaterMemberFallsBack() throws {
        let before = try Self.members(SnapshotSample.snapshot)
        var after = try Self.members(SnapshotReadingTests.after)
        after[SnapshotLayout.prefix + "iam/roles.json"] = Array("[{\"roleName\": \"x\"".utf8)
        #expect(SnapshotReading.snapshots(before: before, after: after) == nil)
    }
}
