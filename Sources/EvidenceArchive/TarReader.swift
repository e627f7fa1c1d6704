import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// One entry's header, as read from an untrusted tar.
struct TarEntry: Sendable {
    enum Kind: String, Sendable {
        case regular, directory, symbolicLink, hardLink, characterDevice, blockDevice, fifo, socket, other
    }

    /// The name, as libarchive decoded it (pax `path` applied).
    var path: String
    var kind: Kind
    var size: Int64
    /// The link target, for links.
    var linkTarget: String?
}

/// Reads a tar through libarchive, one entry at a time, streaming data without buffering it.
/// Only plain (uncompressed) tar is accepted.
final class TarReader {
    private let archive: OpaquePointer
    private let descriptor: FileDescriptor
    /// Warnings libarchive gave along the way (decided: reported, not fatal).
    private(set) var warnings: [String] = []

    init(path: String) throws {
        descriptor = try FileDescriptor.openForReading(path)
        guard let archive = archive_read_new() else {
            throw ArchiveError(.readFailed, "libarchive could not allocate a reader.")
        }
        self.archive = archive
        archive_read_support_format_tar(archive)
        archive_read_support_filter_none(archive)
        let status = archive_read_open_fd(archive, descriptor.raw, 1 << 20)
        if status != ARCHIVE_OK {
            throw ArchiveError(.readFailed, "\(path) cannot be read as a tar: \(errorText()).")
        }
    }

    deinit { archive_read_free(archive) }

    /// The next entry, or `nil` at the end of the archive.
    func nextEntry() throws -> TarEntry? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(archive, &entry)
        if status == ARCHIVE_EOF { return nil }
        if status == ARCHIVE_WARN { warnings.append(errorText()) }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw ArchiveError(.readFailed, errorText())
        }
        let path =
            archive_entry_pathname_utf8(entry).map { String(cString: $0) }
            ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let hardLink = archive_entry_hardlink(entry).map { String(cString: $0) }
        let symbolicLink = archive_entry_symlink(entry).map { String(cString: $0) }
        let kind: TarEntry.Kind
        if hardLink != nil {
            kind = .hardLink
        } else {
            switch archive_entry_filetype(entry) & UInt32(Glibc.S_IFMT) {
            case UInt32(Glibc.S_IFREG): kind = .regular
            case UInt32(Glibc.S_IFDIR): kind = .directory
            case UInt32(Glibc.S_IFLNK): kind = .symbolicLink
            case UInt32(Glibc.S_IFCHR): kind = .characterDevice
            case UInt32(Glibc.S_IFBLK): kind = .blockDevice
            case UInt32(Glibc.S_IFIFO): kind = .fifo
            case UInt32(Glibc.S_IFSOCK): kind = .socket
            default: kind = .other
            }
        }
        return TarEntry(
            path: path, kind: kind, size: archive_entry_size(entry), linkTarget: hardLink ?? symbolicLink)
    }

    /// Streams the current entry's data to `consume`, block by block, without copying.
    func readData(_ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        var expectedOffset: Int64 = 0
        while true {
            var buffer: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(archive, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            if status == ARCHIVE_WARN { warnings.append(errorText()) }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw ArchiveError(.readFailed, errorText())
            }
            // Sparse entries leave holes; evidence members never have them, so a hole is data we did not see.
            guard offset == expectedOffset else {
                throw ArchiveError(.readFailed, "the member has holes (a sparse entry), which Custody never writes")
            }
            if size > 0 { try consume(UnsafeRawBufferPointer(start: buffer, count: size)) }
            expectedOffset += Int64(size)
        }
    }

    /// Skips the current entry's data.
    func skipData() throws {
        guard archive_read_data_skip(archive) == ARCHIVE_OK else { throw ArchiveError(.readFailed, errorText()) }
    }

    private func errorText() -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
