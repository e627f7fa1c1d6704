import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// The files Custody writes inside a case folder go where it means them to, whatever was planted there.
@Suite struct CaseFolderTests {
    /// A file outside the case that a planted link points at.
    static func victim(in folder: TemporaryFolder) throws -> String {
        try folder.write("victim.txt", Data("untouched\n".utf8))
    }

    @Test func aLinkPlantedAsTheCaseRecordsPartialFileIsNeverWrittenThrough() throws {
        let folder = try TemporaryFolder()
        let victim = try Self.victim(in: folder)
        let caseFolder = CaseFolder(root: folder.file("case"))
        try FileManager.default.createDirectory(atPath: caseFolder.metadataPath, withIntermediateDirectories: true)
        let partial = caseFolder.metadataPath + "/case.json.partial"
        try FileManager.default.createSymbolicLink(atPath: partial, withDestinationPath: victim)

        let caseId = try caseFolder.prepare(newCaseId: "case-1")

        #expect(caseId == "case-1")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched\n")
        let record = try FileManager.default.attributesOfItem(atPath: caseFolder.metadataPath + "/case.json")
        #expect(record[.type] as? FileAttributeType == .typeRegular)
        #expect(caseFolder.existingCaseId() == "case-1")
    }

    @Test func aLinkPlantedAsAnAccountsLockCreatesNothingWhereItPoints() throws {
        let fixture = try ArchiveFixture()
        let target = fixture.folder.file("created-through-the-link")
        try FileManager.default.createDirectory(atPath: fixture.accountFolder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.accountFolder + "/.lock", withDestinationPath: target)

        #expect(throws: ArchiveError(.locked, "")) { try fixture.seal(["a.txt": "alpha"], minutes: 0) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aLinkPlantedAsAnArchivesPartialFileIsNeverWrittenThrough() throws {
        let fixture = try ArchiveFixture()
        let victim = try Self.victim(in: fixture.folder)
        try FileManager.default.createDirectory(atPath: fixture.accountFolder, withIntermediateDirectories: true)
        let name = ArchiveLayout.archiveName(sequence: 1, time: Timestamp.compact(ArchiveFixture.epoch))
        try FileManager.default.createSymbolicLink(
            atPath: fixture.accountFolder + "/" + name + ".partial", withDestinationPath: victim)

        let result = try fixture.seal(["a.txt": "alpha"], minutes: 0)

        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched\n")
        #expect(fixture.verifyArchive(result.archivePath).ok)
    }
}
