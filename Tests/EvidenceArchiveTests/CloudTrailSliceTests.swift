import CustodyCrypto
import CustodyJSON
import CustodyTestSupport
import Foundation
import Testing
@testable import EvidenceArchive

/// A CloudTrail S3 slice as CloudTrail delivers one: log files, a digest listing them signed
/// with an RSA key (SHA256withRSA over CloudTrail's string to sign), its metadata, and the key.
struct CloudTrailSliceFixture {
    static let bucket = "trail-bucket"
    static let account = ArchiveFixture.account
    let key: PrivateKey
    /// Member name → bytes, as the archive holds them.
    var members: [String: [UInt8]] = [:]

    init(logs: [[UInt8]]) throws {
        key = try PrivateKey.generate(.rsa)
        var listed: [[String: String]] = []
        for (index, plain) in logs.enumerated() {
            let object =
                "AWSLogs/\(Self.account)/CloudTrail/us-east-1/2026/09/21/"
                + "\(Self.account)_CloudTrail_us-east-1_20260921T00\(10 + index)Z_log\(index).json.gz"
            members[CloudTrailDigestValidator.member(bucket: Self.bucket, key: object)] = try Gzip.compress(plain)
            listed.append(["s3Bucket": Self.bucket, "s3Object": object, "hashValue": SHA256.hash(plain).hex])
        }
        let object =
            "AWSLogs/\(Self.account)/CloudTrail-Digest/us-east-1/2026/09/21/"
            + "\(Self.account)_CloudTrail-Digest_us-east-1_trail_us-east-1_20260921T010000Z.json.gz"
        let end = "2026-09-21T01:00:00Z"
        let digest = try JSONSerialization.data(withJSONObject: [
            "digestEndTime": end, "digestS3Bucket": Self.bucket, "digestS3Object": object,
            "digestPublicKeyFingerprint": "fixturekey", "digestSignatureAlgorithm": "SHA256withRSA", "logFiles": listed,
        ])
        let toSign = "\(end)\n\(Self.bucket)/\(object)\n\(SHA256.hash(Array(digest)).hex)\nnull"
        let signature = try key.signature(for: Array(toSign.utf8))
        let member = CloudTrailDigestValidator.member(bucket: Self.bucket, key: object)
        members[member] = try Gzip.compress(Array(digest))
        members[member + CloudTrailDigestValidator.metadataSuffix] = Array(
            try JSONSerialization.data(withJSONObject: ["metadata": ["signature": Hex.encode(signature)]]))
        // ListPublicKeys gives the PKCS#1 RSAPublicKey, the BIT STRING inside the SubjectPublicKeyInfo.
        let pkcs1 = Array(key.publicKey.der.suffix(from: 24))
        members[CloudTrailDigestValidator.publicKeysMember] = Array(
            try JSONSerialization.data(withJSONObject: [
                "PublicKeyList": [["Fingerprint": "fixturekey", "Value": Data(pkcs1).base64EncodedString()]]
            ]))
    }

    /// The log members, in name order.
    var logMembers: [String] { members.keys.filter { $0.contains("/CloudTrail/") }.sorted() }

    /// Seals the slice (and nothing else) into `fixture`'s next archive.
    func seal(in fixture: ArchiveFixture) throws -> SealResult {
        let request = SealRequest(
            account: Self.account, kind: .evidence,
            members: members.keys.sorted().map { SealMember(path: $0, source: .bytes(members[$0]!)) },
            collector: Manifest.Collector(version: "test"), startedAt: ArchiveFixture.epoch,
            finishedAt: ArchiveFixture.epoch)
        return try Sealer(caseFolder: fixture.caseFolder, signingKey: fixture.key).seal(request)
    }
}

/// Verification checks CloudTrail's proof over log files of any size while holding only the
/// digests: log files are hashed as they stream past.
@Suite struct CloudTrailSliceTests {
    /// Bytes that do not compress: a log file that stays large in the archive.
    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test func aSliceAsCloudTrailDeliversItVerifies() throws {
        let fixture = try ArchiveFixture()
        let slice = try CloudTrailSliceFixture(logs: [Array(#"{"Records":[]}"#.utf8), Self.noise(300_000, seed: 1)])
        #expect(CloudTrailDigestValidator().validate(slice.members).isEmpty)
        let result = fixture.verifyArchive(try slice.seal(in: fixture).archivePath)
        #expect(result.problems.isEmpty, "\(result.problems)")
    }

    @Test func onlyTheDigestsAreHeldAndEachLogFileIsKeptAsItsHash() throws {
        let fixture = try ArchiveFixture()
        let slice = try CloudTrailSliceFixture(logs: [Self.noise(2_000_000, seed: 2), Self.noise(2_000_000, seed: 3)])
        let archive = try slice.seal(in: fixture).archivePath
        var result = ArchiveVerification(path: archive)
        let reading = try ArchiveVerifier(trust: fixture.trust).read(
            try FileDescriptor.openForReading(archive), into: &result)
        #expect(reading.slice.kept.keys.allSatisfy { !$0.contains("/CloudTrail/") })
        #expect(reading.slice.kept.count == 3)
        #expect(reading.slice.keptBytes < 10_000)
        #expect(Set(reading.slice.logs.keys) == Set(slice.logMembers.map(MemberName.init)))
        #expect(reading.slice.logs.values.allSatisfy { if case .sha256 = $0 { true } else { false } })
    }

    @Test func aLogFileLargerThanAnyMemberHeldIsStillCheckedAgainstItsDigest() throws {
        let fixture = try ArchiveFixture()
        var slice = try CloudTrailSliceFixture(logs: [Self.noise(3_000_000, seed: 4)])
        let log = try #require(slice.logMembers.first)
        var verifier = ArchiveVerifier(trust: fixture.trust)
        verifier.cloudTrailLimits.member = 1 << 20
        #expect(verifier.verify(try slice.seal(in: fixture).archivePath).problems.isEmpty)

        // Resealed with the log altered (the manifest agrees): CloudTrail's digest still says so.
        var plain = Self.noise(3_000_000, seed: 4)
        plain[1_500_000] ^= 1
        slice.members[log] = try Gzip.compress(plain)
        let result = verifier.verify(try slice.seal(in: fixture).archivePath)
        #expect(result.codes == [.cloudTrailLogAltered])
        #expect(result.problems.first?.member == log)
    }

    @Test func aListedLogFileThatIsNotGzipIsAltered() throws {
        let fixture = try ArchiveFixture()
        var slice = try CloudTrailSliceFixture(logs: [Array(#"{"Records":[]}"#.utf8)])
        let log = try #require(slice.logMembers.first)
        slice.members[log] = Array(#"{"Records":[]}"#.utf8)
        let result = fixture.verifyArchive(try slice.seal(in: fixture).archivePath)
        #expect(result.codes == [.cloudTrailLogAltered])
        #expect(result.problems.first?.message.contains("not the gzip file") == true)
    }

    @Test func digestsBeyondWhatIsHeldInMemoryAreAProblemNotASilentPass() throws {
        let fixture = try ArchiveFixture()
        let slice = try CloudTrailSliceFixture(logs: [Array(#"{"Records":[]}"#.utf8)])
        var verifier = ArchiveVerifier(trust: fixture.trust)
        verifier.cloudTrailLimits.total = 64
        let result = verifier.verify(try slice.seal(in: fixture).archivePath)
        #expect(result.codes.contains(.cloudTrailDigestInvalid))
        #expect(result.problems.contains { $0.message.contains("MiB verify holds in memory") })
    }
}
