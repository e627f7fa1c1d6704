/// The signed part of an archive, read without hashing the rest: what the next archive links to
/// and what `show` prints.
struct ArchiveTrailer {
    var manifestBytes: [UInt8]?
    var signature: [UInt8]?
    var signerPEM: [UInt8]?
    /// Every entry, in order, with its size.
    var entries: [TarEntry]

    /// Reads the trailer of the archive at `path`, skipping member data.
    static func read(_ path: String) throws -> ArchiveTrailer {
        let reader = RawTarReader(descriptor: try FileDescriptor.openForReading(path))
        var trailer = ArchiveTrailer(entries: [])
        let trailing = Set(ArchiveLayout.trailingMembers.map(MemberName.init))
        while let raw = try reader.next() {
            let entry = TarEntry(
                path: raw.name.description, kind: raw.kind, size: raw.size,
                linkTarget: raw.linkTarget.map { MemberName(bytes: $0).description })
            trailer.entries.append(entry)
            guard entry.kind == .regular, trailing.contains(raw.name) else { continue }
            let bytes = try readSmall(reader, entry)
            switch entry.path {
            case ArchiveLayout.manifestMember: trailer.manifestBytes = bytes
            case ArchiveLayout.signatureMember: trailer.signature = bytes
            default: trailer.signerPEM = bytes
            }
        }
        return trailer
    }

    /// Reads a small member's data, refusing more than its limit.
    static func readSmall(_ reader: RawTarReader, _ entry: TarEntry) throws -> [UInt8] {
        let limit = ArchiveLayout.smallMemberLimits[MemberName(entry.path)] ?? 65536
        guard entry.size <= limit else {
            throw ArchiveError(.readFailed, "\(entry.path) is \(entry.size) bytes, more than the \(limit) it may be.")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(max(0, entry.size)))
        try reader.readData { buffer in
            guard bytes.count + buffer.count <= limit else {
                throw ArchiveError(.readFailed, "\(entry.path) is larger than the \(limit) bytes it may be.")
            }
            bytes.append(contentsOf: buffer)
        }
        return bytes
    }
}
