import CArchive

extension TarWriter {
    /// The exact header bytes `addFile` writes for a member: its pax extended header (when libarchive
    /// needs one, for a long or non-ASCII name or a large size) and its ustar header block.
    ///
    /// Verification compares every member's headers with these, so that no byte of an archive
    /// lies outside what the manifest and the format fix.
    /// - Throws: `ArchiveError` `.writeFailed` when libarchive cannot render the header.
    static func header(path: String, size: Int64, mtime: Int) throws -> [UInt8] {
        guard let archive = archive_write_new() else {
            throw ArchiveError(.writeFailed, "libarchive could not allocate a writer.")
        }
        // Fail before freeing: a clean close would write `size` bytes of zeros to finish the entry.
        defer {
            archive_write_fail(archive)
            archive_write_free(archive)
        }
        // Room for the longest name twice (pax record and header) and the blocks around it.
        var buffer = [UInt8](repeating: 0, count: 4 * MemberName.maximumLength + 8 * TarHeaderBlock.size)
        var used = 0
        let status: Int32 = buffer.withUnsafeMutableBytes { output in
            guard chooseFormat(archive) == ARCHIVE_OK,
                // Unblocked: each header reaches the buffer as soon as it is written.
                archive_write_set_bytes_per_block(archive, 0) == ARCHIVE_OK,
                archive_write_open_memory(archive, output.baseAddress, output.count, &used) == ARCHIVE_OK,
                let entry = archive_entry_new()
            else { return ARCHIVE_FATAL }
            defer { archive_entry_free(entry) }
            return withUTF8Locale {
                describe(entry, path: path, size: size, mtime: mtime)
                return archive_write_header(archive, entry)
            }
        }
        guard status == ARCHIVE_OK else {
            let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
            throw ArchiveError(.writeFailed, "Could not render the header of \(path): \(reason).")
        }
        return Array(buffer.prefix(used))
    }
}
