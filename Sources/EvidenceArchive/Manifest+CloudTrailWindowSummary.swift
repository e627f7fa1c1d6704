extension Manifest.CloudTrailWindow {
    /// One line per group of regions read alike (same source, status, window and settled end), so
    /// twenty regions read completely take one line and only the odd ones stand out.
    public static func summaryLines(_ windows: [Manifest.CloudTrailWindow]) -> [String] {
        struct Group: Hashable {
            var source: Source
            var status: Manifest.CoverageStatus
            var since: String?
            var until: String?
            var settledUntil: String?
            var requested: Manifest.TimeWindow
            var error: String?
        }
        var order: [Group] = []
        var regions: [Group: [String]] = [:]
        for window in windows {
            let group = Group(
                source: window.source, status: window.status, since: window.since, until: window.until,
                settledUntil: window.settledUntil, requested: window.requested, error: window.error)
            if regions[group] == nil { order.append(group) }
            regions[group, default: []].append(window.region)
        }
        return order.map { group in
            let names = regions[group]!.sorted()
            let which = names.count == 1 ? names[0] : "\(names.count) regions (\(names.joined(separator: ", ")))"
            let status = group.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            var line = "\(group.source.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(status) "
            if let since = group.since, let until = group.until {
                line += "[\(since), \(until))"
                if let settled = group.settledUntil { line += " settled to \(settled)" }
            } else {
                line += "nothing read of [\(group.requested.from), \(group.requested.to))"
            }
            line += ": \(which)"
            if let error = group.error { line += " — \(error)" }
            return line
        }
    }
}
