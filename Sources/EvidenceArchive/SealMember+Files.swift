#if canImport(Glibc)
    import Glibc
#endif

extension SealMember {
    /// Members for files and folders on disk, under `prefix`, keeping each folder's relative layout.
    ///
    /// A file `dir/a.txt` becomes `files/a.txt`; a folder `dir/logs` becomes `files/logs/…`.
    /// Symbolic links and special files are refused rather than silently followed or dropped.
    /// - Throws: `ArchiveError` naming the path that cannot be sealed.
    public static func fromPaths(_ paths: [String], prefix: String = "files/") throws -> [SealMember] {
        var members: [SealMember] = []
        var seen: [MemberName: String] = [:]
        for path in paths {
            var trimmed = path
            while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
            let name = lastComponent(of: trimmed)
            guard name != "." && name != ".." && name != "/" else {
                throw ArchiveError(
                    .inputUnreadable,
                    "Cannot seal '\(path)' by that name; name the folder itself (for example ../\(lastComponent(of: realPath(trimmed))))"
                )
            }
            try collect(trimmed, as: prefix + name, into: &members, seen: &seen)
        }
        return members
    }

    private static func collect(
        _ path: String, as name: String, into members: inout [SealMember], seen: inout [MemberName: String]
    ) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw ArchiveError(.inputUnreadable, "Cannot seal \(path): \(errnoText()).")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            try MemberName.validate(name)
            if let other = seen[MemberName(name)] {
                throw ArchiveError(
                    .duplicateMember, "\(path) and \(other) would both be sealed as \(name); seal them separately.")
            }
            seen[MemberName(name)] = path
            members.append(SealMember(path: name, source: .file(path)))
        case S_IFDIR:
            for entry in try directoryEntries(path) {
                try collect(joinPath(path, entry), as: name + "/" + entry, into: &members, seen: &seen)
            }
        case S_IFLNK:
            throw ArchiveError(
                .inputUnreadable,
                "\(path) is a symbolic link; seal the file it points to instead, so the evidence is unambiguous.")
        default:
            throw ArchiveError(.inputUnreadable, "\(path) is not a regular file or folder; only files can be sealed.")
        }
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
