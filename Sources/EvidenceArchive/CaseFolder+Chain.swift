public import Foundation

extension CaseFolder {
    /// Per region, where `account`'s last complete CloudTrail window was settled, looking back through
    /// the whole chain: the next collection of a region starts there, so a region that failed, was cut
    /// short or was left out of a collection does not advance, and late events are read again.
    ///
    /// Manifests are read, not verified: `custody verify` does that.
    /// - Throws: `ArchiveError.Code.previousUnreadable` when an archive's manifest cannot be read.
    public func cloudTrailResumePoints(account: String) throws -> [String: Date] {
        let folder = accountPath(account)
        guard isDirectory(folder) else { return [:] }
        var points: [String: Date] = [:]
        for name in try directoryEntries(folder) where ArchiveLayout.sequence(inArchiveName: name) != nil {
            let trailer = try ArchiveTrailer.read(joinPath(folder, name))
            guard let bytes = trailer.manifestBytes,
                let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes))
            else {
                throw ArchiveError(
                    .previousUnreadable, "The manifest of \(name) cannot be read; run custody verify on \(folder).")
            }
            for window in manifest.regionWindows where window.status == .complete {
                guard let settled = window.settledUntil.flatMap(Timestamp.parse) else { continue }
                if points[window.region].map({ settled > $0 }) ?? true { points[window.region] = settled }
            }
        }
        return points
    }

    /// A fresh staging folder for a collection of `account`, inside the case's metadata folder.
    ///
    /// Collected responses wait here until they are sealed; a run that fails to seal leaves them
    /// in place, so nothing collected is lost.
    public func makeStagingFolder(account: String, time: Date) throws -> String {
        let path = joinPath(metadataPath, "staging", "\(account)-\(Timestamp.compact(time))-\(getpid())")
        try makeDirectories(path, mode: 0o700)
        return path
    }
}
