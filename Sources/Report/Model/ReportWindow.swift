/// The time a report covers: the CloudTrail windows of its archives and the events actually seen.
public struct ReportWindow: Codable, Hashable, Sendable {
    /// The earliest CloudTrail window start of the archives read (ISO 8601).
    public var from: String?
    /// The latest CloudTrail window end.
    public var to: String?
    /// The first event's time.
    public var firstEvent: String?
    /// The last event's time.
    public var lastEvent: String?
    /// The first event of a suspect actor: when the attack was first seen.
    public var attackStart: String?

    /// Makes a window.
    public init(
        from: String? = nil, to: String? = nil, firstEvent: String? = nil, lastEvent: String? = nil,
        attackStart: String? = nil
    ) {
        self.from = from
        self.to = to
        self.firstEvent = firstEvent
        self.lastEvent = lastEvent
        self.attackStart = attackStart
    }
}
