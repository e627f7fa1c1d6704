import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// What extraction writes is what verification read: an archive swapped or rewritten at its path
/// once it has verified is never what lands in the target.
@Suite struct ExtractionSwapTests {
    let fixture: ArchiveFixture
    let archive: String
    let target: String

    init() throws {
        fixture = try ArchiveFixture()
        archive = try fixture.seal(["a.txt": "hello evidence"], minutes: 0).archivePath
        target = fixture.folder.file("out")
    }

    /// The archive at `path` with `edit` applied, ready to be moved over it.
    func tamperedCopy(_ edit: (inout [Tamper.Member]) throws -> Void) throws -> String {
        let copy = fixture.folder.file("swapped.tar")
        try FileManager.default.copyItem(atPath: archive, toPath: copy)
        try Tamper.rewrite(copy, edit)
        return copy
    }

    func extract(swappingIn replacement: String) throws -> [String] {
        var extractor = Extractor(verifier: ArchiveVerifier(trust: fixture.trust))
        let archive = archive
        // As an attacker would: another file renamed over the archive's name.
        extractor.afterVerifying = { _ in #expect(rename(replacement, archive) == 0) }
        return try extractor.extract(archive, to: target).written
    }

    @Test func aMemberAddedByASwapAfterVerifyingIsNeverWritten() throws {
        let swapped = try tamperedCopy {
            $0.insert(Tamper.Member(path: "evil.sh", bytes: Array("#!/bin/sh\n".utf8)), at: 1)
        }
        let written = try? extract(swappingIn: swapped)
        #expect(!FileManager.default.fileExists(atPath: target + "/evil.sh"))
        #expect(written.map { !$0.contains("evil.sh") } ?? true)
    }

    @Test func memberBytesChangedByASwapAfterVerifyingAreNeverWritten() throws {
        let swapped = try tamperedCopy { members in
            let index = try #require(members.firstIndex { $0.path == "files/a.txt" })
            members[index].bytes = Array("forged evidence".utf8)
        }
        _ = try? extract(swappingIn: swapped)
        let extracted = try? String(contentsOfFile: target + "/files/a.txt", encoding: .utf8)
        #expect(extracted == nil || extracted == "hello evidence")
    }

    @Test func whatIsExtractedIsWhatWasVerified() throws {
        let swapped = try tamperedCopy { $0.insert(Tamper.Member(path: "evil.sh", bytes: [1]), at: 1) }
        let written = try extract(swappingIn: swapped)
        #expect(
            written == [
                "custody.json", "files/a.txt", "SHA256SUMS", "manifest.json", "manifest.json.sig", "signer.pub.pem",
            ])
        #expect(try String(contentsOfFile: target + "/files/a.txt", encoding: .utf8) == "hello evidence")
    }

    @Test func membersWaitInAPrivateStagingFolderUntilEverythingVerified() throws {
        var extractor = Extractor(verifier: ArchiveVerifier(trust: fixture.trust))
        let target = target
        extractor.afterVerifying = { _ in
            let entries = try FileManager.default.contentsOfDirectory(atPath: target)
            #expect(entries.count == 1 && entries[0].hasPrefix(".custody-extract-"), "\(entries)")
            let mode = try FileManager.default.attributesOfItem(atPath: target + "/" + entries[0])[.posixPermissions]
            #expect(mode as? Int == 0o700)
        }
        _ = try extractor.extract(archive, to: target)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: target).sorted() == [
                "SHA256SUMS", "custody.json", "files", "manifest.json", "manifest.json.sig", "signer.pub.pem",
            ])
    }

    @Test func aFailedExtractionLeavesAnEmptyTargetEmpty() throws {
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try Tamper.flipByte(in: archive, at: "hello evidence")
        #expect(throws: ArchiveError(.verificationFailed, "")) {
            try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extract(archive, to: target)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == [])
    }
}

/// Evidence extracted for diff, hunt and report sits where only its owner can read it, and goes
/// when it is no longer needed.
@Suite struct PrivateExtractionTests {
    @Test func extractsIntoAFolderOnlyItsOwnerCanEnter() throws {
        let fixture = try ArchiveFixture()
        let archive = try fixture.seal(["deep/a.txt": "hello evidence"], minutes: 0).archivePath
        let extracted = try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extractPrivately(archive)
        let manager = FileManager.default
        #expect(try manager.attributesOfItem(atPath: extracted.folder.path)[.posixPermissions] as? Int == 0o700)
        #expect(
            try manager.attributesOfItem(atPath: extracted.path(of: "files/deep"))[.posixPermissions] as? Int == 0o700)
        #expect(
            try manager.attributesOfItem(atPath: extracted.path(of: "files/deep/a.txt"))[.posixPermissions] as? Int
                == 0o600)
        #expect(try String(contentsOfFile: extracted.path(of: "files/deep/a.txt"), encoding: .utf8) == "hello evidence")
        #expect(extracted.manifest == extracted.verification.manifest)
        #expect(extracted.manifest.members.map(\.path) == ["custody.json", "files/deep/a.txt", "SHA256SUMS"])
    }

    @Test func theFolderGoesWithTheValue() throws {
        let fixture = try ArchiveFixture()
        let archive = try fixture.seal(["a.txt": "alpha"], minutes: 0).archivePath
        var extracted: ExtractedArchive? = try Extractor(verifier: ArchiveVerifier(trust: fixture.trust))
            .extractPrivately(archive)
        let folder = try #require(extracted?.folder.path)
        #expect(FileManager.default.fileExists(atPath: folder))
        extracted = nil
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func aTamperedArchiveLeavesNoFolderBehind() throws {
        let fixture = try ArchiveFixture()
        let archive = try fixture.seal(["a.txt": "hello evidence"], minutes: 0).archivePath
        try Tamper.flipByte(in: archive, at: "hello evidence")
        let parent = try TemporaryFolder()
        #expect(throws: ArchiveError(.verificationFailed, "")) {
            try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extractPrivately(archive, in: parent.path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [])
    }

    // `PrivateFolder.removeAll()` empties every private folder of the process, so it is tested where
    // it runs, in a process of its own: `anInterruptedHuntRemovesTheEvidenceItExtracted` (DiffCommandTests).
}
