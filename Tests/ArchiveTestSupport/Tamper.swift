import EvidenceArchive
import Foundation

/// Rewrites archives member by member, as someone tampering with evidence would.
public enum Tamper {
    /// One member's name, bytes and header time.
    public struct Member: Sendable {
        /// The member's name.
        public var path: String
        /// Its bytes.
        public var bytes: [UInt8]
        /// Its header's time; `nil` for a member added by the edit, which takes the archive's.
        public var mtime: Int?

        /// Makes a member.
        public init(path: String, bytes: [UInt8], mtime: Int? = nil) {
            self.path = path
            self.bytes = bytes
            self.mtime = mtime
        }
    }

    /// Every member of the tar at `path`, in order, names as their bytes spell them.
    public static func members(of path: String) throws -> [Member] {
        let reader = RawTarReader(descriptor: try FileDescriptor.openForReading(path))
        var members: [Member] = []
        while let entry = try reader.next() {
            var bytes: [UInt8] = []
            try reader.readData { bytes.append(contentsOf: $0) }
            members.append(Member(path: entry.name.description, bytes: bytes, mtime: entry.mtime.map { Int($0) }))
        }
        return members
    }

    /// Rewrites `path` with the members `edit` leaves, with the archive writer's own settings and
    /// each member's own time, so only what the edit changed differs.
    public static func rewrite(_ path: String, _ edit: (inout [Member]) throws -> Void) throws {
        var members = try members(of: path)
        let time = members.first?.mtime ?? 1_790_000_000
        try edit(&members)
        let temporary = path + ".rewrite"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let writer = try TarWriter(fileDescriptor: fd)
        for member in members {
            try writer.addFile(path: member.path, bytes: member.bytes, mtime: member.mtime ?? time)
        }
        try writer.finish()
        close(fd)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// A tar holding `members` without its end-of-archive marker: what can be spliced into another.
    public static func tarBody(_ members: [Member]) throws -> [UInt8] {
        let temporary = NSTemporaryDirectory() + "custody-tamper-\(UUID().uuidString).tar"
        defer { unlink(temporary) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        let writer = try TarWriter(fileDescriptor: fd)
        for member in members { try writer.addFile(path: member.path, bytes: member.bytes, mtime: 1_790_000_000) }
        try writer.finish()
        close(fd)
        return Array(try Data(contentsOf: URL(fileURLWithPath: temporary)).dropLast(1024))
    }

    /// Hides `members` after a single zero block, then ends the file with the marker: a reader
    /// that stops at the first zero block (libarchive) sees the archive as it was, while
    /// `tar --ignore-zeros` reads on and finds them.
    public static func hide(_ members: [Member], in path: String) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let zeroBlock = [UInt8](repeating: 0, count: 512)
        var bytes = Array(original.dropLast(1024)) + zeroBlock + (try tarBody(members))
        bytes += zeroBlock + zeroBlock
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Appends `bytes` after the end-of-archive marker.
    public static func append(_ bytes: [UInt8], to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    /// Overwrites the ustar header field `field` (`mode`, `uname` …) of `member`'s own header block
    /// (or of its pax extended header's block) with `value` (NUL-padded), and sets the checksum so
    /// the block still reads as a tar header.
    public static func setHeaderField(
        in path: String, member: String, field: String, to value: String, ofPaxHeader: Bool = false
    ) throws {
        let entry = try entry(member, in: path)
        guard let range = TarHeaderBlock.fields.first(where: { $0.name == field })?.range else {
            throw TamperError(description: "\(field) is not a ustar field")
        }
        let bytes = Array(value.utf8)
        guard bytes.count <= range.count else { throw TamperError(description: "\(value) does not fit \(field)") }
        let block = ofPaxHeader ? entry.offset : entry.offset + Int64(entry.header.count - TarHeaderBlock.size)
        try patch(path, at: block) { block in
            block.replaceSubrange(range, with: bytes + [UInt8](repeating: 0, count: range.count - bytes.count))
            block.replaceSubrange(148..<156, with: [UInt8](repeating: UInt8(ascii: " "), count: 8))
            let sum = block.reduce(0) { $0 + Int($1) }
            // As libarchive writes it: six octal digits, NUL, space.
            let digits = String(sum, radix: 8)
            block.replaceSubrange(
                148..<156, with: Array((String(repeating: "0", count: 6 - digits.count) + digits).utf8) + [0, 0x20])
        }
    }

    /// Sets the first padding byte after `member`'s data (which must not end on a block boundary) to `value`.
    public static func setPaddingByte(in path: String, member: String, to value: UInt8) throws {
        let entry = try entry(member, in: path)
        guard entry.size % 512 != 0 else { throw TamperError(description: "\(member) has no padding") }
        let at = entry.offset + Int64(entry.header.count) + entry.size
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(at))
        try handle.write(contentsOf: Data([value]))
        try handle.close()
    }

    private static func entry(_ member: String, in path: String) throws -> RawTarEntry {
        let reader = RawTarReader(descriptor: try FileDescriptor.openForReading(path))
        while let entry = try reader.next() {
            if entry.name.description == member { return entry }
        }
        throw TamperError(description: "\(member) is not in \(path)")
    }

    private static func patch(_ path: String, at offset: Int64, _ edit: (inout [UInt8]) -> Void) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(offset))
        var block = Array(try handle.read(upToCount: TarHeaderBlock.size) ?? Data())
        edit(&block)
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(block))
        try handle.close()
    }

    /// Flips one bit of the first occurrence of `marker` in the file's raw bytes.
    public static func flipByte(in path: String, at marker: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let range = data.range(of: Data(marker.utf8)) else {
            throw TamperError(description: "\(marker) is not in \(path)")
        }
        data[range.lowerBound] ^= 0x20
        try data.write(to: URL(fileURLWithPath: path))
    }

    struct TamperError: Error, CustomStringConvertible {
        var description: String
    }
}
