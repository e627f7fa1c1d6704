import CustodyCrypto
import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// Archives from others are untrusted: hostile entries are named and never written to disk.
@Suite
struct UnsafeArchiveTests {
    /// Builds a tar with Python's tarfile: a normal file, then one hostile entry of `kind`.
    static func hostileTar(_ kind: String, at path: String) throws {
        let script = """
            import io, sys, tarfile
            kind, out = sys.argv[1], sys.argv[2]
            with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
                def add(name, data=b"x", **fields):
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    for key, value in fields.items():
                        setattr(info, key, value)
                    t.addfile(info, io.BytesIO(data) if info.isreg() else None)
                add("custody.json", b'{"format":"custody-archive","version":1}\\n')
                if kind == "absolute": add("/tmp/custody-escape-absolute")
                if kind == "dotdot": add("files/../../custody-escape-dotdot")
                if kind == "symlink": add("files/link", b"", type=tarfile.SYMTYPE, linkname="/etc/passwd")
                if kind == "hardlink": add("files/hard", b"", type=tarfile.LNKTYPE, linkname="custody.json")
                if kind == "device": add("files/dev", b"", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
                if kind == "duplicate": add("custody.json", b"again")
            """
        let run = try ExternalTool.python3!.run(["-c", script, kind, path])
        #expect(run.status == 0, "\(run.error)")
    }

    @Test(arguments: [
        ("absolute", VerificationProblem.Code.unsafeMember), ("dotdot", .unsafeMember), ("symlink", .unsafeMember),
        ("hardlink", .unsafeMember), ("device", .unsafeMember), ("duplicate", .duplicateMember),
    ])
    func hostileEntriesAreNamed(kind: String, code: VerificationProblem.Code) throws {
        let folder = try TemporaryFolder()
        let path = folder.file("hostile.tar")
        try Self.hostileTar(kind, at: path)
        let result = ArchiveVerifier(trust: TrustStore()).verify(path)
        #expect(result.codes.contains(code))
        #expect(result.codes.contains(.manifestMissing))

        // Nothing is extracted from it, and nothing escapes.
        let target = folder.file("out")
        #expect(throws: ArchiveError(.verificationFailed, "")) {
            try Extractor(verifier: ArchiveVerifier(trust: TrustStore())).extract(path, to: target)
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/custody-escape-absolute"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/../custody-escape-dotdot"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: target))?.isEmpty ?? true)
    }

    @Test func hostileEntryInsideASignedArchiveIsNamedToo() throws {
        let fixture = try ArchiveFixture()
        let archive = try fixture.seal(["a.txt": "alpha"], minutes: 0).archivePath
        let members = try Tamper.members(of: archive)
        let folder = try TemporaryFolder()
        for member in members { try folder.write("m/\(member.path)", member.bytes) }
        let script = """
            import os, sys, tarfile
            src, out = sys.argv[1], sys.argv[2]
            names = sys.argv[3:]
            with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
                for name in names[:2]:
                    t.add(src + "/" + name, arcname=name)
                link = tarfile.TarInfo("files/evil")
                link.type = tarfile.SYMTYPE
                link.linkname = "../../../../etc/passwd"
                t.addfile(link)
                for name in names[2:]:
                    t.add(src + "/" + name, arcname=name)
                end = t.offset
            # tarfile pads to 10 KiB records; Custody ends at the two zero blocks.
            os.truncate(out, end + 1024)
            """
        let hostile = folder.file("hostile.tar")
        let run = try ExternalTool.python3!.run(["-c", script, folder.file("m"), hostile] + members.map(\.path))
        #expect(run.status == 0, "\(run.error)")
        let result = fixture.verifyArchive(hostile)
        // Python writes its own headers (owner names, number formats), which verification names too.
        #expect(result.codes == [.unsafeMember, .memberHeaderChanged])
        #expect(result.problems.filter { $0.code == .unsafeMember }.map(\.member) == ["files/evil"])
    }
}

@Suite struct ExtractorTests {
    @Test func extractsEveryMemberWithItsBytes() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["a.txt": "alpha", "deep/er/b.txt": "beta"], minutes: 0)
        let target = fixture.folder.file("out")
        let extracted = try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extract(
            result.archivePath, to: target)
        #expect(extracted.written.count == 7)
        #expect(try String(contentsOfFile: target + "/files/deep/er/b.txt", encoding: .utf8) == "beta")
        #expect(FileManager.default.fileExists(atPath: target + "/manifest.json.sig"))
    }

    @Test func refusesATamperedArchiveAndWritesNothing() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["a.txt": "hello evidence"], minutes: 0)
        try Tamper.flipByte(in: result.archivePath, at: "hello evidence")
        let target = fixture.folder.file("out")
        #expect(throws: ArchiveError(.verificationFailed, "")) {
            try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extract(result.archivePath, to: target)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func refusesAnUntrustedSigner() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["a.txt": "alpha"], minutes: 0)
        #expect(throws: ArchiveError(.verificationFailed, "")) {
            try Extractor(verifier: ArchiveVerifier(trust: TrustStore())).extract(
                result.archivePath, to: fixture.folder.file("out"))
        }
    }

    @Test func refusesAFolderThatIsNotEmpty() throws {
        let fixture = try ArchiveFixture()
        let result = try fixture.seal(["a.txt": "alpha"], minutes: 0)
        let target = fixture.folder.file("out")
        try fixture.folder.write("out/existing", Data([1]))
        #expect(throws: ArchiveError(.extractTargetUnusable, "")) {
            try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extract(result.archivePath, to: target)
        }
    }
}
