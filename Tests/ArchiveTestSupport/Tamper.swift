@testable import EvidenceArchive
public import Foundation

/// Rewrites archives member by member, as someone tampering with evidence would.
public enum Tamper {
    /// One member's name and bytes.
    public struct Member: Sendable {
        /// The member's name.
        public var path: String
        /// Its bytes.
        public var bytes: [UInt8]

        /// Makes a member.
        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// Every member of the tar at `path`, in order.
    public static func members(of path: String) throws -> [Member] {
        let reader = try TarReader(path: path)
        var members: [Member] = []
        while let entry = try reader.nextEntry() {
            var bytes: [UInt8] = []
            try reader.readData { bytes.append(contentsOf: $0) }
            members.append(Member(path: entry.path, bytes: bytes))
        }
        return members
    }

    /// Rewrites `path` with the members `edit` leaves, with the archive writer's own settings.
    public static func rewrite(_ path: String, _ edit: (inout [Member]) throws -> Void) throws {
        var members = try members(of: path)
        try edit(&members)
        let temporary = path + ".rewrite"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let writer = try TarWriter(fileDescriptor: fd)
        for member in members { try writer.addFile(path: member.path, bytes: member.bytes, mtime: 1_790_000_000) }
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
