public import Foundation

extension CaseFolder {
    /// The manifest of the newest archive of `account`, or `nil` when the account has none yet.
    ///
    /// A collection starts its CloudTrail window where this one's ended, so the chain proves
    /// continuous coverage. The manifest is read, not verified: `custody verify` does that.
    /// - Throws: `ArchiveError.Code.previousUnreadable` when the newest archive cannot be read.
    public func newestManifest(account: String) throws -> (name: String, manifest: Manifest)? {
        let folder = accountPath(account)
        guard isDirectory(folder), let tip = try ChainTip.latest(in: folder) else { return nil }
        let trailer = try ArchiveTrailer.read(joinPath(folder, tip.name))
        guard let bytes = trailer.manifestBytes,
            let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes))
        else {
            throw ArchiveError(.previousUnreadable, "The manifest of \(tip.name) cannot be read; run custody verify on \(folder).")
        }
        return (tip.name, manifest)
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
