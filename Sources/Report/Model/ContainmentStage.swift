/// How urgent a containment step is, in the order a responder works: first take the keys away,
/// then the sessions they made, then what the intruder left behind, then the instances, then the rest.
public enum ContainmentStage: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// Disable a suspect or leaked access key (never delete it first).
    case disableKey = "disable-key"
    /// Deny the sessions a key or role issued before now (`aws:TokenIssueTime`).
    case revokeSessions = "revoke-sessions"
    /// Remove persistence: keys, users, console passwords, roles and trusts, policies, instance profiles,
    /// endpoints, key pairs, functions, providers.
    case removePersistence = "remove-persistence"
    /// Snapshot an instance's volumes, then isolate or terminate it.
    case containInstance = "contain-instance"
    /// Restore logging and defences, look through regions, confirm what a finding only suggests.
    case restoreAndReview = "restore-and-review"

    /// Its title in the report.
    public var title: String {
        switch self {
        case .disableKey: "Disable the key"
        case .revokeSessions: "Revoke the sessions"
        case .removePersistence: "Remove the persistence"
        case .containInstance: "Contain the instance"
        case .restoreAndReview: "Restore and review"
        }
    }

    /// Earlier stages first.
    public static func < (a: Self, b: Self) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}
