#if canImport(Glibc)
    import Glibc
#endif

/// One entry of a tar as its bytes spell it.
package struct RawTarEntry {
    /// The name's bytes, pax `path` (or a GNU long name) applied, never normalised.
    package var name: MemberName
    var kind: TarEntry.Kind
    /// The size of its data.
    package var size: Int64
    /// Its modification time in seconds since 1970, pax `mtime` applied when it is a whole number.
    package var mtime: Int64?
    /// The link target, for links.
    var linkTarget: [UInt8]?
    /// Every byte that describes the entry, from its first extension header (pax `x` and its data)
    /// to the end of its own header block.
    package var header: [UInt8]
    /// Where in the file `header` starts.
    package var offset: Int64
}

/// Reads a tar front to back in Swift, each byte once: what verification and extraction read.
///
/// Names are the bytes they are (libarchive converts them, normalising to NFC, so two members
/// that differ only in Unicode form would read as one); each entry's header bytes are kept to be
/// compared with what Custody writes; the padding after each member's data is looked at; and the
/// end-of-archive marker is read to the end of the file rather than taken at the first zero
/// block, where libarchive stops but `tar --ignore-zeros` carries on.
package final class RawTarReader {
    /// What the file holds from the first zero block on.
    enum End: Equatable {
        /// A second zero block, then the end of the file: what Custody writes.
        case marker
        /// The file ends before the second zero block is complete.
        case cutShort
        /// `count` bytes from `offset` on are not the end-of-archive marker.
        case trailing(offset: Int64, count: Int64)
    }

    /// The most extension-header bytes (pax records, GNU long names) one entry may have.
    static let extensionLimit = 1 << 20

    private let descriptor: FileDescriptor
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// The file offset of the next byte to be read.
    private(set) var offset: Int64 = 0
    /// Data bytes of the current entry not read yet.
    private var remaining: Int64 = 0
    /// Padding bytes after the current entry's data not read yet.
    private var padding = 0
    /// Whether the padding after the current entry's data is zero, once it has been read.
    private(set) var paddingIsZero = true
    /// Where the first zero block of the end-of-archive marker starts, once it is found.
    private(set) var markerOffset: Int64?
    private var entries = 0

    /// Reads the tar `descriptor` holds, from where it stands.
    package init(descriptor: FileDescriptor, blockSize: Int = 1 << 20) {
        self.descriptor = descriptor
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The next entry, after the rest of the current one; `nil` at the end-of-archive marker.
    /// - Throws: `ArchiveError` `.readFailed` when the file is not a tar, is damaged or is cut short.
    package func next() throws -> RawTarEntry? {
        try skipData()
        let headerOffset = offset
        var header: [UInt8] = []
        var pax = PaxRecords()
        var longName: [UInt8]?
        var longLink: [UInt8]?
        while true {
            let bytes = try read(TarHeaderBlock.size)
            guard bytes.count == TarHeaderBlock.size else {
                if bytes.isEmpty && header.isEmpty {
                    throw ArchiveError(
                        .readFailed,
                        entries == 0 ? "the file is empty" : "the file ends without the end-of-archive marker")
                }
                throw ArchiveError(.readFailed, "the file ends in the middle of a header")
            }
            let block = TarHeaderBlock(bytes)
            if block.isZero && header.isEmpty {
                markerOffset = headerOffset
                return nil
            }
            guard block.hasValidChecksum else {
                throw ArchiveError(
                    .readFailed, "the block at byte \(offset - 512) is not a tar header (its checksum is wrong)")
            }
            header += bytes
            guard let fieldSize = block.number(124..<136) else {
                throw ArchiveError(.readFailed, "the header at byte \(offset - 512) has a size that is not a number")
            }
            switch block.type {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard fieldSize <= Int64(Self.extensionLimit - header.count) else {
                    throw ArchiveError(
                        .readFailed, "the extended header at byte \(offset - 512) is larger than any Custody writes")
                }
                let data = try read(Int(fieldSize))
                let blockPadding = try read(Self.paddingAfter(fieldSize))
                guard data.count == Int(fieldSize), blockPadding.count == Self.paddingAfter(fieldSize) else {
                    throw ArchiveError(.readFailed, "the file ends in the middle of an extended header")
                }
                header += data + blockPadding
                switch block.type {
                case UInt8(ascii: "x"): pax.records += try PaxRecords(data).records
                case UInt8(ascii: "L"): longName = Array(data.prefix { $0 != 0 })
                case UInt8(ascii: "K"): longLink = Array(data.prefix { $0 != 0 })
                default: break  // a global header only makes the entry's headers differ from Custody's
                }
            default:
                entries += 1
                let kind = Self.kind(block.type)
                let size = pax.number("size") ?? fieldSize
                // Links, devices, folders and fifos carry no data, whatever their size field says (as tar and Python read them).
                remaining = [.regular, .other].contains(kind) ? size : 0
                guard remaining <= Int64.max - 511 else {
                    throw ArchiveError(.readFailed, "the header at byte \(offset - 512) gives an impossible size")
                }
                padding = Self.paddingAfter(remaining)
                paddingIsZero = true
                let link = pax["linkpath"] ?? longLink ?? block.linkName
                return RawTarEntry(
                    name: MemberName(bytes: pax["path"] ?? longName ?? block.name), kind: kind, size: size,
                    mtime: pax.number("mtime") ?? block.number(136..<148), linkTarget: link.isEmpty ? nil : link,
                    header: header, offset: headerOffset)
            }
        }
    }

    /// The next bytes of the current entry's data, at most `limit`, straight from the read buffer
    /// (valid until the next call); `nil` once all of it is read, its padding then read too.
    /// - Throws: `ArchiveError` `.readFailed` when the file ends first.
    func nextChunk(limit: Int = .max) throws -> UnsafeRawBufferPointer? {
        guard remaining > 0 else {
            try readPadding()
            return nil
        }
        guard try fill() else { throw ArchiveError(.readFailed, "the file ends in the middle of a member's data") }
        let count = Int(min(Int64(min(limit, end - start)), remaining))
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + count)])
        start += count
        offset += Int64(count)
        remaining -= Int64(count)
        return chunk
    }

    /// Streams the rest of the current entry's data to `consume`, block by block.
    package func readData(_ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        while let chunk = try nextChunk() { try consume(chunk) }
    }

    /// Copies the next bytes of the current entry's data into `destination`; 0 at its end.
    func read(into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let chunk = try nextChunk(limit: destination.count), !chunk.isEmpty else { return 0 }
        destination.baseAddress!.copyMemory(from: chunk.baseAddress!, byteCount: chunk.count)
        return chunk.count
    }

    /// Reads past the rest of the current entry's data.
    func skipData() throws {
        while try nextChunk() != nil {}
    }

    /// Reads what follows the first zero block, once `next()` has returned `nil`.
    /// - Throws: `ArchiveError` when the file cannot be read.
    func readEnd() throws -> End {
        let second = try read(TarHeaderBlock.size)
        let afterFirst = offset - Int64(second.count)
        guard second.allSatisfy({ $0 == 0 }) else {
            return .trailing(offset: afterFirst, count: try fileSize() - afterFirst)
        }
        guard second.count == TarHeaderBlock.size else { return .cutShort }
        guard try fill() else { return .marker }
        return .trailing(offset: offset, count: try fileSize() - offset)
    }

    private func fileSize() throws -> Int64 { Int64(try descriptor.status().st_size) }

    private func readPadding() throws {
        guard padding > 0 else { return }
        let bytes = try read(padding)
        guard bytes.count == padding else {
            throw ArchiveError(.readFailed, "the file ends in the padding after a member's data")
        }
        paddingIsZero = bytes.allSatisfy { $0 == 0 }
        padding = 0
    }

    /// Refills the buffer when it is used up; `false` at the end of the file.
    private func fill() throws -> Bool {
        if start < end { return true }
        start = 0
        end = try descriptor.read(into: buffer)
        return end > 0
    }

    /// Reads `count` bytes, fewer only at the end of the file.
    private func read(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count, try fill() {
            let take = min(count - bytes.count, end - start)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + take)]))
            start += take
            offset += Int64(take)
        }
        return bytes
    }

    private static func paddingAfter(_ size: Int64) -> Int {
        Int((Int64(TarHeaderBlock.size) - size % Int64(TarHeaderBlock.size)) % Int64(TarHeaderBlock.size))
    }

    private static func kind(_ type: UInt8) -> TarEntry.Kind {
        switch type {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): .regular
        case UInt8(ascii: "1"): .hardLink
        case UInt8(ascii: "2"): .symbolicLink
        case UInt8(ascii: "3"): .characterDevice
        case UInt8(ascii: "4"): .blockDevice
        case UInt8(ascii: "5"): .directory
        case UInt8(ascii: "6"): .fifo
        default: .other
        }
    }
}
