/// One collection by custody, as its archive's manifest records it: the key and principal it
/// called AWS as, and when it ran.
///
/// A call is the collector's own only when it was made with that key or principal, carries
/// custody's user agent, and falls within the span widened by `slack`. A key is a secret that
/// anyone holding it can use: whatever else was done with it is judged like anyone's calls, and
/// `EventLog.notes` says so.
public struct CollectorSpan: Sendable, Hashable {
    /// The access key id the collector used.
    public var accessKeyId: String?
    /// The ARN the collector called AWS as.
    public var principal: String?
    /// When the collection started, in seconds since 1970 (`nil` when the manifest's time does not parse).
    public var startedAt: Int64?
    /// When it finished, in seconds since 1970.
    public var finishedAt: Int64?

    /// A span from its parts.
    public init(accessKeyId: String?, principal: String?, startedAt: Int64?, finishedAt: Int64?) {
        self.accessKeyId = accessKeyId
        self.principal = principal
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// A span from a manifest's `collector` and its `startedAt` and `finishedAt` (ISO 8601).
    public init(accessKeyId: String?, principal: String?, startedAt: String, finishedAt: String) {
        self.init(
            accessKeyId: accessKeyId, principal: principal, startedAt: EventTime.seconds(startedAt),
            finishedAt: EventTime.seconds(finishedAt))
    }

    /// How far outside `startedAt`…`finishedAt` a call may be dated and still be the collection's:
    /// 5 minutes. CloudTrail dates a call by AWS's clock and the manifest by the collecting
    /// machine's, and the account is identified just before its collection starts.
    public static let slack: Int64 = 300

    /// The times a call of this collection may carry, `nil` when the manifest's times do not parse.
    package var window: ClosedRange<Int64>? {
        guard let startedAt, let finishedAt, startedAt <= finishedAt else { return nil }
        return EvidenceSeconds.subtracting(startedAt, Self.slack)...EvidenceSeconds.adding(finishedAt, Self.slack)
    }

    /// Whether `userAgent` is the one custody's AWS client sends: `custody`, or `custody/` and its
    /// version and command. CloudTrail writes S3's user agents in brackets (`[custody/1.0 collect]`).
    public static func isCustodyAgent(_ userAgent: String) -> Bool {
        var agent = Substring(userAgent)
        if agent.first == "[" { agent = agent.dropFirst() }
        guard agent.hasPrefix("custody") else { return false }
        let rest = agent.dropFirst("custody".count)
        return rest.isEmpty || rest.first == "/" || rest.first == "]"
    }
}
