import Foundation
import Testing
@testable import EvidenceArchive

/// An archive error says what went wrong, what to do, and then what failed underneath.
@Suite struct ArchiveErrorTests {
    @Test func descriptionPutsTheUnderlyingErrorAfterWhatToDo() {
        let cause = ArchiveError(.readFailed, "the file ends in the middle of a header")
        let error = ArchiveError(
            .previousUnreadable, "Cannot chain to a.tar.", remedy: "Run custody verify.", underlying: cause)
        #expect(
            error.description == "Cannot chain to a.tar. Run custody verify. (the file ends in the middle of a header)")
        #expect(ArchiveError(.locked, "Cannot lock x.").description == "Cannot lock x.")
    }

    @Test func sealingAfterAnUnreadableArchiveSaysToVerifyAndSetItAside() throws {
        let fixture = try ArchiveFixture()
        let first = try fixture.seal(["a.txt": "a"], minutes: 0)
        try Data("not a tar".utf8).write(to: URL(fileURLWithPath: first.archivePath))
        let error = #expect(throws: ArchiveError(.previousUnreadable, "")) {
            try fixture.seal(["b.txt": "b"], minutes: 1)
        }
        let remedy = try #require(error?.remedy)
        #expect(remedy.contains("custody verify") && remedy.contains("set the damaged archive aside"))
        #expect(error?.description.hasPrefix("\(error?.message ?? "") \(remedy)") == true)
    }
}
