import CustodyJSON
import EvidenceArchive
import Foundation

/// The archive side: verification of a tar, manifests, and CloudTrail's digest files.
enum ArchiveFuzzing {
    private static let file = NSTemporaryDirectory() + "custody-fuzz-\(ProcessInfo.processInfo.processIdentifier).tar"

    /// Verifies `bytes` as an archive, as `custody verify` does.
    static func verify(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else { return }
        let verification = ArchiveVerifier(trust: TrustStore()).verify(file)
        _ = "\(verification)"
    }

    /// Decodes `bytes` as a manifest and works out from it what commands do.
    static func manifest(_ bytes: [UInt8]) {
        _ = try? JSONValue.parse(Data(bytes))
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes)) else { return }
        _ = try? CanonicalJSON.encode(manifest)
        _ = Timestamp.parse(manifest.startedAt)
        _ = Timestamp.parse(manifest.finishedAt)
        if let windows = manifest.cloudTrailWindows { _ = Manifest.CloudTrailWindow.summaryLines(windows) }
        for member in manifest.members {
            _ = MemberName.problem(with: member.path)
            _ = ArchiveLayout.sequence(inArchiveName: member.path)
            _ = CloudTrailDigestValidator.logFileTime(member.path)
            _ = CloudTrailDigestValidator.digestFileTime(member.path)
        }
        _ = ArchiveLayout.isAccountId(manifest.account)
    }

    /// A digest (its JSON), its S3 metadata, the public keys, a log file's text and a stored member,
    /// as parts separated by zero bytes; each JSON part is gzip-compressed as CloudTrail stores it
    /// and placed where the digest says it lives, then the slice is validated.
    static func digests(_ bytes: [UInt8]) {
        let parts = bytes.split(separator: 0, maxSplits: 4, omittingEmptySubsequences: false).map(Array.init)
        func part(_ index: Int) -> [UInt8] { index < parts.count ? parts[index] : [] }
        let digest = (try? JSONValue.parse(Data(part(0)))) ?? .null
        let digestKey =
            digest["digestS3Object"]?.stringValue
            ?? "AWSLogs/1/CloudTrail-Digest/r/1_CloudTrail-Digest_r_t_r_20260101T000000Z.json.gz"
        let digestPath = CloudTrailDigestValidator.member(
            bucket: digest["digestS3Bucket"]?.stringValue ?? "b", key: digestKey)
        var members: [String: [UInt8]] = [:]
        members[digestPath] = (try? Gzip.compress(part(0))) ?? []
        members[digestPath + CloudTrailDigestValidator.metadataSuffix] = part(1)
        members[CloudTrailDigestValidator.publicKeysMember] = part(2)
        let logs = digest["logFiles"]?.arrayValue ?? []
        for (n, log) in logs.prefix(4).enumerated() {
            let path = CloudTrailDigestValidator.member(
                bucket: log["s3Bucket"]?.stringValue ?? "b", key: log["s3Object"]?.stringValue ?? "log-\(n)")
            members[path] = n == 0 ? ((try? Gzip.compress(part(3))) ?? []) : part(4)
        }
        let window = (from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 4_000_000_000))
        _ = CloudTrailDigestValidator(window: window, decompressedSizeLimit: DecompressedSizeLimit(bytes: 1 << 20))
            .validate(members)
    }
}
