import CustodyCrypto
import EvidenceArchive
import Foundation
import Testing

/// Gzip bombs: a few kilobytes that expand to megabytes stop at the limit, named, instead of
/// costing minutes; what stays below it reads as before.
@Suite struct DecompressedSizeLimitTests {
    /// 16 MiB of zeros, about 16 KiB compressed: a small gzip bomb.
    static let bomb: [UInt8] = (try? Gzip.compress([UInt8](repeating: 0, count: 16 << 20))) ?? []

    static func readAll(_ reader: Gzip.Reader) throws -> Int64 {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while try chunk.withUnsafeMutableBytes({ try reader.read(into: $0) }) > 0 {}
        return reader.decompressedCount
    }

    @Test func bombStopsAtTheLimitNamingTheFile() throws {
        #expect(Self.bomb.count < 64 << 10)
        let reader = try Gzip.Reader(
            bytes: Self.bomb, name: "logs/bomb.json.gz", limit: DecompressedSizeLimit(bytes: 1 << 20))
        let error = #expect(throws: ArchiveError(.decompressedTooLarge, "")) { try Self.readAll(reader) }
        #expect(error?.message.contains("logs/bomb.json.gz expands to more than 1 MiB") == true)
        #expect(error?.message.contains("--max-decompressed-size") == true)
        #expect(reader.limitReached)
        #expect(reader.decompressedCount == 1 << 20, "every byte up to the limit was read")
        #expect(throws: ArchiveError(.decompressedTooLarge, ""), "and at every later read") { try Self.readAll(reader) }
    }

    @Test func dataWithinTheLimitReadsToItsEnd() throws {
        let exact = try Gzip.Reader(bytes: Self.bomb, limit: DecompressedSizeLimit(bytes: 16 << 20))
        #expect(try Self.readAll(exact) == 16 << 20)
        #expect(!exact.limitReached)
        #expect(try Self.readAll(try Gzip.Reader(bytes: Self.bomb)) == 16 << 20, "no limit unless one is given")
    }

    @Test(arguments: [
        ("8GiB", Int64(8) << 30), ("8 GiB", 8 << 30), ("512MiB", 512 << 20), ("4GB", 4_000_000_000),
        ("500mb", 500_000_000), ("1000000", 1_000_000), ("2KiB", 2048), ("1TiB", 1 << 40), ("3g", 3 << 30),
    ])
    func parsesSizesAsTyped(_ text: String, _ bytes: Int64) {
        #expect(DecompressedSizeLimit(parsing: text)?.bytes == bytes)
    }

    @Test(arguments: ["", "GiB", "0", "-1GiB", "1.5GiB", "8XB", "99999999999999999999", "9000000TiB"])
    func refusesWhatIsNoSize(_ text: String) {
        #expect(DecompressedSizeLimit(parsing: text) == nil)
    }

    @Test func saysTheLimitInItsUnit() {
        #expect(DecompressedSizeLimit.standard.description == "4 GiB")
        #expect(DecompressedSizeLimit(bytes: 1536 << 20).description == "1536 MiB")
        #expect(DecompressedSizeLimit(bytes: 1000).description == "1000 bytes")
    }

    /// A log file that is the bomb, and a digest (unsigned) listing it with the hash of what it expands to.
    static func bombSlice() -> (log: String, digestPath: String, digest: String) {
        let log =
            "cloudtrail/s3/b/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/29/111122223333_CloudTrail_us-east-1_20261129T0000Z_bomb.json.gz"
        let digestPath =
            "cloudtrail/s3/b/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/29/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261129T010000Z.json.gz"
        let digest = """
            {"digestEndTime":"2026-11-29T01:00:00Z","digestS3Bucket":"b","digestS3Object":"\(digestPath.dropFirst("cloudtrail/s3/b/".count))",\
            "digestPublicKeyFingerprint":"00","logFiles":[{"s3Bucket":"b","s3Object":"\(log.dropFirst("cloudtrail/s3/b/".count))",\
            "hashValue":"\(SHA256.hash([UInt8](repeating: 0, count: 16 << 20)).hex)"}]}
            """
        return (log, digestPath, digest)
    }

    @Test func digestCheckReportsALogFileThatExpandsBeyondTheLimit() throws {
        let (log, digestPath, digest) = Self.bombSlice()
        let members = [digestPath: try Gzip.compress(Array(digest.utf8)), log: Self.bomb]
        let limited = CloudTrailDigestValidator(decompressedSizeLimit: DecompressedSizeLimit(bytes: 1 << 20)).validate(
            members)
        let finding = try #require(limited.first { $0.member == log })
        #expect(finding.code == .cloudTrailLogAltered)
        #expect(finding.message.contains("expands to more than 1 MiB"))
        #expect(
            !CloudTrailDigestValidator().validate(members).contains { $0.member == log },
            "within 4 GiB its hash matches")
    }

    @Test func verifyChecksALogFileOnlyUpToItsLimitAndSaysSo() throws {
        let (log, digestPath, digest) = Self.bombSlice()
        let fixture = try ArchiveFixture()
        let members = [
            SealMember(path: log, source: .bytes(Self.bomb)),
            SealMember(path: digestPath, source: .bytes(try Gzip.compress(Array(digest.utf8)))),
        ]
        let request = SealRequest(
            account: ArchiveFixture.account, kind: .evidence, members: members,
            collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
            finishedAt: ArchiveFixture.epoch)
        let sealed = try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).seal(request)
        var limited = ArchiveVerifier(trust: fixture.trust)
        limited.decompressedSizeLimit = DecompressedSizeLimit(bytes: 1 << 20)
        let problem = try #require(limited.verify(sealed.archivePath).problems.first { $0.member == log })
        #expect(problem.message.contains("expands to more than 1 MiB"), "\(problem)")
        #expect(
            !ArchiveVerifier(trust: fixture.trust).verify(sealed.archivePath).problems.contains { $0.member == log })
    }
}
