import CustodyCrypto
import Foundation

/// Verifies one archive: every member hash, the member set and order against the manifest, the
/// signature over the manifest's exact bytes, and the signer against the trust store.
///
/// Every problem is collected; none stops the others from being looked for.
public struct ArchiveVerifier: Sendable {
    /// The signers that are trusted.
    public var trust: TrustStore

    /// Makes a verifier trusting `trust`.
    public init(trust: TrustStore) {
        self.trust = trust
    }

    /// One member as found in the archive.
    struct Found {
        var path: String
        var size: Int64
        var sha256: String
    }

    /// Verifies the archive at `path`. Never throws: what cannot be read becomes a problem.
    public func verify(_ path: String) -> ArchiveVerification {
        var result = ArchiveVerification(path: path)
        var found: [Found] = []
        var small: [String: [UInt8]] = [:]
        read(path, into: &result, found: &found, small: &small)
        check(found: found, small: small, into: &result)
        checkCloudTrailProof(small: small, into: &result)
        return result
    }

    /// Reads every entry, hashing regular files and keeping the small format members.
    private func read(
        _ path: String, into result: inout ArchiveVerification, found: inout [Found], small: inout [String: [UInt8]]
    ) {
        let reader: TarReader
        do {
            reader = try TarReader(path: path)
        } catch let error as ArchiveError where error.code == .readFailed {
            result.add(.notATar, "\(lastComponent(of: path)) is not a tar archive (\(error.message)).")
            return
        } catch {
            result.add(.unreadable, "\(path) cannot be opened: \(error).")
            return
        }
        var names = Set<String>()
        var readAll = false
        do {
            while let entry = try reader.nextEntry() {
                if let unsafe = unsafeReason(entry) {
                    result.add(.unsafeMember, member: entry.path, "member '\(entry.path)' \(unsafe); it is never extracted.")
                    try reader.skipData()
                    continue
                }
                guard names.insert(entry.path).inserted else {
                    result.add(.duplicateMember, member: entry.path, "member '\(entry.path)' appears more than once.")
                    try reader.skipData()
                    continue
                }
                var hasher = SHA256()
                var size: Int64 = 0
                let keep =
                    ArchiveLayout.smallMemberLimits[entry.path]
                    ?? (CloudTrailDigestValidator.wants(entry.path) ? CloudTrailDigestValidator.memberLimit : nil)
                var kept: [UInt8] = []
                try reader.readData { buffer in
                    hasher.update(buffer)
                    size += Int64(buffer.count)
                    if let keep, kept.count + buffer.count <= keep { kept.append(contentsOf: buffer) }
                }
                if let keep {
                    if size <= keep {
                        small[entry.path] = kept
                    } else if CloudTrailDigestValidator.wants(entry.path) {
                        result.add(.cloudTrailLogAltered, member: entry.path, "\(entry.path) is \(size) bytes, too large to check against its digest.")
                    } else {
                        result.add(.memberUnexpected, member: entry.path, "\(entry.path) is \(size) bytes, larger than it can be (\(keep)).")
                    }
                }
                found.append(Found(path: entry.path, size: size, sha256: hasher.finalize().hex))
            }
            readAll = true
        } catch {
            let text = "\(error)"
            if found.isEmpty && names.isEmpty {
                result.add(.notATar, "\(lastComponent(of: path)) is not a tar archive (\(text)).")
            } else {
                result.add(.truncated, "\(lastComponent(of: path)) ends early or is damaged after member \(found.last?.path ?? "?") (\(text)).")
            }
            return
        }
        if readAll {
            if found.isEmpty && names.isEmpty {
                result.add(.notATar, "\(lastComponent(of: path)) holds no tar members.")
            } else if !endsWithMarker(path) {
                result.add(.truncated, "\(lastComponent(of: path)) lacks the tar end-of-archive marker: the file was cut short.")
            }
        }
    }

    /// Why an entry is unsafe, or `nil`.
    private func unsafeReason(_ entry: TarEntry) -> String? {
        if let problem = MemberName.problem(with: entry.path) { return "is unsafe: \(problem)" }
        switch entry.kind {
        case .regular: return nil
        case .symbolicLink: return "is a symbolic link to '\(entry.linkTarget ?? "")'"
        case .hardLink: return "is a hard link to '\(entry.linkTarget ?? "")'"
        case .characterDevice, .blockDevice: return "is a device"
        case .directory: return "is a directory entry, which Custody never writes"
        case .fifo, .socket, .other: return "is not a regular file (\(entry.kind.rawValue))"
        }
    }

    /// Whether the file ends with the two zero blocks that end a tar.
    private func endsWithMarker(_ path: String) -> Bool {
        guard let fd = try? FileDescriptor.openForReading(path), let info = try? fd.status(), info.st_size >= 1024 else {
            return false
        }
        var tail = [UInt8](repeating: 1, count: 1024)
        let count = tail.withUnsafeMutableBytes { pread(fd.raw, $0.baseAddress, 1024, off_t(info.st_size - 1024)) }
        return count == 1024 && tail.allSatisfy { $0 == 0 }
    }

    /// Compares what was found with the manifest and checks the signature.
    private func check(found: [Found], small: [String: [UInt8]], into result: inout ArchiveVerification) {
        guard !result.problems.contains(where: { $0.code == .notATar || $0.code == .unreadable }) else { return }
        checkFormatMarker(found: found, small: small, into: &result)
        guard let manifestBytes = small[ArchiveLayout.manifestMember] else {
            result.add(.manifestMissing, member: ArchiveLayout.manifestMember, "the archive has no manifest.json, so nothing in it can be verified.")
            return
        }
        result.manifestSHA256 = SHA256.hash(manifestBytes).hex
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(manifestBytes))
        } catch {
            result.add(.manifestInvalid, member: ArchiveLayout.manifestMember, "manifest.json is not a valid manifest: \(error).")
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
        result.coverageGaps = manifest.coverage.filter { $0.status != "complete" }
        result.evidence = manifest.evidence
        if manifest.format != Manifest.formatName || !Manifest.readableVersions.contains(manifest.version) {
            result.add(
                .unsupportedVersion, member: ArchiveLayout.manifestMember,
                "manifest.json is \(manifest.format) version \(manifest.version); this tool reads \(Manifest.formatName) versions \(Manifest.readableVersions.lowerBound) to \(Manifest.readableVersions.upperBound).")
        }
        checkWindows(manifest, into: &result)
        checkSignature(manifestBytes, small: small, claimed: manifest.signer, into: &result)
        checkMembers(found: found, manifest: manifest, into: &result)
        checkSums(small: small, manifest: manifest, into: &result)
    }

    private func checkFormatMarker(found: [Found], small: [String: [UInt8]], into result: inout ArchiveVerification) {
        guard let marker = small[ArchiveLayout.formatMember] else {
            result.add(.formatMarker, member: ArchiveLayout.formatMember, "custody.json is missing: this is not a Custody archive, or its first member was removed.")
            return
        }
        if found.first?.path != ArchiveLayout.formatMember {
            result.add(.formatMarker, member: ArchiveLayout.formatMember, "custody.json is not the first member.")
        }
        struct Marker: Decodable {
            var format: String
            var version: Int
        }
        guard let parsed = try? JSONDecoder().decode(Marker.self, from: Data(marker)), parsed.format == "custody-archive"
        else {
            result.add(.formatMarker, member: ArchiveLayout.formatMember, "custody.json does not say {\"format\":\"custody-archive\"}.")
            return
        }
        if !Manifest.readableVersions.contains(parsed.version) {
            result.add(
                .unsupportedVersion, member: ArchiveLayout.formatMember,
                "the archive is format version \(parsed.version); this tool reads versions \(Manifest.readableVersions.lowerBound) to \(Manifest.readableVersions.upperBound).")
        }
    }

    private func checkSignature(
        _ manifestBytes: [UInt8], small: [String: [UInt8]], claimed: Manifest.Signer?,
        into result: inout ArchiveVerification
    ) {
        let signature = small[ArchiveLayout.signatureMember]
        result.signature = signature
        if signature == nil {
            result.add(.signatureMissing, member: ArchiveLayout.signatureMember, "manifest.json.sig is missing: the manifest is unsigned.")
        }
        guard let pem = small[ArchiveLayout.signerMember], let key = try? PublicKey(pem: pem) else {
            result.add(.signerKeyMissing, member: ArchiveLayout.signerMember, "signer.pub.pem is missing or is not a public key Custody can use.")
            return
        }
        result.signerFingerprint = key.fingerprint
        if let claimed, claimed.fingerprint != key.fingerprint {
            result.add(
                .signerMismatch, member: ArchiveLayout.signerMember,
                "signer.pub.pem (\(key.fingerprint)) is not the key the manifest names (\(claimed.fingerprint)).")
        }
        if let signature, !key.isValidSignature(signature, for: manifestBytes) {
            result.add(
                .signatureInvalid, member: ArchiveLayout.signatureMember,
                "the signature does not match manifest.json: the manifest was edited after sealing, or the signature was replaced.")
        }
        if let entry = trust.entry(for: key.fingerprint) {
            result.signerTrustedBecause = entry.reason
        } else {
            result.add(
                .signerUntrusted, member: ArchiveLayout.signerMember,
                "the signer \(key.fingerprint) is not trusted; if you know this key, pass --trust KEY.pub or --trust-fingerprint \(key.fingerprint).")
        }
    }

    private func checkMembers(found: [Found], manifest: Manifest, into result: inout ArchiveVerification) {
        let expected = manifest.members.map(\.path) + ArchiveLayout.trailingMembers
        let expectedSet = Set(expected)
        let foundByPath = Dictionary(found.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for member in manifest.members {
            guard let actual = foundByPath[member.path] else {
                result.add(.memberMissing, member: member.path, "\(member.path) is listed in the manifest but missing from the archive.")
                continue
            }
            if actual.sha256 != member.sha256 || actual.size != member.size {
                result.add(
                    .memberChanged, member: member.path,
                    "\(member.path) has changed: SHA-256 \(actual.sha256) (\(actual.size) bytes), the manifest says \(member.sha256) (\(member.size) bytes).")
            }
        }
        for member in found where !expectedSet.contains(member.path) {
            result.add(.memberUnexpected, member: member.path, "\(member.path) is in the archive but not in the manifest: it was added after sealing.")
        }
        let actualOrder = found.map(\.path).filter { expectedSet.contains($0) }
        let expectedOrder = expected.filter { foundByPath[$0] != nil }
        if actualOrder != expectedOrder {
            let firstDifference = zip(actualOrder, expectedOrder).first { $0 != $1 }
            let detail = firstDifference.map { " (found \($0.0) where the manifest has \($0.1))" } ?? ""
            result.add(.membersReordered, "members are not in the manifest's order\(detail).")
        }
    }

    /// CloudTrail's own proof over the S3 slice (digest signatures and chain, log file hashes), when there is one.
    private func checkCloudTrailProof(small: [String: [UInt8]], into result: inout ArchiveVerification) {
        let slice = small.filter { CloudTrailDigestValidator.wants($0.key) }
        guard !slice.isEmpty else { return }
        var validator = CloudTrailDigestValidator()
        if let window = result.cloudTrailWindow, let from = Timestamp.parse(window.from), let to = Timestamp.parse(window.to) {
            validator.window = (from, to)
        }
        for finding in validator.validate(slice) {
            result.add(finding.code, member: finding.member, finding.message)
        }
    }

    private func checkSums(small: [String: [UInt8]], manifest: Manifest, into result: inout ArchiveVerification) {
        guard let sums = small[ArchiveLayout.sumsMember] else { return }
        let listed = manifest.members.filter { $0.path != ArchiveLayout.sumsMember }.map { "\($0.sha256)  \($0.path)\n" }.joined()
        if sums != Array(listed.utf8) {
            result.add(.sumsMismatch, member: ArchiveLayout.sumsMember, "SHA256SUMS does not list exactly the manifest's members and hashes.")
        }
    }
}
