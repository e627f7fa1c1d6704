public import Diff

/// How many findings of each severity.
public struct SeverityCounts: Codable, Hashable, Sendable {
    /// High findings.
    public var high: Int
    /// Medium findings.
    public var medium: Int
    /// Low findings.
    public var low: Int

    /// Makes counts.
    public init(high: Int = 0, medium: Int = 0, low: Int = 0) {
        self.high = high
        self.medium = medium
        self.low = low
    }

    /// The counts of `findings`.
    public init(_ findings: [Finding]) {
        self.init(
            high: findings.count { $0.severity == .high }, medium: findings.count { $0.severity == .medium },
            low: findings.count { $0.severity == .low })
    }

    /// All findings.
    public var total: Int { high + medium + low }
}
