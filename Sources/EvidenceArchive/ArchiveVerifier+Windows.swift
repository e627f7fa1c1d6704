import Foundation

extension ArchiveVerifier {
    /// Whether a coverage entry records calls that read a window's events: `LookupEvents` for a
    /// lookup window; every listing and copy of the region for an S3 one.
    static func readsEvents(_ entry: Manifest.CoverageEntry, of window: Manifest.CloudTrailWindow) -> Bool {
        guard entry.region == window.region else { return false }
        switch window.source {
        case .lookup: return entry.source == "cloudtrail" && entry.item == "LookupEvents"
        case .s3: return entry.source == "cloudtrail-s3"
        }
    }

    /// Each CloudTrail window must be consistent in itself, with the collection's start, and with the
    /// coverage of the calls that read it: a window is never believed beyond what the archive shows.
    func checkWindows(_ manifest: Manifest, into result: inout ArchiveVerification) {
        guard let windows = manifest.cloudTrailWindows else { return }
        let started = Timestamp.parse(manifest.startedAt)
        var seen = Set<String>()
        for window in windows {
            let name = "the \(window.source.rawValue) window of \(window.region)"
            func overclaimed(_ why: String) {
                result.add(.windowOverclaimed, member: ArchiveLayout.manifestMember, "\(name) \(why)")
            }
            if !seen.insert("\(window.source.rawValue) \(window.region)").inserted {
                overclaimed("appears twice.")
                continue
            }
            guard let from = Timestamp.parse(window.requested.from), let to = Timestamp.parse(window.requested.to),
                from < to
            else {
                overclaimed("asks for [\(window.requested.from), \(window.requested.to)), which is not a time window.")
                continue
            }
            if let started, to > started {
                overclaimed(
                    "asks for CloudTrail up to \(window.requested.to), after the collection started (\(manifest.startedAt))."
                )
            }
            switch window.status {
            case .failed, .denied:
                if window.since != nil || window.until != nil || window.settledUntil != nil {
                    overclaimed("is \(window.status.rawValue) yet claims a time window read.")
                }
                continue
            case .complete, .partial:
                break
            }
            guard let since = window.since.flatMap(Timestamp.parse), let until = window.until.flatMap(Timestamp.parse),
                since < until
            else {
                overclaimed("is \(window.status.rawValue) but does not say which time it read completely.")
                continue
            }
            if window.status == .complete && (since != from || until != to) {
                overclaimed("is complete but claims [\(window.since!), \(window.until!)), not what was asked for.")
            } else if since < from || until > to {
                overclaimed("claims [\(window.since!), \(window.until!)), beyond what was asked for.")
            }
            if let settled = window.settledUntil {
                guard let end = Timestamp.parse(settled), end >= since, end <= until else {
                    overclaimed("says it is settled up to \(settled), outside what it read.")
                    continue
                }
            }
            if window.status == .complete {
                if let gap = manifest.coverage.first(where: {
                    Self.readsEvents($0, of: window) && $0.status != .complete
                }) {
                    overclaimed(
                        "claims [\(window.since!), \(window.until!)) was read completely, but the coverage says \(gap.item) there was \(gap.status)\(gap.error.map { ": " + $0 } ?? "")."
                    )
                }
            }
        }
    }
}
