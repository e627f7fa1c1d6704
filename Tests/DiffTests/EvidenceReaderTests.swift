import CustodyCrypto
import CustodyJSON
import CustodyTestSupport
import Diff
import Evidence
import EvidenceArchive
import Foundation
import Testing
import EvidenceReading

/// Diff and hunt over sealed archives: verification first, either order, different accounts refused.
@Suite struct EvidenceReaderTests {
    let folder: TemporaryFolder
    let caseFolder: CaseFolder
    let sealer: Sealer

    init() throws {
        folder = try TemporaryFolder()
        caseFolder = CaseFolder(root: folder.file("case"))
        sealer = Sealer(
            caseFolder: caseFolder,
            signingKey: try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys"))).key)
    }

    func seal(_ snapshot: Snapshot, events: [JSONValue] = [], hour: Double) throws -> String {
        let time = Date(timeIntervalSince1970: 1_790_000_000 + hour * 3600)
        return try seal(snapshot, events: events, startedAt: time, finishedAt: time)
    }

    func seal(_ snapshot: Snapshot, events: [JSONValue] = [], startedAt: Date, finishedAt: Date) throws -> String {
        var members = try SnapshotLayout.members(of: snapshot).map {
            SealMember(path: $0.path, source: .bytes($0.bytes))
        }
        if !events.isEmpty {
            let lines = events.map { event in
                JSONValue.object(["CloudTrailEvent": .string(event.description), "Resources": []]).description
            }
            members.append(
                SealMember(
                    path: "cloudtrail/us-east-1/events.jsonl.gz",
                    source: .bytes(try Gzip.compress(Array((lines.joined(separator: "\n") + "\n").utf8)))))
        }
        return try sealer.seal(
            SealRequest(
                account: snapshot.account.accountId, kind: .evidence, members: members,
                collector: Manifest.Collector(
                    version: "test", callerArn: "arn:aws:iam::\(snapshot.account.accountId):user/lab-admin",
                    accessKeyId: ScenarioDiffTests.collectorKey),
                startedAt: startedAt, finishedAt: finishedAt)
        ).archivePath
    }

    @Test func huntOfAFolderWithoutArchivesSaysWhatToGive() async throws {
        try folder.write("empty/notes.txt", Data("no archive here\n".utf8))
        let folderPath = folder.file("empty")
        let error = await #expect(throws: EvidenceReadError(.inputUnreadable, "")) {
            try await EvidenceReader(trust: TrustStore()).hunt([folderPath])
        }
        #expect(error?.description == "\(folderPath) holds no archives. \(error?.remedy ?? "")")
        #expect(error?.remedy?.contains("custody collect") == true)
    }

    @Test func diffsSealedArchivesInEitherOrderWithTheirCloudTrail() async throws {
        let (_, attack) = ScenarioDiffTests.events()
        // The earlier collection made the calls the later archive's slice holds with its key.
        let (startedAt, finishedAt) = try #require(ScenarioDiffTests.collection(of: attack))
        let before = try seal(
            ScenarioDiffTests.before, startedAt: try #require(Timestamp.parse(startedAt)),
            finishedAt: try #require(Timestamp.parse(finishedAt)))
        let after = try seal(ScenarioDiffTests.after, events: attack, hour: 1)
        let reader = EvidenceReader(trust: TrustStore())
        let report = try await reader.diff(after, before)
        #expect(report.swapped)
        #expect(report.before?.path == before && report.after?.path == after)
        let key = try #require(
            report.findings.first { $0.rule == .accessKeyCreated && $0.entity.id == "AKIABACKDOOR00000001" })
        #expect(key.event?.accessKeyId == ScenarioDiffTests.leaked)
        let pointer = try #require(key.evidence.first { $0.member == "snapshot/iam/users.json" })
        #expect(pointer.jsonPointer == "/0/accessKeys/1" && pointer.sha256?.count == 64)
        let eventPointer = try #require(key.event?.evidence)
        #expect(
            eventPointer.member == "cloudtrail/us-east-1/events.jsonl.gz"
                && eventPointer.jsonPointer == "/CloudTrailEvent" && eventPointer.line != nil)
        #expect(
            !report.findings.contains { $0.event?.accessKeyId == ScenarioDiffTests.collectorKey && $0.severity > .low })
    }

    @Test func eventsDeliveredLateAreTakenFromTheNextArchiveUpToTheLaterSnapshot() async throws {
        let (_, attack) = ScenarioDiffTests.events()
        let before = try seal(ScenarioDiffTests.before, hour: 0)
        // The attack happened before the later snapshot, but CloudTrail had not delivered it yet.
        let after = try seal(ScenarioDiffTests.after, hour: 1)
        var late = RecordMaker(account: ScenarioDiffTests.account, time: 1_790_000_000 + 5400)
        let afterTheSnapshot = late.record(
            "StopLogging", source: "cloudtrail.amazonaws.com",
            identity: RecordMaker.user("test", key: ScenarioDiffTests.leaked, account: ScenarioDiffTests.account))
        let next = try seal(ScenarioDiffTests.after, events: attack + [afterTheSnapshot], hour: 2)
        let report = try await EvidenceReader(trust: TrustStore()).diff(before, after)
        #expect(report.next?.path == next)
        let key = try #require(
            report.findings.first { $0.rule == .accessKeyCreated && $0.entity.id == "AKIABACKDOOR00000001" })
        #expect(key.event?.accessKeyId == ScenarioDiffTests.leaked)
        #expect(key.event?.evidence?.archive == next)
        #expect(report.cloudTrail.first { $0.archive == next }?.before == 1_790_003_600)
        #expect(report.eventCount == attack.count, "the StopLogging after the later snapshot is not read")
        #expect(!report.findings.contains { $0.event?.eventName == "StopLogging" })
    }

    @Test func refusesDifferentAccountsAndUnverifiableArchives() async throws {
        let one = try seal(ScenarioDiffTests.before, hour: 0)
        var other = ScenarioDiffTests.before
        other.account.accountId = "444455556666"
        let two = try seal(other, hour: 0)
        let reader = EvidenceReader(trust: TrustStore())
        await #expect(throws: DiffError(.differentAccounts, "")) { try await reader.diff(one, two) }

        let stray = folder.file("elsewhere.tar")
        try FileManager.default.copyItem(atPath: one, toPath: stray)
        await #expect(throws: EvidenceReadError(.verificationFailed, "")) { try await reader.diff(stray, two) }
    }

    @Test func huntsEveryArchiveOfACaseFolder() async throws {
        let (_, attack) = ScenarioDiffTests.events()
        _ = try seal(ScenarioDiffTests.after, events: attack, hour: 1)
        let report = try await EvidenceReader(trust: TrustStore()).hunt(
            [caseFolder.root], suspectKeys: [ScenarioDiffTests.leaked])
        #expect(report.eventCount == attack.count, "\(report.cloudTrail)")
        #expect(report.findings.allSatisfy { $0.basis == .cloudTrailOnly })
        for rule: RuleID in [
            .accessKeyCreated, .userCreated, .roleCreated, .vpcEndpointCreated, .instanceLaunchedWithRole,
            .sessionTokenIssued, .federationTokenIssued,
        ] {
            #expect(report.findings.contains { $0.rule == rule && $0.severity == .high }, "\(rule)")
        }
        #expect(report.actors.count == 1)
    }
}
