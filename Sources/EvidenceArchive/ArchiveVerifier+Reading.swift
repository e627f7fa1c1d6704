import CustodyCrypto

extension ArchiveVerifier {
    /// One member as found in the archive.
    struct Found {
        var name: MemberName
        var size: Int64
        var sha256: String
        /// The modification time its header gives.
        var mtime: Int64?
        /// The name as text, for messages.
        var path: String { name.description }
    }

    /// What one pass over an archive found.
    struct Reading {
        /// Every safe member, in archive order.
        var found: [Found] = []
        /// The small format members, by name.
        var small: [MemberName: [UInt8]] = [:]
        /// What the CloudTrail digest check needs of the S3 slice.
        var slice = CloudTrailSlice()
        /// Whether the file could be read as a tar at all.
        var isTar = true
    }

    /// What a sink threw: it stops the pass rather than becoming a problem of the archive.
    private struct SinkFailure: Error {
        var error: any Error

        static func passing(_ body: () throws -> Void) throws {
            do { try body() } catch { throw SinkFailure(error: error) }
        }
    }

    /// Reads every entry of the archive `descriptor` reads, each byte once: hashing regular files,
    /// keeping the small format members, handing each safe member to `sink`, and naming what is
    /// unsafe, duplicated or cut short.
    /// - Throws: only what `sink` throws.
    func read(_ descriptor: FileDescriptor, into result: inout ArchiveVerification, sink: (any MemberSink)? = nil)
        throws -> Reading
    {
        var reading = Reading()
        let reader = RawTarReader(descriptor: descriptor)
        let file = lastComponent(of: result.path)
        var names = Set<MemberName>()
        var entries = 0
        do {
            while let entry = try reader.next() {
                entries += 1
                let path = entry.name.description
                if let unsafe = unsafeReason(entry) {
                    result.add(.unsafeMember, member: path, "member '\(path)' \(unsafe); it is never extracted.")
                    continue
                }
                guard names.insert(entry.name).inserted else {
                    result.add(.duplicateMember, member: path, "member '\(path)' appears more than once.")
                    continue
                }
                var hasher = SHA256()
                var size: Int64 = 0
                let inSlice = CloudTrailDigestValidator.wants(entry.name)
                let keep =
                    ArchiveLayout.smallMemberLimits[entry.name]
                    ?? (inSlice && CloudTrailSlice.keeps(entry.name) ? cloudTrailLimits.member : nil)
                var kept: [UInt8] = []
                if let sink { try SinkFailure.passing { try sink.begin(entry.name) } }
                let consume = { (buffer: UnsafeRawBufferPointer) throws in
                    hasher.update(buffer)
                    size += Int64(buffer.count)
                    if let keep, kept.count + buffer.count <= keep { kept.append(contentsOf: buffer) }
                    if let sink { try SinkFailure.passing { try sink.write(buffer) } }
                }
                if inSlice && keep == nil {
                    // A log file: only what its uncompressed bytes hash to is kept, computed as it streams past.
                    reading.slice.logs[entry.name] = try CloudTrailSlice.uncompressedHash(
                        of: path, limit: Int(clamping: decompressedSizeLimit.bytes)
                    ) { buffer in
                        let count = try reader.read(into: buffer)
                        try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                        return count
                    }
                }
                try reader.readData(consume)
                if let sink { try SinkFailure.passing { try sink.end() } }
                if let keep {
                    if size > keep {
                        let code: VerificationProblem.Code = inSlice ? .cloudTrailDigestInvalid : .memberUnexpected
                        result.add(code, member: path, "\(path) is \(size) bytes, larger than it can be (\(keep)).")
                    } else if !inSlice {
                        reading.small[entry.name] = kept
                    } else if !reading.slice.keep(kept, as: entry.name, limit: cloudTrailLimits.total) {
                        result.add(
                            .cloudTrailDigestInvalid, member: path,
                            "\(path) is not checked: the archive's CloudTrail digests, their metadata and keys come to "
                                + "more than the \(cloudTrailLimits.total >> 20) MiB verify holds in memory.")
                    }
                }
                checkHeader(of: entry, paddingIsZero: reader.paddingIsZero, into: &result)
                reading.found.append(
                    Found(name: entry.name, size: size, sha256: hasher.finalize().hex, mtime: entry.mtime))
            }
        } catch let failure as SinkFailure {
            throw failure.error
        } catch {
            reading.isTar = entries > 0
            if entries == 0 {
                result.add(.notATar, "\(file) is not a tar archive (\(error)).")
            } else {
                let after = reading.found.last?.path ?? "?"
                result.add(.truncated, "\(file) ends early or is damaged after member \(after) (\(error)).")
            }
            return reading
        }
        if entries == 0 {
            reading.isTar = false
            result.add(.notATar, "\(file) holds no tar members.")
            return reading
        }
        do {
            switch try reader.readEnd() {
            case .marker: break
            case .cutShort:
                result.add(.truncated, "\(file) lacks the tar end-of-archive marker: the file was cut short.")
            case .trailing(let offset, let count):
                let marker = reader.markerOffset.map { " at byte \($0)" } ?? ""
                result.add(
                    .trailingData,
                    "\(file) holds \(count) bytes from byte \(offset) on, after its end-of-archive marker\(marker): Custody "
                        + "ends an archive with exactly two zero blocks, and tar --ignore-zeros would read what follows "
                        + "as members no signature covers.")
            }
        } catch {
            result.add(.unreadable, "\(result.path) cannot be read to its end: \(error).")
        }
        return reading
    }

    /// A member's headers must be byte for byte the ones Custody writes for its name, size and
    /// time (its time is checked against the manifest later), and the padding after its data zero,
    /// so no byte of a verified archive lies outside what the signature and the format fix.
    private func checkHeader(of entry: RawTarEntry, paddingIsZero: Bool, into result: inout ArchiveVerification) {
        let path = entry.name.description
        var differences: [String]
        do {
            let expected = try TarWriter.header(path: path, size: entry.size, mtime: Int(entry.mtime ?? 0))
            differences =
                expected == entry.header ? [] : TarHeaderDifference.describe(actual: entry.header, expected: expected)
        } catch {
            differences = ["headers that cannot be compared (\(error))"]
        }
        if !paddingIsZero { differences.append("bytes other than zero in the padding after its data") }
        guard !differences.isEmpty else { return }
        result.add(
            .memberHeaderChanged, member: path,
            "member '\(path)': its tar header is not the one Custody writes: \(differences.joined(separator: "; ")).")
    }

    /// Every member's header time must be the manifest's `finishedAt`, as Custody writes it.
    func checkTimes(_ found: [Found], manifest: Manifest, into result: inout ArchiveVerification) {
        guard let finished = Timestamp.parse(manifest.finishedAt) else { return }
        let expected = Int64(finished.timeIntervalSince1970.rounded(.down))
        for member in found where member.mtime != expected {
            let actual = member.mtime.map(String.init) ?? "unreadable"
            result.add(
                .memberHeaderChanged, member: member.path,
                "member '\(member.path)': its tar header is not the one Custody writes: mtime \(actual), where Custody "
                    + "writes the manifest's finishedAt (\(manifest.finishedAt), \(expected)).")
        }
    }

    /// Why an entry is unsafe, or `nil`.
    private func unsafeReason(_ entry: RawTarEntry) -> String? {
        if let problem = entry.name.problem { return "is unsafe: \(problem)" }
        let target = entry.linkTarget.map { MemberName(bytes: $0).description } ?? ""
        switch entry.kind {
        case .regular: return nil
        case .symbolicLink: return "is a symbolic link to '\(target)'"
        case .hardLink: return "is a hard link to '\(target)'"
        case .characterDevice, .blockDevice: return "is a device"
        case .directory: return "is a directory entry, which Custody never writes"
        case .fifo, .socket, .other: return "is not a regular file (\(entry.kind.rawValue))"
        }
    }
}
