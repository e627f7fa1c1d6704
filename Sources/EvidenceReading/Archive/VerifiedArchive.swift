import CustodyCrypto
import Evidence
package import EvidenceArchive
import Foundation

/// An archive that verified, extracted in the same read into a private folder (0700, files 0600)
/// that goes when the value does, with the manifest verification read.
package final class VerifiedArchive: @unchecked Sendable {
    package let path: String
    package let manifest: Manifest
    package let manifestSHA256: String?
    package let folder: String
    /// Each member's SHA-256 from the verified manifest, by name as bytes.
    package let hashes: [MemberName: String]
    /// Holds the private folder for as long as the value lives.
    private let extracted: ExtractedArchive

    /// Verifies and extracts `path`.
    /// - Parameter configure: a seam for tests, given the extractor before it runs.
    /// - Throws: `EvidenceReadError` `.verificationFailed` with every problem, or `.inputUnreadable`.
    package init(path: String, trust: TrustStore, configure: (inout Extractor) -> Void = { _ in }) throws {
        self.path = path
        let store = (try? trust.adding(caseKeyFor: path).store) ?? trust
        var extractor = Extractor(verifier: ArchiveVerifier(trust: store))
        configure(&extractor)
        do {
            extracted = try extractor.extractPrivately(path)
        } catch {
            throw EvidenceReadError(.verificationFailed, "\(error)", underlying: error)
        }
        // The manifest verification read and checked; the copy on disk is never read back.
        manifest = extracted.manifest
        manifestSHA256 = extracted.verification.manifestSHA256
        folder = extracted.folder.path
        hashes = Dictionary(
            manifest.members.map { (MemberName($0.path), $0.sha256) }, uniquingKeysWith: { first, _ in first })
    }

    package var reference: ArchiveReference {
        ArchiveReference(
            path: path, account: manifest.account, sequence: manifest.chain.sequence, kind: manifest.kind,
            manifestSHA256: manifestSHA256, startedAt: manifest.startedAt,
            cloudTrailWindow: manifest.cloudTrailWindow.map { "\($0.from)/\($0.to)" })
    }

    package var hasSnapshot: Bool { hashes[MemberName(SnapshotLayout.prefix + SnapshotLayout.account.path())] != nil }

    /// The snapshots of `before` and `after`, as `before.snapshot()` then `after.snapshot()` give
    /// them (errors included), the later decoded only where its entities' bytes differ
    /// (`SnapshotReading.snapshots(before:after:)`).
    package static func snapshots(_ before: VerifiedArchive, _ after: VerifiedArchive) throws -> (
        LoadedSnapshot, LoadedSnapshot
    ) {
        if let old = try? before.snapshotMembers(), let new = try? after.snapshotMembers(),
            let pair = SnapshotReading.snapshots(before: old, after: new)
        {
            return (before.loaded(pair.before), after.loaded(pair.after))
        }
        return (try before.snapshot(), try after.snapshot())
    }

    /// The snapshot, its members parsed and decoded in parallel (`SnapshotReading`).
    package func snapshot() throws -> LoadedSnapshot {
        let members = try snapshotMembers()
        do {
            return loaded(try SnapshotReading.snapshot(from: members))
        } catch {
            throw EvidenceReadError(.snapshotMissing, "\(path): \(error)", underlying: error)
        }
    }

    /// The snapshot's members as extracted (path → bytes).
    private func snapshotMembers() throws -> [String: [UInt8]] {
        let paths = manifest.members.map(\.path).filter { $0.hasPrefix(SnapshotLayout.prefix) }
        guard !paths.isEmpty else {
            throw EvidenceReadError(
                .snapshotMissing,
                "\(path) holds no snapshot (it is a \(manifest.kind) archive); diff needs two collected archives.")
        }
        var members: [String: [UInt8]] = [:]
        for member in paths {
            guard let bytes = Self.contents(of: folder + "/" + member) else {
                throw EvidenceReadError(.snapshotMissing, "\(path): \(member) could not be read after extraction.")
            }
            members[member] = bytes
        }
        return members
    }

    /// The bytes of a file, read straight into an array (snapshot members run to tens of megabytes).
    private static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        guard size > 0 else { return [] }
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let read = Foundation.read(descriptor, buffer.baseAddress! + count, size - count)
                if read < 0 && errno == EINTR { continue }
                guard read > 0 else {
                    complete = read == 0 && count == size
                    break
                }
                count += read
            }
        }
        return complete && bytes.count == size ? bytes : nil
    }

    private func loaded(_ snapshot: Snapshot) -> LoadedSnapshot {
        LoadedSnapshot(
            snapshot: snapshot, archive: path,
            memberHashes: Dictionary(
                manifest.members.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first }),
            takenAt: manifest.startedAt)
    }

    /// The members holding CloudTrail records: live slices, imported files, and the log files of the
    /// S3 slice (`cloudtrail/s3/<bucket>/…/CloudTrail/<region>/…json.gz`, digests left out).
    package var trailMembers: [(path: String, source: TrailSource)] {
        manifest.members.map(\.path).filter { member in
            (member.hasPrefix("cloudtrail/") && member.hasSuffix("/events.jsonl.gz"))
                || (member.hasPrefix("cloudtrail/imported/"))
                || (member.hasPrefix("cloudtrail/s3/") && member.contains("/CloudTrail/")
                    && member.hasSuffix(".json.gz"))
        }.map { member in
            (
                folder + "/" + member,
                TrailSource(
                    archive: path, member: member, sha256: hashes[MemberName(member)], account: manifest.account)
            )
        }
    }

    /// The collection that made the archive: the key and ARN it called AWS as, and when it ran.
    package var collector: CollectorSpan { CollectorSpan(manifest) }
}
