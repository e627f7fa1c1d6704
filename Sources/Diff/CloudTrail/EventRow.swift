/// One CloudTrail event reduced to what the rules read for every event, its strings interned in
/// the log's `StringTable` (0 where a member is absent).
struct EventRow: Sendable {
    /// `eventTime` in seconds since 1970 (`Int64.min` when missing or invalid).
    var time: Int64 = .min
    var eventID: Int32 = 0
    var eventTime: Int32 = 0
    var name: Int32 = 0
    var source: Int32 = 0
    var region: Int32 = 0
    var identityType: Int32 = 0
    var principal: Int32 = 0
    var principalId: Int32 = 0
    var identityAccount: Int32 = 0
    var accessKey: Int32 = 0
    var userName: Int32 = 0
    var invokedBy: Int32 = 0
    var issuerArn: Int32 = 0
    var issuerType: Int32 = 0
    var sessionCreated: Int32 = 0
    var sourceIP: Int32 = 0
    var userAgent: Int32 = 0
    var vpcEndpoint: Int32 = 0
    var errorCode: Int32 = 0
    var recipient: Int32 = 0
    var eventType: Int32 = 0
    /// `readOnly`: 1 true, 0 false, -1 not said.
    var readOnly: Int8 = -1
    /// `sessionContext.attributes.mfaAuthenticated`: 1 true, 0 false, -1 not said.
    var mfa: Int8 = -1
    /// Whether the collector's own principal made the call.
    var byCollector = false
    /// The source (member) it came from, an index into `EventLog.sources`.
    var sourceIndex: Int32 = 0
    /// Its place in that member.
    var record: Int32 = 0
    /// The line it starts on in that member.
    var line: Int32 = 0
    /// Index into `EventLog.details` when the record was kept, else -1.
    var detail: Int32 = -1

    /// Whether the record has a valid `eventTime`. One without is at no known time: the rules that
    /// compare times or windows leave it out rather than date it to `Int64.min`.
    var hasTime: Bool { time != .min }
}
