/// How urgently a responder should look at a finding.
///
/// `low` is recorded for completeness: the rule saw the change but judged it benign (a key rotated
/// by its own user, a password reset that forces a change). `Docs/rules.md` says when each rule
/// picks which.
public enum Severity: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// Seen and judged benign.
    case low
    /// Worth a look: persistence or access that may be legitimate.
    case medium
    /// Act on it: persistence a responder must contain, or anything a suspect actor did.
    case high

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    /// `low < medium < high`.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
