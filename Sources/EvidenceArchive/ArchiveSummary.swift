import CustodyCrypto
import Foundation

/// What `custody show` prints: the manifest and the member list, read without extracting or
/// hashing member data. A summary is not a verification.
public struct ArchiveSummary: Codable, Sendable {
    /// One entry as it stands in the tar.
    public struct Entry: Codable, Hashable, Sendable {
        /// The member's name.
        public var path: String
        /// Its type: `regular`, `directory`, `symbolicLink` …
        public var type: String
        /// Its size in bytes.
        public var size: Int64
    }

    /// The archive's path.
    public var path: String
    /// The manifest, when it could be parsed.
    public var manifest: Manifest?
    /// SHA-256 of the manifest's exact bytes.
    public var manifestSHA256: String?
    /// The fingerprint of `signer.pub.pem`, when present.
    public var signerKeyFingerprint: String?
    /// Every entry, in archive order.
    public var entries: [Entry]

    /// Reads the summary of `path`.
    /// - Throws: `ArchiveError` when the file cannot be read as a tar at all.
    public static func read(_ path: String) throws -> ArchiveSummary {
        let trailer = try ArchiveTrailer.read(path)
        var summary = ArchiveSummary(
            path: path, entries: trailer.entries.map { Entry(path: $0.path, type: $0.kind.rawValue, size: $0.size) })
        if let bytes = trailer.manifestBytes {
            summary.manifestSHA256 = SHA256.hash(bytes).hex
            summary.manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes))
        }
        if let pem = trailer.signerPEM, let key = try? PublicKey(pem: pem) {
            summary.signerKeyFingerprint = key.fingerprint
        }
        return summary
    }
}
