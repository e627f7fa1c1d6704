import Foundation

/// The result of verifying one account's chain of archives.
public struct ChainVerification: Codable, Hashable, Sendable {
    /// The account id (the folder's name).
    public var account: String
    /// The account folder.
    public var folder: String
    /// Each archive, in sequence order.
    public var archives: [ArchiveVerification]
    /// Problems of the chain itself: gaps, forks, broken links, uncovered CloudTrail time.
    public var problems: [VerificationProblem]
    /// Things worth knowing that are not problems, such as an interrupted seal's leftover.
    public var notes: [String]

    /// Whether the chain and every archive in it verify.
    public var ok: Bool { problems.isEmpty && archives.allSatisfy(\.ok) }

    /// The newest archive's manifest SHA-256: record it elsewhere, so removing the newest
    /// archive (which no later archive names) can be noticed too.
    public var tipManifestSHA256: String? { archives.last?.manifestSHA256 }
}

/// Verifies an account folder: every archive, then that they form one unbroken chain.
public struct ChainVerifier: Sendable {
    /// Verifies each archive.
    public var archiveVerifier: ArchiveVerifier

    /// Makes a chain verifier.
    public init(archiveVerifier: ArchiveVerifier) {
        self.archiveVerifier = archiveVerifier
    }

    /// Verifies the chain in `folder`, whose name is the account id.
    public func verify(folder: String) throws -> ChainVerification {
        let account = lastComponent(of: folder)
        var chain = ChainVerification(account: account, folder: folder, archives: [], problems: [], notes: [])
        var named: [(name: String, sequence: Int)] = []
        for name in try directoryEntries(folder) where !name.hasPrefix(".") {
            if let sequence = ArchiveLayout.sequence(inArchiveName: name) {
                named.append((name, sequence))
            } else if name.hasSuffix(".partial") {
                chain.notes.append(
                    "\(name) is what an interrupted seal left behind; it is not evidence and can be removed.")
            } else {
                chain.problems.append(
                    VerificationProblem(
                        .strayFile, archive: joinPath(folder, name),
                        "\(name) is not an archive of this chain (names are NNNNNN-YYYYMMDDTHHMMSSZ.tar); it is covered by no signature."
                    ))
            }
        }
        named.sort { ($0.sequence, $0.name) < ($1.sequence, $1.name) }
        chain.archives = named.map { archiveVerifier.verify(joinPath(folder, $0.name)) }
        checkLinks(named, &chain)
        return chain
    }

    private func checkLinks(_ named: [(name: String, sequence: Int)], _ chain: inout ChainVerification) {
        var bySequence: [Int: [Int]] = [:]
        for (index, entry) in named.enumerated() { bySequence[entry.sequence, default: []].append(index) }
        for (sequence, indices) in bySequence.sorted(by: { $0.key < $1.key }) where indices.count > 1 {
            let names = indices.map { named[$0].name }.joined(separator: ", ")
            chain.problems.append(
                VerificationProblem(
                    .chainFork, "the chain forks: \(indices.count) archives have sequence \(sequence) (\(names))."))
        }
        if let highest = named.last?.sequence {
            let missing = (1...max(1, highest)).filter { bySequence[$0] == nil }
            for range in contiguousRanges(missing) {
                let what =
                    range.count == 1
                    ? "archive \(range.lowerBound) is" : "archives \(range.lowerBound) to \(range.upperBound) are"
                chain.problems.append(
                    VerificationProblem(.chainGap, "the chain has a gap: \(what) missing (removed or never copied)."))
            }
        }
        for (index, entry) in named.enumerated() {
            let archive = chain.archives[index]
            if let manifest = archive.manifest {
                if manifest.account != chain.account {
                    chain.problems.append(
                        VerificationProblem(
                            .accountMismatch, archive: archive.path,
                            "\(entry.name) belongs to account \(manifest.account), not to \(chain.account) whose folder holds it."
                        ))
                }
                if manifest.chain.sequence != entry.sequence {
                    chain.problems.append(
                        VerificationProblem(
                            .nameMismatch, archive: archive.path,
                            "\(entry.name) is archive \(manifest.chain.sequence) by its manifest: it was renamed."))
                }
            }
            checkPrevious(of: index, named, &chain)
        }
        checkWindows(named, &chain)
    }

    private func checkPrevious(
        of index: Int, _ named: [(name: String, sequence: Int)], _ chain: inout ChainVerification
    ) {
        let entry = named[index]
        let archive = chain.archives[index]
        guard let manifest = archive.manifest else { return }
        let previousIndices = named.indices.filter { named[$0].sequence == entry.sequence - 1 }
        guard let link = manifest.chain.previous else {
            if entry.sequence > 1 {
                chain.problems.append(
                    VerificationProblem(
                        .chainBroken, archive: archive.path,
                        "\(entry.name) names no previous archive, yet it is number \(entry.sequence)."))
            }
            return
        }
        if entry.sequence == 1 {
            chain.problems.append(
                VerificationProblem(
                    .chainBroken, archive: archive.path,
                    "\(entry.name) is numbered 1 but names a previous archive, \(link.name): earlier archives were removed and it was renamed."
                ))
            return
        }
        // A missing predecessor is already reported as a gap.
        guard !previousIndices.isEmpty else { return }
        let matches = previousIndices.contains { candidate in
            let previous = chain.archives[candidate]
            return previous.manifestSHA256 == link.manifestSHA256 && named[candidate].name == link.name
                && previous.signature.map { $0.base64EncodedString() } == link.signature
        }
        if !matches {
            let previous = chain.archives[previousIndices[0]]
            chain.problems.append(
                VerificationProblem(
                    .chainBroken, archive: archive.path,
                    "\(entry.name) names \(link.name) with manifest SHA-256 \(link.manifestSHA256), but the archive before it is \(named[previousIndices[0]].name) with manifest SHA-256 \(previous.manifestSHA256 ?? "unreadable"): the previous archive was replaced or altered."
                ))
        }
    }

    /// Coverage continuity per region: the settled parts of every archive's windows, from any source,
    /// must leave no hole between a region's first window and the latest settled end of the chain.
    /// A region cut short, failed or left out of later collections shows as the hole it leaves.
    private func checkWindows(_ named: [(name: String, sequence: Int)], _ chain: inout ChainVerification) {
        struct Span {
            var from: Date
            var to: Date
            var archive: String
        }
        var spans: [String: [Span]] = [:]
        var end: (time: Date, archive: String)?
        var versionOne: [String] = []
        for (index, entry) in named.enumerated() {
            guard let manifest = chain.archives[index].manifest else { continue }
            let windows = manifest.regionWindows
            if manifest.version == 1 && !windows.isEmpty { versionOne.append(entry.name) }
            for window in windows {
                guard let settled = window.settled, let from = Timestamp.parse(settled.from),
                    let to = Timestamp.parse(settled.to)
                else { continue }
                spans[window.region, default: []].append(Span(from: from, to: to, archive: entry.name))
                if end.map({ to > $0.time }) ?? true { end = (to, entry.name) }
            }
        }
        if !versionOne.isEmpty {
            chain.notes.append(
                "\(versionOne.joined(separator: ", ")) \(versionOne.count == 1 ? "is" : "are") of format version 1: one CloudTrail window for every region, with no per-region status and no settled end, so whether each region was read completely and whether late events were re-read could not be checked; continuity was checked on the windows as claimed."
            )
        }
        guard let end else { return }
        for region in spans.keys.sorted() {
            let sorted = spans[region]!.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
            var covered = sorted[0].from
            var lastArchive = sorted[0].archive
            for span in sorted {
                if span.from > covered {
                    chain.problems.append(
                        VerificationProblem(
                            .windowGap, archive: joinPath(chain.folder, span.archive),
                            "CloudTrail of \(region) from \(Timestamp.iso8601(covered)) to \(Timestamp.iso8601(span.from)) is in no archive: \(lastArchive) is settled up to the first and \(span.archive) starts at the second."
                        ))
                }
                if span.to > covered {
                    covered = span.to
                    lastArchive = span.archive
                }
            }
            if covered < end.time {
                chain.problems.append(
                    VerificationProblem(
                        .windowGap, archive: joinPath(chain.folder, end.archive),
                        "CloudTrail of \(region) from \(Timestamp.iso8601(covered)) to \(Timestamp.iso8601(end.time)) is in no archive: \(region) is settled up to the first in \(lastArchive), while \(end.archive) reads other regions up to the second; collect \(region) again to close it."
                    ))
            }
        }
    }

    private func contiguousRanges(_ numbers: [Int]) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        for number in numbers {
            if let current = ranges.last, current.upperBound == number - 1 {
                ranges[ranges.count - 1] = current.lowerBound...number
            } else {
                ranges.append(number...number)
            }
        }
        return ranges
    }
}

extension Array where Element == UInt8 {
    func base64EncodedString() -> String {
        Data(self).base64EncodedString()
    }
}
