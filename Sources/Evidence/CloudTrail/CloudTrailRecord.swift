import CustodyJSON

/// One record as a `CloudTrailReader` found it: its exact JSON text, where it was, and the few
/// members needed to count, time and group records, read without building the whole tree.
public struct CloudTrailRecord: Hashable, Sendable {
    /// How a record was stored in its file.
    public enum Envelope: Hashable, Sendable {
        /// The record itself, as in a CloudTrail log file.
        case none
        /// Inside a LookupEvents event, as the JSON string `CloudTrailEvent`.
        case lookupEvents
        /// Inside another object, under this member (`log` in SIEM exports, `detail` in EventBridge events).
        case member(String)
    }

    /// Where the record (or the envelope holding it) starts.
    public var position: CloudTrailPosition
    /// How it was stored.
    public var envelope: Envelope
    /// The record's JSON text exactly as stored; for LookupEvents, the text of the `CloudTrailEvent` string.
    public var json: [UInt8]
    /// Where the looked-for members lie in `json`.
    var fields: RecordFields

    init(position: CloudTrailPosition, envelope: Envelope, json: [UInt8], fields: RecordFields) {
        self.position = position
        self.envelope = envelope
        self.json = json
        self.fields = fields
    }

    /// Parses the whole record.
    /// - Throws: `CloudTrailEventError` only if the text was changed after it was read.
    public func event() throws(CloudTrailEventError) -> CloudTrailEvent {
        try CloudTrailEvent(json: json)
    }

    /// The record with only the named top-level members parsed, for callers that read a few
    /// members of many records: the others are checked and skipped, never built.
    /// - Throws: `CloudTrailEventError` only if the text was changed after it was read.
    public func event(members names: [String]) throws(CloudTrailEventError) -> CloudTrailEvent {
        do {
            return CloudTrailEvent(
                members: try json.withUnsafeBufferPointer { buffer throws(JSONScanStop) in
                    try JSONScanner.parseMembers(buffer, named: names)
                })
        } catch {
            throw CloudTrailEventError(error, length: json.count)
        }
    }

    /// Top-level members whose place in `json` is noted while the record is checked.
    public enum Member: Sendable, CaseIterable {
        case eventVersion, eventTime, eventSource, eventName, eventID, awsRegion, recipientAccountId
        case sourceIPAddress, userAgent, errorCode, vpcEndpointId, eventType, readOnly, userIdentity
    }

    /// Where a member's value lies in `json`.
    public struct Location: Hashable, Sendable {
        /// For a string, the bytes between its quotes; for any other value, the whole value.
        public var range: Range<Int>
        /// Whether the value is a string.
        public var isString: Bool
        /// Whether a string's bytes hold escapes (`\n`, `\u00e9` …) that must be decoded.
        public var hasEscapes: Bool
    }

    /// Where `member` lies in `json`, without building anything; `nil` when the record lacks it.
    /// A repeated member is its last occurrence.
    public func location(of member: Member) -> Location? {
        let name: RecordFields.Name =
            switch member {
            case .eventVersion: .eventVersion
            case .eventTime: .eventTime
            case .eventSource: .eventSource
            case .eventName: .eventName
            case .eventID: .eventID
            case .awsRegion: .awsRegion
            case .recipientAccountId: .recipientAccountId
            case .sourceIPAddress: .sourceIPAddress
            case .userAgent: .userAgent
            case .errorCode: .errorCode
            case .vpcEndpointId: .vpcEndpointId
            case .eventType: .eventType
            case .readOnly: .readOnly
            case .userIdentity: .userIdentity
            }
        guard let span = fields[name] else { return nil }
        if case .string(let hasEscapes) = span.kind {
            return Location(range: span.start..<span.end, isString: true, hasEscapes: hasEscapes)
        }
        return Location(range: span.start..<span.end, isString: false, hasEscapes: false)
    }

    /// `readOnly`: `true` or `false`, written as a literal or a string; `nil` for anything else.
    public var readOnly: Bool? {
        guard let span = fields.readOnly else { return nil }
        let value = json[span.start..<span.end]
        if value.elementsEqual("true".utf8) { return true }
        if value.elementsEqual("false".utf8) { return false }
        return nil
    }

    /// `eventVersion`, when it is a string.
    public var eventVersion: String? { string(fields.eventVersion) }
    /// `eventTime` as written, when it is a string.
    public var eventTime: String? { string(fields.eventTime) }
    /// `eventTime` in seconds since 1970, when it is a valid timestamp.
    public var eventTimeSeconds: Int64? {
        guard let span = fields.eventTime, case .string(false) = span.kind else {
            return eventTime.flatMap(CloudTrailTime.seconds)
        }
        return json.withUnsafeBufferPointer { buffer in
            CloudTrailTime.seconds(UnsafeBufferPointer(rebasing: buffer[span.start..<span.end]))
        }
    }
    /// `eventSource`, when it is a string.
    public var eventSource: String? { string(fields.eventSource) }
    /// `eventName`, when it is a string.
    public var eventName: String? { string(fields.eventName) }
    /// `eventID`, when it is a string.
    public var eventID: String? { string(fields.eventID) }
    /// `awsRegion` as written, when it is a string.
    public var awsRegion: String? { string(fields.awsRegion) }
    /// `recipientAccountId`, when it is a string.
    public var recipientAccountId: String? { string(fields.recipientAccountId) }

    private func string(_ span: FieldSpan?) -> String? {
        guard let span, case .string(let hasEscapes) = span.kind else { return nil }
        return json.withUnsafeBufferPointer { buffer in
            JSONScanner(buffer).string(JSONStringToken(start: span.start, end: span.end, hasEscapes: hasEscapes))
        }
    }
}
