import CustodyCrypto
import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// Removing, replacing, duplicating or renaming archives of a chain is found and named.
@Suite struct ChainTests {
    let fixture: ArchiveFixture
    let results: [SealResult]

    init() throws {
        let fixture = try ArchiveFixture()
        self.fixture = fixture
        results = try (0..<3).map { try fixture.seal(["n.txt": "archive \($0)"], minutes: $0) }
    }

    @Test func intactChainVerifies() throws {
        let chain = try fixture.verifyChain()
        #expect(chain.ok)
        #expect(chain.archives.map(\.sequence) == [1, 2, 3])
    }

    @Test func removedArchiveIsAGap() throws {
        try FileManager.default.removeItem(atPath: results[1].archivePath)
        let chain = try fixture.verifyChain()
        #expect(chain.codes == [.chainGap])
        #expect(chain.problems.first?.message.contains("archive 2 is missing") == true)
        #expect(chain.archives.allSatisfy { $0.ok })
    }

    @Test func removedFirstArchiveIsAGap() throws {
        try FileManager.default.removeItem(atPath: results[0].archivePath)
        #expect(try fixture.verifyChain().codes == [.chainGap])
    }

    @Test func replacedArchiveBreaksTheLink() throws {
        // Another archive 2, validly signed by the same key, put in place of the real one.
        let other = try ArchiveFixture(key: fixture.key)
        try FileManager.default.createDirectory(atPath: other.caseFolder.root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.caseFolder.metadataPath, toPath: other.caseFolder.metadataPath)
        try other.seal(["n.txt": "archive 0"], minutes: 0)
        let forged = try other.seal(["n.txt": "a different story"], minutes: 1)
        #expect(forged.archiveName == results[1].archiveName)
        try FileManager.default.removeItem(atPath: results[1].archivePath)
        try FileManager.default.copyItem(atPath: forged.archivePath, toPath: results[1].archivePath)
        let chain = try fixture.verifyChain()
        #expect(chain.codes == [.chainBroken])
        #expect(chain.problems.first?.archive == results[2].archivePath)
        #expect(chain.archives.allSatisfy { $0.ok })
    }

    @Test func twoArchivesWithOneSequenceAreAFork() throws {
        let copy = fixture.accountFolder + "/000002-20300101T000000Z.tar"
        try FileManager.default.copyItem(atPath: results[1].archivePath, toPath: copy)
        let codes = try fixture.verifyChain().codes
        #expect(codes.contains(.chainFork))
    }

    @Test func renamedArchiveIsNamed() throws {
        try FileManager.default.moveItem(
            atPath: results[2].archivePath, toPath: fixture.accountFolder + "/000004-20300101T000000Z.tar")
        let codes = try fixture.verifyChain().codes
        #expect(codes.contains(.nameMismatch))
        #expect(codes.contains(.chainGap))
    }

    @Test func archiveOfAnotherAccountIsNamed() throws {
        let otherAccount = "444455556666"
        let foreign = try fixture.seal(["n.txt": "x"], minutes: 0, account: otherAccount)
        try FileManager.default.removeItem(atPath: results[2].archivePath)
        try FileManager.default.copyItem(
            atPath: foreign.archivePath, toPath: fixture.accountFolder + "/000003-20300101T000000Z.tar")
        let codes = try fixture.verifyChain().codes
        #expect(codes.contains(.accountMismatch))
        #expect(codes.contains(.nameMismatch))
        #expect(codes.contains(.chainBroken))
    }

    @Test func strayFilesAndLeftoversAreReported() throws {
        try Data("x".utf8).write(to: URL(fileURLWithPath: fixture.accountFolder + "/notes.txt"))
        try Data("x".utf8).write(
            to: URL(fileURLWithPath: fixture.accountFolder + "/000004-20300101T000000Z.tar.partial"))
        let chain = try fixture.verifyChain()
        #expect(chain.codes == [.strayFile])
        #expect(chain.notes.count == 1)
    }

    @Test func tamperingInsideOneArchiveShowsInTheChain() throws {
        try Tamper.flipByte(in: results[1].archivePath, at: "archive 1")
        let chain = try fixture.verifyChain()
        #expect(!chain.ok)
        #expect(chain.archives[1].codes == [.memberChanged])
        #expect(chain.problems.isEmpty)
    }
}

@Suite struct CloudTrailWindowTests {
    typealias F = ArchiveFixture

    @Test func windowsThatMeetOnSettledEndsVerify() throws {
        let fixture = try ArchiveFixture()
        try fixture.seal(
            ["a": "1"], minutes: 0,
            windows: [F.window("us-east-1", 0, 24, settled: 23), F.window("eu-west-1", 0, 24, settled: 23)])
        try fixture.seal(["a": "2"], minutes: 1)
        try fixture.seal(
            ["a": "3"], minutes: 2,
            windows: [F.window("us-east-1", 23, 48, settled: 47), F.window("eu-west-1", 23, 48, settled: 47)])
        #expect(try fixture.verifyChain().ok)
        #expect(F.hour(24) == "2026-09-19T00:00:00Z")
    }

    @Test func uncoveredTimeOfARegionIsAWindowGapNamingRegionAndInterval() throws {
        let fixture = try ArchiveFixture()
        try fixture.seal(["a": "1"], minutes: 0, windows: [F.window("us-east-1", 0, 24), F.window("eu-west-1", 0, 24)])
        try fixture.seal(
            ["a": "2"], minutes: 1, windows: [F.window("us-east-1", 24, 48), F.window("eu-west-1", 30, 48)])
        let chain = try fixture.verifyChain()
        #expect(chain.codes == [.windowGap])
        #expect(chain.problems.count == 1)
        #expect(
            chain.problems.first?.message.contains("eu-west-1 from 2026-09-19T00:00:00Z to 2026-09-19T06:00:00Z")
                == true)
    }

    @Test func theUnsettledEndOfAWindowIsNotCoverage() throws {
        let fixture = try ArchiveFixture()
        try fixture.seal(["a": "1"], minutes: 0, windows: [F.window("us-east-1", 0, 24, settled: 23)])
        // Starts at the first window's end, not at its settled end: events delivered late in hour 23 are in neither.
        try fixture.seal(["a": "2"], minutes: 1, windows: [F.window("us-east-1", 24, 48)])
        let chain = try fixture.verifyChain()
        #expect(
            chain.problems.map(\.message).contains {
                $0.contains("us-east-1 from 2026-09-18T23:00:00Z to 2026-09-19T00:00:00Z")
            })
    }

    @Test func aRegionLeftOutOfLaterCollectionsIsAHoleUpToTheChainsEnd() throws {
        let fixture = try ArchiveFixture()
        try fixture.seal(["a": "1"], minutes: 0, windows: [F.window("us-east-1", 0, 24), F.window("eu-west-1", 0, 24)])
        try fixture.seal(["a": "2"], minutes: 1, windows: [F.window("us-east-1", 24, 48)])
        let chain = try fixture.verifyChain()
        #expect(chain.codes == [.windowGap])
        #expect(
            chain.problems.first?.message.contains("eu-west-1 from 2026-09-19T00:00:00Z to 2026-09-20T00:00:00Z")
                == true)
    }

    @Test func aRegionCutShortAndReadAgainLaterLeavesNoHole() throws {
        let fixture = try ArchiveFixture()
        try fixture.seal(["a": "1"], minutes: 0, windows: [F.window("us-east-1", 0, 24)])
        try fixture.seal(
            ["a": "2"], minutes: 1,
            coverage: [
                .init(
                    source: "cloudtrail", region: "us-east-1", item: "LookupEvents", status: .failed,
                    error: "interrupted")
            ],
            windows: [F.window("us-east-1", 24, 48, since: 40, status: .partial)])
        #expect(try fixture.verifyChain().codes == [.windowGap])
        try fixture.seal(["a": "3"], minutes: 2, windows: [F.window("us-east-1", 24, 50)])
        #expect(try fixture.verifyChain().ok)
    }

    @Test func aWindowClaimingWhatItsRegionDidNotReadIsRefused() throws {
        let fixture = try ArchiveFixture()
        try fixture.seal(["a": "1"], minutes: 0, windows: [F.window("us-east-1", 0, 24)])
        let second = try fixture.seal(
            ["a": "2"], minutes: 1,
            coverage: [
                .init(
                    source: "cloudtrail", region: "us-east-1", item: "LookupEvents", status: .failed,
                    error: "stopped after some pages: interrupted")
            ],
            windows: [F.window("us-east-1", 24, 48)])
        let verification = fixture.verifyArchive(second.archivePath)
        #expect(verification.codes == [.windowOverclaimed])
        #expect(verification.problems.first?.message.contains("LookupEvents there was failed") == true)
        #expect(try !fixture.verifyChain().ok)
    }

    @Test func aGapInAnotherCallOfTheRegionDoesNotContradictItsWindow() throws {
        let fixture = try ArchiveFixture()
        let sealed = try fixture.seal(
            ["a": "1"], minutes: 0,
            coverage: [
                .init(
                    source: "cloudtrail", region: "us-east-1", item: "DescribeTrails", status: .denied,
                    error: "AccessDenied")
            ],
            windows: [F.window("us-east-1", 0, 24)])
        #expect(fixture.verifyArchive(sealed.archivePath).ok)
    }

    @Test(arguments: [
        F.window("us-east-1", 0, 24, since: 2, status: .complete),
        F.window("us-east-1", 0, 24, settled: 25),
        F.window("us-east-1", 24, 0),
        Manifest.CloudTrailWindow(
            source: .lookup, region: "us-east-1", status: .failed, requested: .init(from: F.hour(0), to: F.hour(24)),
            since: F.hour(0), until: F.hour(24)),
        Manifest.CloudTrailWindow(
            source: .lookup, region: "us-east-1", status: .partial, requested: .init(from: F.hour(0), to: F.hour(24))),
    ])
    func windowsContradictingThemselvesAreRefused(window: Manifest.CloudTrailWindow) throws {
        let fixture = try ArchiveFixture()
        let sealed = try fixture.seal(["a": "1"], minutes: 0, windows: [window])
        #expect(fixture.verifyArchive(sealed.archivePath).codes == [.windowOverclaimed])
    }

    @Test func aWindowReachingPastTheCollectionsStartIsRefused() throws {
        let fixture = try ArchiveFixture()
        // The fixture's archives start at 2026-09-21T14:13:20Z (the epoch).
        let sealed = try fixture.seal(["a": "1"], minutes: 0, windows: [F.window("us-east-1", 24, 96)])
        #expect(fixture.verifyArchive(sealed.archivePath).codes == [.windowOverclaimed])
    }

    @Test func aVersionOneManifestStandsForEveryRegionItLists() throws {
        let json = #"""
            {"format":"custody-manifest","version":1,"caseId":"c","account":"111122223333","kind":"evidence",
             "collector":{"tool":"custody","version":"0"},"startedAt":"2026-09-21T00:00:00Z","finishedAt":"2026-09-21T00:00:00Z",
             "cloudTrailWindow":{"from":"2026-09-18T00:00:00Z","to":"2026-09-19T00:00:00Z"},"regions":["eu-west-1","us-east-1"],
             "coverage":[],"members":[],"chain":{"sequence":1},"signer":{"fingerprint":"f","algorithm":"ed25519"}}
            """#
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(json.utf8))
        #expect(manifest.regionWindows.map(\.region) == ["eu-west-1", "us-east-1"])
        #expect(manifest.regionWindows.allSatisfy { $0.settled == .init(from: F.hour(0), to: F.hour(24)) })
    }

    @Test func coverageGapsAreShownButAreNotProblems() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(
            ["a": "1"], minutes: 0,
            coverage: [.init(source: "iam", item: "GetCredentialReport", status: .denied, error: "AccessDenied")])
        let verification = fixture.verifyArchive(result.archivePath)
        #expect(verification.ok)
        #expect(verification.coverageGaps.map(\.item) == ["GetCredentialReport"])
    }
}

@Suite struct CaseVerificationTests {
    @Test func trustsTheCaseKeyInsideItsCaseAndSaysWhy() throws {
        let folder = try TemporaryFolder()
        let caseFolder = CaseFolder(root: folder.file("case"))
        _ = try caseFolder.prepare()
        let (key, created, _) = try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("keys")))
        #expect(created)
        let request = SealRequest(
            account: ArchiveFixture.account, kind: .files, members: [SealMember(path: "files/a", source: .bytes([1]))],
            collector: .init(version: "test"), startedAt: ArchiveFixture.epoch, finishedAt: ArchiveFixture.epoch)
        let sealed = try Sealer(caseFolder: caseFolder, signingKey: key).seal(request)

        for path in [caseFolder.root, caseFolder.accountPath(ArchiveFixture.account), sealed.archivePath] {
            let report = try Verifier(trust: TrustStore()).verify(paths: [path])
            #expect(report.ok, "\(path)")
            #expect(report.trusted.first?.fingerprint == key.publicKey.fingerprint)
            #expect(report.trusted.first?.reason.contains("a key found in the case folder") == true)
        }
        // Outside its case folder nothing vouches for the key.
        let loose = folder.file("loose.tar")
        try FileManager.default.copyItem(atPath: sealed.archivePath, toPath: loose)
        let report = try Verifier(trust: TrustStore()).verify(paths: [loose])
        #expect(report.archives.first?.codes == [.signerUntrusted])
    }

    @Test func theCasesPrivateKeyIsKeptOutsideTheCase() throws {
        let folder = try TemporaryFolder()
        let caseFolder = CaseFolder(root: folder.file("case"))
        let store = KeyStore(root: folder.file("config/custody/keys"))
        _ = try caseFolder.prepare()
        let (key, created, moved) = try caseFolder.loadOrCreateCaseKey(in: store)
        #expect(created && moved == nil)
        #expect(!FileManager.default.fileExists(atPath: caseFolder.caseKeyPath), "no private key in the case")
        #expect(try caseFolder.casePublicKey()?.fingerprint == key.publicKey.fingerprint)
        let kept = store.path(for: key.publicKey.fingerprint)
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: store.root)[.posixPermissions] as? Int == 0o700)
        let again = try caseFolder.loadOrCreateCaseKey(in: store)
        #expect(!again.created && again.key.publicKey.fingerprint == key.publicKey.fingerprint)
        // A copy of the case elsewhere can be verified, but not signed: its key stayed behind.
        #expect(throws: ArchiveError(.caseKeyUnavailable, "")) {
            try caseFolder.loadOrCreateCaseKey(in: KeyStore(root: folder.file("elsewhere")))
        }
    }

    @Test func aPrivateKeyLeftInsideACaseIsMovedOut() throws {
        let folder = try TemporaryFolder()
        let caseFolder = CaseFolder(root: folder.file("case"))
        _ = try caseFolder.prepare()
        let legacy = try PrivateKey.generate(.ed25519)
        try KeyFiles.write(legacy, to: caseFolder.caseKeyPath, force: false)
        let store = KeyStore(root: folder.file("keys"))
        let (key, created, moved) = try caseFolder.loadOrCreateCaseKey(in: store)
        #expect(!created && moved == caseFolder.caseKeyPath)
        #expect(key.publicKey.fingerprint == legacy.publicKey.fingerprint)
        #expect(!FileManager.default.fileExists(atPath: caseFolder.caseKeyPath))
        #expect(FileManager.default.fileExists(atPath: store.path(for: legacy.publicKey.fingerprint)))
    }

    @Test func theUsersKeyStoreFollowsXDGConfigHome() throws {
        #expect(
            try KeyStore.user(environment: ["XDG_CONFIG_HOME": "/x/config", "HOME": "/home/r"]).root
                == "/x/config/custody/keys")
        #expect(try KeyStore.user(environment: ["HOME": "/home/r"]).root == "/home/r/.config/custody/keys")
        #expect(throws: ArchiveError(.caseFolderUnusable, "")) { try KeyStore.user(environment: [:]) }
    }

    @Test func aMissingPathCannotBeVerified() {
        #expect(throws: ArchiveError(.inputUnreadable, "")) {
            try Verifier(trust: TrustStore()).verify(paths: ["/nonexistent/case"])
        }
    }
}
