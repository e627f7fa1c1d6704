import CArchive
#if canImport(Glibc)
    import Glibc
#endif

extension Gzip {
    /// Compresses bytes as they are written, to a file or to memory, deterministically: no file
    /// name and a zero time in the header, default compression level.
    public final class Writer {
        private let archive: OpaquePointer
        private let sink: GzipSink
        private var finished = false

        /// A writer into memory; `output` holds the result after `finish()`.
        /// - Throws: `ArchiveError` when libarchive fails.
        public convenience init() throws {
            try self.init(sink: GzipSink(file: nil))
        }

        /// A writer into a new file at `path` (mode 0644), replacing any file there.
        /// - Throws: `ArchiveError` when the file cannot be created.
        public convenience init(path: String) throws {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ArchiveError(.writeFailed, "Cannot create \(path): \(errnoText()).") }
            try self.init(sink: GzipSink(file: FileDescriptor(raw: fd)))
        }

        private init(sink: GzipSink) throws {
            self.sink = sink
            guard let archive = archive_write_new() else {
                throw ArchiveError(.writeFailed, "libarchive could not allocate a writer.")
            }
            self.archive = archive
            try check(archive_write_add_filter_gzip(archive), "choose gzip")
            // A NULL value is libarchive's "!timestamp": the header's time is zero instead of now.
            try check(archive_write_set_filter_option(archive, "gzip", "timestamp", nil), "leave the time out")
            try check(archive_write_set_format_raw(archive), "choose the raw format")
            try check(archive_write_set_bytes_in_last_block(archive, 1), "set the last block size")
            let context = Unmanaged.passUnretained(sink).toOpaque()
            try check(archive_write_open(archive, context, nil, gzipWriteCallback, nil), "open the output")
            guard let entry = archive_entry_new() else {
                throw ArchiveError(.writeFailed, "libarchive is out of memory.")
            }
            defer { archive_entry_free(entry) }
            archive_entry_set_filetype(entry, UInt32(Glibc.S_IFREG))
            try check(archive_write_header(archive, entry), "start the data")
        }

        deinit {
            // Only the fallback: finish() is where close errors are reported.
            if !finished { archive_write_close(archive) }
            archive_write_free(archive)
        }

        /// What was written, compressed, for a writer into memory (after `finish()`).
        public var output: [UInt8] { sink.bytes }

        /// Compresses `bytes`.
        /// - Throws: `ArchiveError` when writing fails.
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < bytes.count {
                let count = archive_write_data(archive, bytes.baseAddress! + offset, bytes.count - offset)
                guard count > 0 else { throw failure("write") }
                offset += count
            }
        }

        /// Compresses `bytes`.
        /// - Throws: `ArchiveError` when writing fails.
        public func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }

        /// Writes the gzip trailer and flushes; errors at close reach the caller.
        /// - Throws: `ArchiveError` when writing fails.
        public func finish() throws {
            guard !finished else { return }
            finished = true
            try check(archive_write_close(archive), "finish")
            if let error = sink.error { throw error }
        }

        private func check(_ status: Int32, _ what: String) throws {
            if status != ARCHIVE_OK { throw failure(what) }
        }

        private func failure(_ what: String) -> ArchiveError {
            if let error = sink.error { return error }
            let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
            return ArchiveError(.writeFailed, "Could not \(what) the gzip data: \(reason).")
        }
    }
}

/// Where compressed bytes go: a file, or memory.
final class GzipSink {
    let file: FileDescriptor?
    var bytes: [UInt8] = []
    var error: ArchiveError?

    init(file: FileDescriptor?) {
        self.file = file
    }

    func write(_ block: UnsafeRawBufferPointer) -> Bool {
        guard let file else {
            bytes.append(contentsOf: block)
            return true
        }
        do {
            try file.writeAll(block)
            return true
        } catch {
            self.error = error as? ArchiveError
            return false
        }
    }
}

/// libarchive's write callback: takes one block of compressed bytes.
private func gzipWriteCallback(
    _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ buffer: UnsafeRawPointer?, _ length: Int
) -> la_ssize_t {
    guard let context else { return -1 }
    let sink = Unmanaged<GzipSink>.fromOpaque(context).takeUnretainedValue()
    guard length > 0, let buffer else { return 0 }
    return sink.write(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : -1
}
