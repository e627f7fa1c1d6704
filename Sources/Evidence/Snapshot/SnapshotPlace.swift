/// Where a member of the snapshot layout lies under `snapshot/`.
package enum SnapshotPlace: Hashable, Sendable {
    /// One file, at this path.
    case global(String)
    /// One file per collected region: `<folder>/<region>/<file>`.
    case regional(folder: String, file: String)

    /// Whether there is one file per collected region.
    package var isRegional: Bool {
        if case .regional = self { return true }
        return false
    }

    /// The path of the file; a regional member's in `region`, which it must be given.
    package func path(in region: String? = nil) -> String {
        switch self {
        case .global(let path): return path
        case .regional(let folder, let file):
            precondition(region != nil, "a regional member's path names its region")
            return "\(folder)/\(region!)/\(file)"
        }
    }
}
