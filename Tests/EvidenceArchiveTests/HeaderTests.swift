import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// Every byte of a member's tar headers is fixed by the format and the manifest: a field changed
/// after sealing is named with its member.
@Suite struct HeaderTests {
    let fixture: ArchiveFixture
    let archive: String
    static let accented = "files/caf\u{E9}.txt"

    init() throws {
        fixture = try ArchiveFixture()
        archive = try fixture.seal(["a.txt": "hello evidence", "caf\u{E9}.txt": "latte"], minutes: 0).archivePath
    }

    func onlyProblem(_ member: String) throws -> VerificationProblem {
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.memberHeaderChanged], "\(result.problems)")
        let problem = try #require(result.problems.first)
        #expect(problem.member == member)
        return problem
    }

    @Test(arguments: [
        ("mode", "000755 "), ("uid", "001750 "), ("gid", "001750 "), ("uname", "root"), ("gname", "wheel"),
        ("linkname", "/etc/passwd"), ("devmajor", "000001 "), ("type", "7"),
    ])
    func aChangedFieldIsNamedWithItsMember(field: String, value: String) throws {
        try Tamper.setHeaderField(in: archive, member: "files/a.txt", field: field, to: value)
        let problem = try onlyProblem("files/a.txt")
        #expect(problem.message.contains("\(field) '"), "\(problem.message)")
    }

    /// A reader that ignores pax headers takes the ustar name; it must be the one Custody writes.
    @Test(arguments: [("name", "files/evil.sh"), ("prefix", "hidden")])
    func aUstarNameUnderAPaxPathIsChecked(field: String, value: String) throws {
        try Tamper.setHeaderField(in: archive, member: Self.accented, field: field, to: value)
        let problem = try onlyProblem(Self.accented)
        #expect(problem.message.contains("\(field) '\(value)'"), "\(problem.message)")
    }

    @Test func theBlockOfThePaxHeaderIsCheckedToo() throws {
        try Tamper.setHeaderField(in: archive, member: Self.accented, field: "uname", to: "root", ofPaxHeader: true)
        let problem = try onlyProblem(Self.accented)
        #expect(problem.message.contains("pax header's uname 'root'"), "\(problem.message)")
    }

    @Test func aTimeOtherThanTheSealingTimeIsNamed() throws {
        try Tamper.setHeaderField(in: archive, member: "files/a.txt", field: "mtime", to: "15254235700 ")
        let problem = try onlyProblem("files/a.txt")
        #expect(problem.message.contains("mtime 1790000064"), "\(problem.message)")
        #expect(problem.message.contains("finishedAt"))
    }

    @Test func bytesHiddenInThePaddingAfterAMembersDataAreNamed() throws {
        try Tamper.setPaddingByte(in: archive, member: "files/a.txt", to: 0x41)
        let problem = try onlyProblem("files/a.txt")
        #expect(problem.message.contains("padding"), "\(problem.message)")
    }

    @Test
    func aPaxKeyCustodyNeverWritesIsNamed() throws {
        // Python copies the archive member by member, adding a comment to one; its own number
        // formats and owner names differ too, and are named as well.
        let script = """
            import sys, tarfile
            src, out = sys.argv[1], sys.argv[2]
            with tarfile.open(src) as s, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
                for m in s.getmembers():
                    if m.name == "files/a.txt":
                        m.pax_headers = {"comment": "hidden note"}
                    t.addfile(m, s.extractfile(m))
            """
        let copy = fixture.folder.file("copy.tar")
        let run = try ExternalTool.python3!.run(["-c", script, archive, copy])
        #expect(run.status == 0, "\(run.error)")
        let result = fixture.verifyArchive(copy)
        #expect(result.codes.contains(.memberHeaderChanged))
        let problem = try #require(result.problems.first { $0.member == "files/a.txt" })
        #expect(problem.message.contains("comment"), "\(problem.message)")
    }

    @Test func sealedArchivesHoldExactlyTheHeadersCustodyRenders() throws {
        let reader = RawTarReader(descriptor: try FileDescriptor.openForReading(archive))
        var count = 0
        while let entry = try reader.next() {
            let rendered = try TarWriter.header(path: entry.name.description, size: entry.size, mtime: 1_790_000_000)
            #expect(rendered == entry.header, "\(entry.name)")
            count += 1
        }
        #expect(count == 7)
        #expect(try reader.readEnd() == .marker)
    }
}
