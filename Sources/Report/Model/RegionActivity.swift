/// Activity in one region, the collector's own calls left out.
public struct RegionActivity: Codable, Hashable, Sendable {
    /// The region as written (`awsRegion`).
    public var region: String
    /// Every event but the collector's own calls.
    public var eventCount: Int
    /// Events of suspect actors.
    public var actorEventCount: Int
    /// Of those, failed calls.
    public var errorCount: Int
    /// First event.
    public var firstSeen: String?
    /// Last event.
    public var lastSeen: String?
    /// Whether the region was never used before the attack (see `reason`).
    public var neverUsedBefore: Bool
    /// Why it counts as never used before.
    public var reason: String?

    /// Makes a region record.
    public init(
        region: String, eventCount: Int, actorEventCount: Int, errorCount: Int,
        firstSeen: String?, lastSeen: String?, neverUsedBefore: Bool, reason: String? = nil
    ) {
        self.region = region
        self.eventCount = eventCount
        self.actorEventCount = actorEventCount
        self.errorCount = errorCount
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.neverUsedBefore = neverUsedBefore
        self.reason = reason
    }
}
