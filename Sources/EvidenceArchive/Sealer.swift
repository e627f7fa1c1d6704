public import CustodyCrypto
import CustodyJSON
import Foundation

/// Seals members into the next archive of an account's chain.
///
/// The archive is written as `<name>.tar.partial`, flushed to disk and only then renamed, so a
/// killed run never leaves a `.tar` behind. With the same inputs, key, case and clock the bytes
/// are the same (Ed25519 and RSA signatures are deterministic; ECDSA signatures are not).
/// Memory stays bounded: files are streamed in 1 MiB blocks and hashed as they are written.
public struct Sealer: Sendable {
    /// The case the archive joins.
    public var caseFolder: CaseFolder
    /// The key that signs the manifest.
    public var signingKey: PrivateKey
    /// Block size for reading inputs.
    static let blockSize = 1 << 20
    /// How much is written between two nudges to start writing back to disk.
    static let writebackInterval = 32 << 20

    /// Makes a sealer.
    public init(caseFolder: CaseFolder, signingKey: PrivateKey) {
        self.caseFolder = caseFolder
        self.signingKey = signingKey
    }

    /// Seals `request` as the next archive of its account.
    /// - Throws: `ArchiveError` when an input cannot be read, a name is unsafe, the previous
    ///   archive cannot be read, or the archive cannot be written. Nothing is left behind then.
    public func seal(_ request: SealRequest) throws -> SealResult {
        guard ArchiveLayout.isAccountId(request.account) else {
            throw ArchiveError(.invalidAccount, "'\(request.account)' is not an AWS account id; give the 12 digits.")
        }
        try validateNames(request.members)
        let caseId = try caseFolder.prepare()
        let accountPath = caseFolder.accountPath(request.account)
        try makeDirectories(accountPath)
        let lock = try AccountLock(accountPath: accountPath)
        defer { lock.release() }

        let previous = try ChainTip.latest(in: accountPath)
        let sequence = (previous?.sequence ?? 0) + 1
        let name = ArchiveLayout.archiveName(sequence: sequence, time: Timestamp.compact(request.finishedAt))
        let finalPath = joinPath(accountPath, name)
        let chain = Manifest.ChainLink(
            sequence: sequence,
            previous: previous.map {
                Manifest.PreviousArchive(
                    name: $0.name, manifestSHA256: $0.manifestSHA256,
                    signature: Data($0.signature).base64EncodedString())
            })
        let result = try write(request, caseId: caseId, chain: chain, to: finalPath)
        syncDirectory(accountPath)
        return result
    }

    /// Seals `request` as an archive of its own at `path`, outside any account's chain: how a
    /// report is sealed. It is sequence 1 with no previous archive; its manifest belongs to the
    /// case and names the evidence the report was made from (`request.evidence`).
    /// - Throws: `ArchiveError` when an input cannot be read, a name is unsafe, `path` already
    ///   exists, or the archive cannot be written. Nothing is left behind then.
    public func sealStandalone(_ request: SealRequest, at path: String) throws -> SealResult {
        guard ArchiveLayout.isAccountId(request.account) else {
            throw ArchiveError(.invalidAccount, "'\(request.account)' is not an AWS account id; give the 12 digits.")
        }
        try validateNames(request.members)
        let caseId = try caseFolder.prepare()
        guard !pathExists(path) else {
            throw ArchiveError(.writeFailed, "\(path) already exists; choose another place, or remove it first.")
        }
        let folder = parentPath(of: path)
        try makeDirectories(folder)
        let result = try write(request, caseId: caseId, chain: Manifest.ChainLink(sequence: 1, previous: nil), to: path)
        syncDirectory(folder)
        return result
    }

    /// Writes the archive as `finalPath.partial`, flushes it and renames it into place.
    private func write(_ request: SealRequest, caseId: String, chain: Manifest.ChainLink, to finalPath: String) throws
        -> SealResult
    {
        let finished = Timestamp.iso8601(request.finishedAt)
        let partialPath = finalPath + ".partial"
        guard !pathExists(finalPath) else {
            throw ArchiveError(
                .writeFailed, "\(finalPath) already exists; the chain folder is inconsistent, run custody verify.")
        }
        unlink(partialPath)
        // A link planted at the partial name was just removed; O_EXCL and O_NOFOLLOW refuse a new one.
        let fd = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ArchiveError(.writeFailed, "Cannot create \(partialPath): \(errnoText()).") }
        let output = FileDescriptor(raw: fd)
        do {
            let mtime = Int(request.finishedAt.timeIntervalSince1970.rounded(.down))
            let writer = try TarWriter(fileDescriptor: output.raw)
            var listed: [Manifest.Member] = []
            listed.append(
                try write(ArchiveLayout.formatMember, .bytes(ArchiveLayout.formatMemberContent), writer, mtime))
            for member in request.members {
                listed.append(try write(member.path, member.source, writer, mtime, output: output))
            }
            let sums = listed.map { "\($0.sha256)  \($0.path)\n" }.joined()
            listed.append(try write(ArchiveLayout.sumsMember, .bytes(Array(sums.utf8)), writer, mtime))

            let evidence: [Manifest.EvidenceReference]? = request.evidence.isEmpty ? nil : request.evidence
            let manifest = Manifest(
                caseId: caseId, account: request.account, kind: request.kind, collector: request.collector,
                startedAt: Timestamp.iso8601(request.startedAt), finishedAt: finished,
                cloudTrailWindow: request.cloudTrailWindow, regions: request.regions, coverage: request.coverage,
                members: listed, chain: chain,
                signer: Manifest.Signer(
                    fingerprint: signingKey.publicKey.fingerprint, algorithm: signingKey.type.signatureAlgorithm),
                evidence: evidence, cloudTrailWindows: request.cloudTrailWindows)
            let manifestBytes = try CanonicalJSON.encode(manifest)
            let signature = try signingKey.signature(for: manifestBytes)
            try writer.addFile(path: ArchiveLayout.manifestMember, bytes: manifestBytes, mtime: mtime)
            try writer.addFile(path: ArchiveLayout.signatureMember, bytes: signature, mtime: mtime)
            try writer.addFile(
                path: ArchiveLayout.signerMember, bytes: Array(signingKey.publicKey.pemString().utf8), mtime: mtime)
            try writer.finish()
            guard fsync(output.raw) == 0 else {
                throw ArchiveError(.writeFailed, "Cannot flush \(partialPath): \(errnoText()).")
            }
            guard rename(partialPath, finalPath) == 0 else {
                throw ArchiveError(.writeFailed, "Cannot rename \(partialPath) into place: \(errnoText()).")
            }
            return SealResult(
                archivePath: finalPath, archiveName: lastComponent(of: finalPath), sequence: chain.sequence,
                manifestSHA256: SHA256.hash(manifestBytes).hex, manifest: manifest)
        } catch {
            unlink(partialPath)
            throw error
        }
    }

    private func validateNames(_ members: [SealMember]) throws {
        // By bytes: two names that differ only in Unicode form are two files to tar and sha256sum.
        var seen = Set<MemberName>()
        let reserved = Set(
            ([ArchiveLayout.formatMember, ArchiveLayout.sumsMember] + ArchiveLayout.trailingMembers).map(
                MemberName.init))
        for member in members {
            try MemberName.validate(member.path)
            guard !reserved.contains(MemberName(member.path)) else {
                throw ArchiveError(.invalidMemberName, "'\(member.path)' is reserved for the archive's own members.")
            }
            guard seen.insert(MemberName(member.path)).inserted else {
                throw ArchiveError(.duplicateMember, "Two members are both named '\(member.path)'.")
            }
        }
    }

    /// Writes one member, hashing it on the way, and returns its manifest record.
    private func write(
        _ path: String, _ source: SealMember.Source, _ writer: TarWriter, _ mtime: Int, output: FileDescriptor? = nil
    ) throws -> Manifest.Member {
        var hasher = SHA256()
        switch source {
        case .bytes(let bytes):
            hasher.update(bytes)
            try writer.addFile(path: path, bytes: bytes, mtime: mtime)
            return Manifest.Member(path: path, size: Int64(bytes.count), sha256: hasher.finalize().hex)
        case .file(let file):
            let input = try FileDescriptor.openForReading(file)
            let info = try input.status()
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw ArchiveError(.inputUnreadable, "\(file) is not a regular file.")
            }
            let size = Int64(info.st_size)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Sealer.blockSize, alignment: 16)
            defer { buffer.deallocate() }
            let digest = BackgroundDigest()
            defer { digest.wait() }
            var written = 0
            try writer.addFile(path: path, size: size, mtime: mtime) { emit in
                var remaining = size
                while true {
                    let count = try input.read(into: buffer)
                    if count == 0 { break }
                    guard Int64(count) <= remaining else {
                        throw ArchiveError(
                            .inputChanged, "\(file) grew while it was being sealed; seal it again when it is complete.")
                    }
                    remaining -= Int64(count)
                    let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                    digest.hash(chunk)
                    defer { digest.wait() }
                    try emit(chunk)
                    written += count
                    if let output, written >= Sealer.writebackInterval {
                        // On Linux this starts writing back the dirty pages without waiting for them, so disk
                        // writes overlap hashing and the final fsync has little left to wait for.
                        posix_fadvise(output.raw, 0, 0, POSIX_FADV_DONTNEED)
                        written = 0
                    }
                }
            }
            return Manifest.Member(path: path, size: size, sha256: digest.finalize().hex)
        }
    }
}

/// An exclusive lock on an account folder, so two seals never take the same sequence number.
struct AccountLock {
    private let descriptor: FileDescriptor

    init(accountPath: String) throws {
        let path = joinPath(accountPath, ".lock")
        // Never through a link: O_CREAT would create whatever file a planted link names.
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ArchiveError(
                .locked, "Cannot open \(path): \(errnoText()); it must be a plain file (remove it if it is a link).")
        }
        descriptor = FileDescriptor(raw: fd)
        guard flock(fd, LOCK_EX) == 0 else { throw ArchiveError(.locked, "Cannot lock \(path): \(errnoText()).") }
    }

    func release() { flock(descriptor.raw, LOCK_UN) }
}

/// The newest archive of a chain: what the next one links to.
struct ChainTip {
    var name: String
    var sequence: Int
    var manifestSHA256: String
    var signature: [UInt8]

    /// The highest-numbered archive in `accountPath`, or `nil` when there is none.
    static func latest(in accountPath: String) throws -> ChainTip? {
        let archives = try directoryEntries(accountPath).compactMap { name in
            ArchiveLayout.sequence(inArchiveName: name).map { (name: name, sequence: $0) }
        }
        guard let newest = archives.max(by: { ($0.sequence, $0.name) < ($1.sequence, $1.name) }) else { return nil }
        let path = joinPath(accountPath, newest.name)
        let trailer: ArchiveTrailer
        do {
            trailer = try ArchiveTrailer.read(path)
        } catch {
            throw ArchiveError(
                .previousUnreadable,
                "Cannot chain to \(path), the newest archive of the account: it cannot be read.",
                remedy: "Run custody verify on the account folder to see why, and set the damaged archive aside before "
                    + "sealing again.",
                underlying: error as? ArchiveError)
        }
        guard let manifest = trailer.manifestBytes, let signature = trailer.signature else {
            throw ArchiveError(
                .previousUnreadable,
                "Cannot chain to \(path): it has no manifest or signature.",
                remedy: "Run custody verify on the account folder.")
        }
        return ChainTip(
            name: newest.name, sequence: newest.sequence, manifestSHA256: SHA256.hash(manifest).hex,
            signature: signature)
    }
}
