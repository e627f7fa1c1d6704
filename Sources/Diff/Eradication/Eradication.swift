public import EvidenceArchive
public import EvidenceReading

/// The eradication check of one account: for each finding of the incident (and each credential of
/// a suspect actor that no finding names), whether what it found is still there in the newest
/// snapshot. It ends an incident: after containment the responder collects again, and the check
/// judges the findings of baseline → newest against the newest snapshot.
///
/// The verdict is `complete` only when every result is done (`EradicationStatus.isDone`): a key
/// disabled, a trust reset or sessions revoked count as done (contained, to delete when the case
/// closes); something the newest snapshot cannot tell about makes it `unknown`, never complete.
public struct Eradication: Codable, Hashable, Sendable {
    /// The verdict over every result.
    public enum Verdict: String, Codable, Hashable, Sendable {
        /// Nothing of the incident remains, and everything could be checked.
        case complete
        /// Something of the incident remains: the results say what, with the commands to finish.
        case remains
        /// Nothing is known to remain, but the newest snapshot lacks what would tell about some of it.
        case unknown
    }

    /// The account.
    public var account: String
    /// The archive of the newest snapshot, when the check was read from one.
    public var archive: String?
    /// When the newest snapshot was taken (its collection's start, UTC): temporary credentials are
    /// judged at this time.
    public var takenAt: String
    /// The verdict.
    public var verdict: Verdict
    /// The results: what remains first, then what cannot be told, contained, removed, expired, not a
    /// state; in each, in the findings' order, then the actors' credentials.
    public var results: [EradicationResult]

    /// Makes a check's outcome; the verdict comes from the results.
    public init(account: String, archive: String? = nil, takenAt: String, results: [EradicationResult]) {
        self.account = account
        self.archive = archive
        self.takenAt = takenAt
        self.verdict = Self.verdict(of: results)
        self.results = results
    }

    /// `remains` when any result remains, else `unknown` when any is unknown, else `complete`.
    public static func verdict(of results: [EradicationResult]) -> Verdict {
        if results.contains(where: { $0.status == .remains }) { return .remains }
        if results.contains(where: { $0.status == .unknown }) { return .unknown }
        return .complete
    }

    /// How many results have `status`.
    public func count(_ status: EradicationStatus) -> Int { results.count { $0.status == status } }

    /// Checks `findings` and the credentials of `actors` against `newest`.
    /// - Parameters:
    ///   - findings: the findings of the incident, in their order (results name them by position).
    ///   - actors: the suspect actors: their long-term keys and temporary credentials are checked
    ///     too, where no finding names them.
    ///   - newest: the newest snapshot of the account.
    ///   - coverage: the newest archive's coverage: a listing denied, failed or cut short makes the
    ///     absence of what it lists no proof of removal.
    public static func check(
        findings: [Finding], actors: [SuspectActor], newest: LoadedSnapshot,
        coverage: [Manifest.CoverageEntry] = []
    ) -> Eradication {
        EradicationCheck(newest: NewestSnapshot(newest, coverage: coverage)).run(findings: findings, actors: actors)
    }
}
