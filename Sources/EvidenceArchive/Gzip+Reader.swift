import CArchive
#if canImport(Glibc)
    import Glibc
#endif

extension Gzip {
    /// Decompresses gzip data as it is read, holding one block at a time.
    ///
    /// The compressed bytes come from a file, from memory, or from a closure (which lets a caller
    /// hash the exact bytes while they are decompressed). At the end the trailer is checked: a
    /// single member must match its CRC-32 and length; when the length does not match, the data
    /// must contain a further member header, or it is reported as damaged.
    ///
    /// With a `limit`, reading returns the bytes up to it, then throws `decompressedTooLarge`.
    public final class Reader {
        private let archive: OpaquePointer
        private let input: GzipInput
        private let name: String
        private let limit: DecompressedSizeLimit?
        private var crc = CRC32()
        private var ended = false
        private var trailerChecked = false
        /// Decompressed bytes returned so far.
        public private(set) var decompressedCount: Int64 = 0
        /// Compressed bytes consumed so far.
        public var compressedCount: Int64 { input.total }
        /// Whether reading stopped at the limit.
        public private(set) var limitReached = false

        /// Decompresses the file at `path`, named `name` in messages (the path when `nil`).
        /// - Throws: `ArchiveError` when the file cannot be opened or is not gzip.
        public convenience init(path: String, name: String? = nil, limit: DecompressedSizeLimit? = nil) throws {
            let file = try FileDescriptor.openForReading(path)
            try self.init(name: name ?? path, limit: limit) { buffer in try file.read(into: buffer) }
        }

        /// Decompresses bytes in memory.
        /// - Throws: `ArchiveError` when the bytes are not gzip.
        public convenience init(bytes: [UInt8], name: String = "the gzip data", limit: DecompressedSizeLimit? = nil)
            throws
        {
            var offset = 0
            try self.init(name: name, limit: limit) { buffer in
                let count = Swift.min(buffer.count, bytes.count - offset)
                bytes.withUnsafeBytes { source in
                    if count > 0 {
                        buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
                    }
                }
                offset += count
                return count
            }
        }

        /// Decompresses what `input` yields: it fills the buffer it is given and returns the count, 0 at the end.
        /// - Parameters:
        ///   - name: how messages name the data, such as its path.
        ///   - limit: the most bytes the data may expand to; `nil` for no limit.
        /// - Throws: `ArchiveError` when the data is not gzip, or what `input` throws.
        public init(
            name: String, limit: DecompressedSizeLimit? = nil,
            input: @escaping (UnsafeMutableRawBufferPointer) throws -> Int
        ) throws {
            self.name = name
            self.limit = limit
            self.input = GzipInput(read: input)
            guard let archive = archive_read_new() else {
                throw ArchiveError(.readFailed, "libarchive could not allocate a reader.")
            }
            self.archive = archive
            archive_read_support_filter_gzip(archive)
            archive_read_support_format_raw(archive)
            // Without this, libarchive rejects a gzip member that holds zero bytes.
            archive_read_support_format_empty(archive)
            let context = Unmanaged.passUnretained(self.input).toOpaque()
            archive_read_set_read_callback(archive, gzipReadCallback)
            archive_read_set_callback_data(archive, context)
            guard archive_read_open1(archive) == ARCHIVE_OK else { throw failure("cannot be opened") }
            guard archive_filter_code(archive, 0) == ARCHIVE_FILTER_GZIP else {
                throw ArchiveError(.readFailed, "\(name) is not gzip data.")
            }
            var entry: OpaquePointer?
            switch archive_read_next_header(archive, &entry) {
            case ARCHIVE_OK, ARCHIVE_WARN: break
            case ARCHIVE_EOF: ended = true  // the empty format: no bytes inside
            default: throw failure("cannot be read")
            }
        }

        deinit { archive_read_free(archive) }

        /// Reads up to `buffer.count` decompressed bytes; 0 at the end, once the trailer has been checked.
        /// - Throws: `ArchiveError` when the data is damaged or cut short, or expands beyond the
        ///   limit (`decompressedTooLarge`, then again at every later read), or what the input throws.
        public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            if limitReached, let limit { throw tooLarge(limit) }
            if !ended {
                let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
                if count < 0 { throw failure("is damaged or cut short after \(decompressedCount) decompressed bytes") }
                var kept = count
                if let limit, decompressedCount + Int64(count) > limit.bytes {
                    // The bytes up to the limit are handed out; the next read throws.
                    limitReached = true
                    kept = Int(limit.bytes - decompressedCount)
                    if kept == 0 { throw tooLarge(limit) }
                }
                if kept > 0 {
                    crc.update(UnsafeRawBufferPointer(rebasing: buffer[0..<kept]))
                    decompressedCount += Int64(kept)
                    return kept
                }
                ended = true
            }
            if !trailerChecked {
                trailerChecked = true
                try checkTrailer()
            }
            return 0
        }

        private func checkTrailer() throws {
            // libarchive may stop short of the end; what follows the last member must be read too.
            while input.next() > 0 {}
            if input.error != nil { throw failure("cannot be read to its end") }
            guard input.tail.count == 8 else {
                throw ArchiveError(.readFailed, "\(name) ends before its gzip trailer; it is cut short.")
            }
            let tail = input.tail
            let storedCRC = UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24
            let storedLength = UInt32(tail[4]) | UInt32(tail[5]) << 8 | UInt32(tail[6]) << 16 | UInt32(tail[7]) << 24
            if storedLength == UInt32(truncatingIfNeeded: decompressedCount) {
                guard storedCRC == crc.value else {
                    throw ArchiveError(
                        .readFailed, "\(name) is damaged: its CRC-32 does not match the decompressed data.")
                }
                return
            }
            // Several members: the last trailer covers only the last member, which libarchive does not
            // delimit. Accept it only when a further member header is there to explain the length.
            guard input.sawLaterMember else {
                throw ArchiveError(
                    .readFailed,
                    "\(name) is damaged: its gzip trailer gives a length of \(storedLength) bytes, but it holds "
                        + "\(decompressedCount).")
            }
        }

        private func tooLarge(_ limit: DecompressedSizeLimit) -> ArchiveError {
            ArchiveError(
                .decompressedTooLarge,
                "\(name) expands to more than \(limit) when decompressed, so it was read only that far; if the "
                    + "file is genuine, raise the limit (--max-decompressed-size).")
        }

        private func failure(_ what: String) -> ArchiveError {
            if let error = input.error {
                return ArchiveError(
                    .inputUnreadable, "\(name) cannot be read: \(error).", underlying: error as? ArchiveError)
            }
            let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
            return ArchiveError(.readFailed, "\(name) \(what): \(reason).")
        }
    }
}

/// The compressed side: pulls blocks from the caller's closure for libarchive, keeping the last
/// eight bytes (the trailer) and noting whether a second member header appears.
final class GzipInput {
    let read: (UnsafeMutableRawBufferPointer) throws -> Int
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    var total: Int64 = 0
    var error: (any Error)?
    /// The last eight compressed bytes seen.
    var tail: [UInt8] = []
    /// Whether `1f 8b 08` occurs after the first member's header.
    var sawLaterMember = false
    /// The last two bytes of the previous block, for a header split across blocks.
    private var carry: [UInt8] = []

    init(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.read = read
    }

    deinit { buffer.deallocate() }

    /// Fills the buffer; -1 after an error, which `error` then holds.
    func next() -> Int {
        let count: Int
        do {
            count = try read(buffer)
        } catch {
            self.error = error
            return -1
        }
        guard count > 0 else { return 0 }
        let block = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        if !sawLaterMember { lookForMemberHeader(block) }
        tail = Array((tail + block.suffix(8)).suffix(8))
        total += Int64(count)
        return count
    }

    private func lookForMemberHeader(_ block: UnsafeRawBufferPointer) {
        let first = total == 0 ? 10 : 0  // skip the first member's own header
        let joined = carry + block.prefix(2)
        if joined.count >= 3 {
            for index in 0..<(joined.count - 2)
            where joined[index] == 0x1f && joined[index + 1] == 0x8b && joined[index + 2] == 0x08 {
                sawLaterMember = true
            }
        }
        var index = first
        while index + 2 < block.count {
            guard let found = memchr(block.baseAddress! + index, 0x1f, block.count - 2 - index) else { break }
            let at = found - UnsafeMutableRawPointer(mutating: block.baseAddress!)
            if block[at + 1] == 0x8b && block[at + 2] == 0x08 {
                sawLaterMember = true
                break
            }
            index = at + 1
        }
        carry = Array(block.suffix(2))
    }
}

/// libarchive's read callback: hands over the next compressed block.
private func gzipReadCallback(
    _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
    guard let context, let buffer else { return -1 }
    let input = Unmanaged<GzipInput>.fromOpaque(context).takeUnretainedValue()
    let count = input.next()
    // libarchive's own message for a failed callback is vague; Reader.failure reports `input.error` instead.
    buffer.pointee = UnsafeRawPointer(input.buffer.baseAddress)
    return count
}
