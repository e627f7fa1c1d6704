/// A member's name as the bytes the tar header holds, and the rules a name must follow, for
/// writing and for reading untrusted archives.
///
/// Two names are the same only when their bytes are: Swift's `String` equality is canonical
/// equivalence, so `café` spelt with a combining accent would equal the precomposed one, while
/// `tar`, the file system and `sha256sum -c` see two different files. Whatever is keyed or
/// compared by member name uses this type.
///
/// A safe name is relative, valid UTF-8, has no empty, `.` or `..` component, and no character
/// that `sha256sum` would escape (backslash, control characters), so `SHA256SUMS` lines stay plain.
public struct MemberName: Hashable, Sendable, CustomStringConvertible {
    /// The name's bytes, as in the archive.
    public let bytes: [UInt8]

    /// The name `text` spells, as its UTF-8 bytes (never normalised).
    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The name held by `bytes`, which need not be valid UTF-8.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The name as text; bytes that are not UTF-8 show as U+FFFD.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// The name as text, or `nil` when the bytes are not valid UTF-8.
    public var text: String? {
        let decoded = String(decoding: bytes, as: UTF8.self)
        return Array(decoded.utf8) == bytes ? decoded : nil
    }

    /// Whether the name's bytes start with those of `prefix`.
    public func hasPrefix(_ prefix: String) -> Bool { bytes.starts(with: prefix.utf8) }

    /// Whether the name's bytes end with those of `suffix`.
    public func hasSuffix(_ suffix: String) -> Bool { bytes.reversed().starts(with: suffix.utf8.reversed()) }

    /// Whether the bytes of `part` occur in the name's.
    public func contains(_ part: String) -> Bool {
        let needle = Array(part.utf8)
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// The name with `suffix`'s bytes appended.
    public func appending(_ suffix: String) -> MemberName { MemberName(bytes: bytes + Array(suffix.utf8)) }

    /// The longest name accepted, in UTF-8 bytes.
    public static let maximumLength = 4096

    /// Why `name` is unsafe, or `nil` when it is safe.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.utf8.count > maximumLength { return "the name is longer than \(maximumLength) bytes" }
        if name.hasPrefix("/") { return "the name is an absolute path" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || $0 == "\\" }) {
            return "the name contains a control character or backslash"
        }
        for component in name.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            switch Array(component) {
            case Array("..".utf8): return "the name contains '..'"
            case Array(".".utf8): return "the name contains a '.' component"
            case []: return "the name has an empty component (a doubled or trailing '/')"
            default: continue
            }
        }
        return nil
    }

    /// Why this name is unsafe, or `nil` when it is safe.
    public var problem: String? {
        guard let text else { return "the name is not valid UTF-8" }
        return Self.problem(with: text)
    }

    /// Throws when `name` is unsafe.
    static func validate(_ name: String) throws {
        if let problem = problem(with: name) {
            throw ArchiveError(.invalidMemberName, "Cannot use '\(name)' as an archive member: \(problem).")
        }
    }
}
