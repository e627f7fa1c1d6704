import CArchive
#if canImport(Glibc)
    import Glibc
#endif

/// Writes a deterministic POSIX pax tar through libarchive: regular files only, uid/gid 0,
/// mode 0644, one fixed mtime, no atime or ctime, no padding after the end-of-archive marker.
package final class TarWriter {
    private let archive: OpaquePointer
    private var finished = false

    /// Starts an archive on an open, writable file descriptor (not closed by the writer).
    package init(fileDescriptor: Int32) throws {
        guard let archive = archive_write_new() else {
            throw ArchiveError(.writeFailed, "libarchive could not allocate a writer.")
        }
        self.archive = archive
        try check(Self.chooseFormat(archive), "choose the pax format")
        // Block only for I/O efficiency; the last block is not padded, so the file ends at the marker.
        try check(archive_write_set_bytes_per_block(archive, 1 << 20), "set the block size")
        try check(archive_write_set_bytes_in_last_block(archive, 1), "set the last block size")
        try check(archive_write_open_fd(archive, fileDescriptor), "open the output")
    }

    /// Adds one regular file whose data `produce` writes through the closure it is given.
    /// - Parameters:
    ///   - size: the exact number of bytes `produce` will write.
    ///   - mtime: seconds since the epoch.
    func addFile(
        path: String, size: Int64, mtime: Int,
        produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        try withEntry { entry in
            try withUTF8Locale {
                Self.describe(entry, path: path, size: size, mtime: mtime)
                try check(archive_write_header(archive, entry), "write the header of \(path)")
            }
        }
        var written: Int64 = 0
        try produce { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = archive_write_data(archive, buffer.baseAddress! + offset, buffer.count - offset)
                guard count > 0 else { throw failure("write the data of \(path)") }
                offset += count
            }
            written += Int64(buffer.count)
        }
        guard written == size else {
            throw ArchiveError(
                .inputChanged, "\(path) changed size while it was being sealed (\(size) → \(written) bytes).")
        }
        try check(archive_write_finish_entry(archive), "finish \(path)")
    }

    /// Fills `entry` with what every member's header says: a regular file, mode 0644, uid/gid 0,
    /// `mtime`, and nothing else. Called under the UTF-8 locale.
    static func describe(_ entry: OpaquePointer, path: String, size: Int64, mtime: Int) {
        // The name goes in as the locale's (UTF-8) bytes, which the pax writer stores as they are.
        // Given as UTF-8 (archive_entry_set_pathname_utf8) it is normalised to NFC on the way, and
        // the archive would name another file than the manifest and SHA256SUMS.
        archive_entry_copy_pathname(entry, path)
        archive_entry_set_filetype(entry, UInt32(Glibc.S_IFREG))
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, mtime, 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
    }

    /// Adds one regular file with the given bytes.
    package func addFile(path: String, bytes: [UInt8], mtime: Int) throws {
        try addFile(path: path, size: Int64(bytes.count), mtime: mtime) { write in
            try bytes.withUnsafeBytes { try write($0) }
        }
    }

    /// Sets the format every archive is written in.
    static func chooseFormat(_ archive: OpaquePointer) -> Int32 {
        archive_write_set_format_pax(archive)
    }

    /// Writes the end-of-archive marker and flushes; errors at close reach the caller.
    package func finish() throws {
        finished = true
        try check(archive_write_close(archive), "close the archive")
    }

    deinit {
        // Only the fallback: finish() is where close errors are reported.
        if !finished { archive_write_close(archive) }
        archive_write_free(archive)
    }

    private func withEntry<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        guard let entry = archive_entry_new() else { throw ArchiveError(.writeFailed, "libarchive is out of memory.") }
        defer { archive_entry_free(entry) }
        return try body(entry)
    }

    private func check(_ status: Int32, _ what: String) throws {
        // A warning from the writer means the bytes are not what was asked for: treat it as a failure.
        if status != ARCHIVE_OK { throw failure(what) }
    }

    private func failure(_ what: String) -> ArchiveError {
        let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
        return ArchiveError(.writeFailed, "Could not \(what): \(reason).")
    }
}

/// Runs `body` with this thread's character type set to UTF-8.
///
/// libarchive 3.6's pax writer converts names through the thread's locale and crashes on a
/// non-ASCII name under the C locale; `uselocale` changes only the calling thread, and only here.
func withUTF8Locale<T>(_ body: () throws -> T) rethrows -> T {
    guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return try body() }
    let previous = uselocale(utf8)
    defer {
        uselocale(previous)
        freelocale(utf8)
    }
    return try body()
}
