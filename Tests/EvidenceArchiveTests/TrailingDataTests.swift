import ArchiveTestSupport
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// Nothing may follow the end-of-archive marker: `tar --ignore-zeros` reads on past it.
@Suite struct TrailingDataTests {
    let fixture: ArchiveFixture
    let archive: String
    static let evil = Tamper.Member(path: "evil.sh", bytes: Array("#!/bin/sh\necho owned\n".utf8))

    init() throws {
        fixture = try ArchiveFixture()
        archive = try fixture.seal(["a.txt": "hello evidence"], minutes: 0).archivePath
    }

    @Test func membersHiddenAfterASingleZeroBlockAreTrailingData() throws {
        try Tamper.hide([Self.evil], in: archive)
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.trailingData])
        #expect(result.problems.first?.message.contains("--ignore-zeros") == true)
    }

    @Test
    func gnuTarFindsTheHiddenMemberThatVerificationRefuses() throws {
        try Tamper.hide([Self.evil], in: archive)
        let listing = try ExternalTool("tar")!.run(["-tif", archive])
        #expect(listing.status == 0, "\(listing.error)")
        #expect(listing.text.split(separator: "\n").last == "evil.sh")
        #expect(!fixture.verifyArchive(archive).ok)
        #expect(throws: ArchiveError(.verificationFailed, "")) {
            try Extractor(verifier: ArchiveVerifier(trust: fixture.trust)).extract(
                archive, to: fixture.folder.file("out"))
        }
    }

    @Test func anArchiveAppendedAfterTheMarkerIsTrailingData() throws {
        try Tamper.append(try Tamper.tarBody([Self.evil]) + [UInt8](repeating: 0, count: 1024), to: archive)
        #expect(fixture.verifyArchive(archive).codes == [.trailingData])
    }

    @Test(arguments: [512, 9216])
    func zeroPaddingBeyondTheTwoBlocksCustodyWritesIsTrailingData(count: Int) throws {
        try Tamper.append([UInt8](repeating: 0, count: count), to: archive)
        let result = fixture.verifyArchive(archive)
        #expect(result.codes == [.trailingData])
        #expect(result.problems.first?.message.contains("\(count) bytes") == true)
    }

    @Test func aFewStrayBytesAfterTheMarkerAreTrailingData() throws {
        try Tamper.append(Array("x".utf8), to: archive)
        #expect(fixture.verifyArchive(archive).codes == [.trailingData])
    }
}
