import CustodyCrypto
import Foundation

/// Verifies one archive: every member hash, the member set and order against the manifest (names
/// compared as bytes), every tar header byte, the padding and what follows the end-of-archive
/// marker against what Custody writes, the signature over the manifest's exact bytes, the signer
/// against the trust store, and CloudTrail's own proof over an S3 slice.
///
/// The file is read once, front to back, in bounded memory. Every problem is collected; none
/// stops the others from being looked for.
public struct ArchiveVerifier: Sendable {
    /// The signers that are trusted.
    public var trust: TrustStore
    /// How much of a CloudTrail S3 slice is held in memory for the digest check.
    var cloudTrailLimits = CloudTrailSlice.Limits()
    /// The most one gzip CloudTrail file of the slice may expand to before it is reported, unchecked.
    public var decompressedSizeLimit = DecompressedSizeLimit.standard

    /// Makes a verifier trusting `trust`.
    public init(trust: TrustStore) {
        self.trust = trust
    }

    /// Verifies the archive at `path`. Never throws: what cannot be read becomes a problem.
    public func verify(_ path: String) -> ArchiveVerification {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.openForReading(path)
        } catch {
            var result = ArchiveVerification(path: path)
            result.add(.unreadable, "\(path) cannot be opened: \(error).")
            return result
        }
        do {
            return try verify(descriptor, path: path)
        } catch {
            // Only a sink throws, and there is none.
            var result = ArchiveVerification(path: path)
            result.add(.unreadable, "\(path) cannot be read: \(error).")
            return result
        }
    }

    /// Verifies the archive `descriptor` reads from where it stands, reading each byte once and
    /// handing each safe member's bytes to `sink` as they are hashed.
    /// - Throws: only what `sink` throws.
    func verify(_ descriptor: FileDescriptor, path: String, sink: (any MemberSink)? = nil) throws
        -> ArchiveVerification
    {
        var result = ArchiveVerification(path: path)
        let reading = try read(descriptor, into: &result, sink: sink)
        guard reading.isTar else { return result }
        check(found: reading.found, small: reading.small, into: &result)
        checkCloudTrailProof(reading.slice, into: &result)
        return result
    }

    /// Compares what was found with the manifest and checks the signature.
    private func check(found: [Found], small: [MemberName: [UInt8]], into result: inout ArchiveVerification) {
        guard !result.problems.contains(where: { $0.code == .notATar || $0.code == .unreadable }) else { return }
        checkFormatMarker(found: found, small: small, into: &result)
        guard let manifestBytes = small[MemberName(ArchiveLayout.manifestMember)] else {
            result.add(
                .manifestMissing, member: ArchiveLayout.manifestMember,
                "the archive has no manifest.json, so nothing in it can be verified.")
            return
        }
        result.manifestSHA256 = SHA256.hash(manifestBytes).hex
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(manifestBytes))
        } catch {
            result.add(
                .manifestInvalid, member: ArchiveLayout.manifestMember,
                "manifest.json is not a valid manifest: \(error).")
            checkSignature(manifestBytes, small: small, claimed: nil, into: &result)
            return
        }
        result.manifest = manifest
        result.account = manifest.account
        result.sequence = manifest.chain.sequence
        result.kind = manifest.kind
        result.finishedAt = manifest.finishedAt
        result.cloudTrailWindow = manifest.cloudTrailWindow
        result.cloudTrailWindows = manifest.regionWindows.isEmpty ? nil : manifest.regionWindows
        result.coverageGaps = manifest.coverage.filter { $0.status != .complete }
        result.evidence = manifest.evidence
        if manifest.format != Manifest.formatName || !Manifest.readableVersions.contains(manifest.version) {
            result.add(
                .unsupportedVersion, member: ArchiveLayout.manifestMember,
                "manifest.json is \(manifest.format) version \(manifest.version); this tool reads \(Manifest.formatName) versions \(Manifest.readableVersions.lowerBound) to \(Manifest.readableVersions.upperBound)."
            )
        }
        checkWindows(manifest, into: &result)
        checkSignature(manifestBytes, small: small, claimed: manifest.signer, into: &result)
        checkMembers(found: found, manifest: manifest, into: &result)
        checkTimes(found, manifest: manifest, into: &result)
        checkSums(small: small, manifest: manifest, into: &result)
    }

    private func checkFormatMarker(found: [Found], small: [MemberName: [UInt8]], into result: inout ArchiveVerification)
    {
        guard let marker = small[MemberName(ArchiveLayout.formatMember)] else {
            result.add(
                .formatMarker, member: ArchiveLayout.formatMember,
                "custody.json is missing: this is not a Custody archive, or its first member was removed.")
            return
        }
        if found.first?.name != MemberName(ArchiveLayout.formatMember) {
            result.add(.formatMarker, member: ArchiveLayout.formatMember, "custody.json is not the first member.")
        }
        struct Marker: Decodable {
            var format: String
            var version: Int
        }
        guard let parsed = try? JSONDecoder().decode(Marker.self, from: Data(marker)),
            parsed.format == "custody-archive"
        else {
            result.add(
                .formatMarker, member: ArchiveLayout.formatMember,
                "custody.json does not say {\"format\":\"custody-archive\"}.")
            return
        }
        if !Manifest.readableVersions.contains(parsed.version) {
            result.add(
                .unsupportedVersion, member: ArchiveLayout.formatMember,
                "the archive is format version \(parsed.version); this tool reads versions \(Manifest.readableVersions.lowerBound) to \(Manifest.readableVersions.upperBound)."
            )
        }
    }

    private func checkSignature(
        _ manifestBytes: [UInt8], small: [MemberName: [UInt8]], claimed: Manifest.Signer?,
        into result: inout ArchiveVerification
    ) {
        let signature = small[MemberName(ArchiveLayout.signatureMember)]
        result.signature = signature
        if signature == nil {
            result.add(
                .signatureMissing, member: ArchiveLayout.signatureMember,
                "manifest.json.sig is missing: the manifest is unsigned.")
        }
        guard let pem = small[MemberName(ArchiveLayout.signerMember)], let key = try? PublicKey(pem: pem) else {
            result.add(
                .signerKeyMissing, member: ArchiveLayout.signerMember,
                "signer.pub.pem is missing or is not a public key Custody can use.")
            return
        }
        result.signerFingerprint = key.fingerprint
        // OpenSSL reads the first PEM block and ignores what surrounds it; the member must be that block alone.
        if let canonical = try? key.pemString(), pem != Array(canonical.utf8) {
            result.add(
                .signerKeyMissing, member: ArchiveLayout.signerMember,
                "signer.pub.pem holds more than its public key: it must be exactly one PEM block "
                    + "(-----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----, 64-character lines) and a final newline, "
                    + "as Custody writes it, with no other text, key or line ending.")
        }
        if let claimed, claimed.fingerprint != key.fingerprint {
            result.add(
                .signerMismatch, member: ArchiveLayout.signerMember,
                "signer.pub.pem (\(key.fingerprint)) is not the key the manifest names (\(claimed.fingerprint)).")
        }
        if let signature, !key.isValidSignature(signature, for: manifestBytes) {
            result.add(
                .signatureInvalid, member: ArchiveLayout.signatureMember,
                "the signature does not match manifest.json: the manifest was edited after sealing, or the signature was replaced."
            )
        }
        if let entry = trust.entry(for: key.fingerprint) {
            result.signerTrustedBecause = entry.reason
        } else {
            result.add(
                .signerUntrusted, member: ArchiveLayout.signerMember,
                "the signer \(key.fingerprint) is not trusted; if you know this key, pass --trust KEY.pub or --trust-fingerprint \(key.fingerprint)."
            )
        }
    }

    /// Names compare as bytes: a member renamed to another Unicode form of its name is another member.
    private func checkMembers(found: [Found], manifest: Manifest, into result: inout ArchiveVerification) {
        let expected = (manifest.members.map(\.path) + ArchiveLayout.trailingMembers).map(MemberName.init)
        let expectedSet = Set(expected)
        let foundByName = Dictionary(found.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for member in manifest.members {
            guard let actual = foundByName[MemberName(member.path)] else {
                result.add(
                    .memberMissing, member: member.path,
                    "\(member.path) is listed in the manifest but missing from the archive.")
                continue
            }
            if actual.sha256 != member.sha256 || actual.size != member.size {
                result.add(
                    .memberChanged, member: member.path,
                    "\(member.path) has changed: SHA-256 \(actual.sha256) (\(actual.size) bytes), the manifest says \(member.sha256) (\(member.size) bytes)."
                )
            }
        }
        for member in found where !expectedSet.contains(member.name) {
            result.add(
                .memberUnexpected, member: member.path,
                "\(member.path) is in the archive but not in the manifest: it was added after sealing.")
        }
        let actualOrder = found.map(\.name).filter { expectedSet.contains($0) }
        let expectedOrder = expected.filter { foundByName[$0] != nil }
        if actualOrder != expectedOrder {
            let firstDifference = zip(actualOrder, expectedOrder).first { $0 != $1 }
            let detail = firstDifference.map { " (found \($0.0) where the manifest has \($0.1))" } ?? ""
            result.add(.membersReordered, "members are not in the manifest's order\(detail).")
        }
    }

    /// CloudTrail's own proof over the S3 slice (digest signatures and chain, log file hashes), when there is one.
    private func checkCloudTrailProof(_ slice: CloudTrailSlice, into result: inout ArchiveVerification) {
        guard !slice.kept.isEmpty || !slice.logs.isEmpty else { return }
        var validator = CloudTrailDigestValidator(decompressedSizeLimit: decompressedSizeLimit)
        if let window = result.cloudTrailWindow, let from = Timestamp.parse(window.from),
            let to = Timestamp.parse(window.to)
        {
            validator.window = (from, to)
        }
        for finding in validator.validate(kept: slice.kept, logs: slice.logs) {
            result.add(finding.code, member: finding.member, finding.message)
        }
    }

    private func checkSums(small: [MemberName: [UInt8]], manifest: Manifest, into result: inout ArchiveVerification) {
        guard let sums = small[MemberName(ArchiveLayout.sumsMember)] else { return }
        let listed = manifest.members.filter { MemberName($0.path) != MemberName(ArchiveLayout.sumsMember) }.map {
            "\($0.sha256)  \($0.path)\n"
        }.joined()
        if sums != Array(listed.utf8) {
            result.add(
                .sumsMismatch, member: ArchiveLayout.sumsMember,
                "SHA256SUMS does not list exactly the manifest's members and hashes.")
        }
    }
}
