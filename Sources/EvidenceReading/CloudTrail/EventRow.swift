/// One CloudTrail event reduced to what the rules read for every event, its strings interned in
/// the log's `StringTable` (0 where a member is absent).
package struct EventRow: Sendable {
    /// `eventTime` in seconds since 1970 (`Int64.min` when missing or invalid).
    package var time: Int64 = .min
    package var eventID: Int32 = 0
    package var eventTime: Int32 = 0
    package var name: Int32 = 0
    package var source: Int32 = 0
    package var region: Int32 = 0
    package var identityType: Int32 = 0
    package var principal: Int32 = 0
    package var principalId: Int32 = 0
    package var identityAccount: Int32 = 0
    package var accessKey: Int32 = 0
    package var userName: Int32 = 0
    package var invokedBy: Int32 = 0
    package var issuerArn: Int32 = 0
    package var issuerType: Int32 = 0
    package var sessionCreated: Int32 = 0
    package var sourceIP: Int32 = 0
    package var userAgent: Int32 = 0
    package var vpcEndpoint: Int32 = 0
    package var errorCode: Int32 = 0
    package var recipient: Int32 = 0
    package var eventType: Int32 = 0
    /// `readOnly`: 1 true, 0 false, -1 not said.
    package var readOnly: Int8 = -1
    /// `sessionContext.attributes.mfaAuthenticated`: 1 true, 0 false, -1 not said.
    package var mfa: Int8 = -1
    /// Whether the collector made the call: its key or principal, custody's user agent, within
    /// its collection's span (`CollectorSpan`). Other calls of that key are anyone's.
    package var byCollector = false
    /// The source (member) it came from, an index into `EventLog.sources`.
    package var sourceIndex: Int32 = 0
    /// Its place in that member.
    package var record: Int32 = 0
    /// The line it starts on in that member.
    package var line: Int32 = 0
    /// Index into `EventLog.details` when the record was kept, else -1.
    package var detail: Int32 = -1

    /// Whether the record has a valid `eventTime`. One without is at no known time: the rules that
    /// compare times or windows leave it out rather than date it to `Int64.min`.
    package var hasTime: Bool { time != .min }
}
