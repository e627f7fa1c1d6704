/// The rules a member name must follow, for writing and for reading untrusted archives.
///
/// A safe name is relative, has no empty, `.` or `..` component, and no character that
/// `sha256sum` would escape (backslash, control characters), so `SHA256SUMS` lines stay plain.
public enum MemberName {
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
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            switch component {
            case "..": return "the name contains '..'"
            case ".": return "the name contains a '.' component"
            case "": return "the name has an empty component (a doubled or trailing '/')"
            default: continue
            }
        }
        return nil
    }

    /// Throws when `name` is unsafe.
    static func validate(_ name: String) throws {
        if let problem = problem(with: name) {
            throw ArchiveError(.invalidMemberName, "Cannot use '\(name)' as an archive member: \(problem).")
        }
    }
}
