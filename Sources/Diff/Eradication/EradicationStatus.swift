/// Whether what a finding found is still there in the newest snapshot.
public enum EradicationStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Still there and still usable: the incident is not over.
    case remains
    /// Still there but disabled: a key made Inactive, a trust reset, sessions revoked by a deny on
    /// `aws:TokenIssueTime`, an instance stopped or without its role. Counts as done, as the course
    /// says to disable rather than delete until the case is closed; delete it then.
    case contained
    /// Gone from the newest snapshot (deleted, terminated, taken back).
    case removed
    /// Temporary credentials whose lifetime ended before the newest snapshot was taken.
    case expired
    /// Not a state: events (a burst of calls, a refused attempt, a read, a containment) leave nothing to remove.
    case notApplicable = "not-applicable"
    /// The newest snapshot lacks what would tell (a region not collected, a listing denied or cut
    /// short, a kind of thing custody does not collect): never guessed.
    case unknown

    /// Whether the status ends the finding's part in the incident: contained, removed, expired or not a state.
    public var isDone: Bool {
        switch self {
        case .contained, .removed, .expired, .notApplicable: true
        case .remains, .unknown: false
        }
    }

    /// The order a responder reads results in: what remains first, what cannot be told next.
    var rank: Int {
        switch self {
        case .remains: 0
        case .unknown: 1
        case .contained: 2
        case .removed: 3
        case .expired: 4
        case .notApplicable: 5
        }
    }
}
