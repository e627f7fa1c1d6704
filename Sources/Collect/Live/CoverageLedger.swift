import EvidenceArchive

/// What was asked for where, and how it went, aggregated per (source, region, item).
///
/// Many calls feed one entry (ListAccessKeys once per user): the entry is `complete` when all
/// succeeded, `denied` when all were denied, `failed` when all failed, `partial` otherwise.
actor CoverageLedger {
    private struct Key: Hashable, Comparable {
        var source: String
        var region: String?
        var item: String

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.source, lhs.region ?? "", lhs.item) < (rhs.source, rhs.region ?? "", rhs.item)
        }
    }

    private struct Tally {
        var succeeded = 0
        var denied = 0
        var failed = 0
        var firstError: String?
    }

    private var tallies: [Key: Tally] = [:]

    func succeeded(_ source: String, _ region: String?, _ item: String) {
        tallies[Key(source: source, region: region, item: item), default: Tally()].succeeded += 1
    }

    func denied(_ source: String, _ region: String?, _ item: String, _ error: String) {
        let key = Key(source: source, region: region, item: item)
        tallies[key, default: Tally()].denied += 1
        if tallies[key]!.firstError == nil { tallies[key]!.firstError = error }
    }

    func failed(_ source: String, _ region: String?, _ item: String, _ error: String) {
        let key = Key(source: source, region: region, item: item)
        tallies[key, default: Tally()].failed += 1
        if tallies[key]!.firstError == nil { tallies[key]!.firstError = error }
    }

    /// The entries, sorted.
    func entries() -> [Manifest.CoverageEntry] {
        tallies.keys.sorted().map { key in
            let tally = tallies[key]!
            let status: Manifest.CoverageStatus
            if tally.denied == 0 && tally.failed == 0 {
                status = .complete
            } else if tally.succeeded == 0 && tally.failed == 0 {
                status = .denied
            } else if tally.succeeded == 0 && tally.denied == 0 {
                status = .failed
            } else {
                status = .partial
            }
            var error = tally.firstError
            if status == .partial, let first = error {
                error =
                    "\(tally.denied + tally.failed) of \(tally.succeeded + tally.denied + tally.failed) calls failed; first: \(first)"
            }
            return Manifest.CoverageEntry(
                source: key.source, region: key.region, item: key.item, status: status, error: error)
        }
    }
}
