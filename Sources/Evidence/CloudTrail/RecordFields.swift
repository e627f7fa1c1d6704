import CustodyJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a top-level member's value lies inside a record's bytes.
struct FieldSpan: Hashable, Sendable {
    /// What the value is.
    enum Kind: Hashable, Sendable {
        /// A string; `start..<end` is the content between the quotes.
        case string(hasEscapes: Bool)
        /// An object; `start..<end` is the whole object.
        case object
        /// Anything else; `start..<end` is the whole value.
        case other
    }

    var start: Int
    var end: Int
    var kind: Kind
}

extension FieldSpan {
    /// Where a string's content lies.
    init(string token: JSONStringToken) {
        self.init(start: token.start, end: token.end, kind: .string(hasEscapes: token.hasEscapes))
    }
}

/// The top-level members of an object that reading CloudTrail needs, found while checking it.
///
/// Finding them during the one pass that checks the record's syntax makes counting, timing and
/// grouping records cost almost nothing beyond that pass; the full tree is built only on request.
struct RecordFields: Hashable, Sendable {
    /// The members looked for; each name is spelled exactly as CloudTrail and LookupEvents spell it.
    enum Name: CaseIterable {
        case eventVersion, eventTime, eventSource, eventName, eventID, awsRegion, recipientAccountId
        /// Members every event's summary reads (`CloudTrailRecord.location(of:)`).
        case sourceIPAddress, userAgent, errorCode, vpcEndpointId, eventType, readOnly, userIdentity
        /// LookupEvents: the record as a JSON string.
        case cloudTrailEvent
        /// Envelopes that carry a record inside: a SIEM export's `log`, an EventBridge event's `detail`.
        case log, detail
        /// Containers: `{"Records":[…]}`, `{"Events":[…]}`.
        case records, events
        /// A CloudTrail digest file.
        case digestStartTime
    }

    var eventVersion: FieldSpan?
    var eventTime: FieldSpan?
    var eventSource: FieldSpan?
    var eventName: FieldSpan?
    var eventID: FieldSpan?
    var awsRegion: FieldSpan?
    var recipientAccountId: FieldSpan?
    var sourceIPAddress: FieldSpan?
    var userAgent: FieldSpan?
    var errorCode: FieldSpan?
    var vpcEndpointId: FieldSpan?
    var eventType: FieldSpan?
    var readOnly: FieldSpan?
    var userIdentity: FieldSpan?
    var cloudTrailEvent: FieldSpan?
    var log: FieldSpan?
    var detail: FieldSpan?
    var records: FieldSpan?
    var events: FieldSpan?
    var digestStartTime: FieldSpan?

    subscript(name: Name) -> FieldSpan? {
        get {
            switch name {
            case .eventVersion: eventVersion
            case .eventTime: eventTime
            case .eventSource: eventSource
            case .eventName: eventName
            case .eventID: eventID
            case .awsRegion: awsRegion
            case .recipientAccountId: recipientAccountId
            case .sourceIPAddress: sourceIPAddress
            case .userAgent: userAgent
            case .errorCode: errorCode
            case .vpcEndpointId: vpcEndpointId
            case .eventType: eventType
            case .readOnly: readOnly
            case .userIdentity: userIdentity
            case .cloudTrailEvent: cloudTrailEvent
            case .log: log
            case .detail: detail
            case .records: records
            case .events: events
            case .digestStartTime: digestStartTime
            }
        }
        set {
            switch name {
            case .eventVersion: eventVersion = newValue
            case .eventTime: eventTime = newValue
            case .eventSource: eventSource = newValue
            case .eventName: eventName = newValue
            case .eventID: eventID = newValue
            case .awsRegion: awsRegion = newValue
            case .recipientAccountId: recipientAccountId = newValue
            case .sourceIPAddress: sourceIPAddress = newValue
            case .userAgent: userAgent = newValue
            case .errorCode: errorCode = newValue
            case .vpcEndpointId: vpcEndpointId = newValue
            case .eventType: eventType = newValue
            case .readOnly: readOnly = newValue
            case .userIdentity: userIdentity = newValue
            case .cloudTrailEvent: cloudTrailEvent = newValue
            case .log: log = newValue
            case .detail: detail = newValue
            case .records: records = newValue
            case .events: events = newValue
            case .digestStartTime: digestStartTime = newValue
            }
        }
    }

    /// Whether the object is a CloudTrail record: it has one of the members every record has.
    var isRecord: Bool {
        eventVersion != nil || eventTime != nil || eventSource != nil || eventName != nil || eventID != nil
    }
}

extension RecordFields.Name {
    /// The member name that `token` spells, if it is one looked for.
    static func named(_ token: JSONStringToken, in scanner: JSONScanner) -> RecordFields.Name? {
        guard !token.hasEscapes else {
            // A name written with escapes has another length in the bytes: decode it to be sure.
            let text = scanner.string(token)
            return RecordFields.Name.allCases.first { $0.memberName == text }
        }
        // Every key of every record comes here: dispatch on the length and a byte or two, then
        // confirm one name.
        let count = token.end - token.start
        guard count >= 3 else { return nil }
        let bytes = scanner.bytes + token.start
        func spelled(_ literal: StaticString, _ name: RecordFields.Name) -> RecordFields.Name? {
            count == literal.utf8CodeUnitCount && memcmp(bytes, literal.utf8Start, count) == 0 ? name : nil
        }
        switch (count, bytes[0]) {
        case (3, UInt8(ascii: "l")): return spelled("log", .log)
        case (6, UInt8(ascii: "E")): return spelled("Events", .events)
        case (6, UInt8(ascii: "d")): return spelled("detail", .detail)
        case (7, UInt8(ascii: "e")): return spelled("eventID", .eventID)
        case (7, UInt8(ascii: "R")): return spelled("Records", .records)
        case (8, UInt8(ascii: "r")): return spelled("readOnly", .readOnly)
        case (9, UInt8(ascii: "e")):
            switch bytes[6] {
            case UInt8(ascii: "i"): return spelled("eventTime", .eventTime)
            case UInt8(ascii: "a"): return spelled("eventName", .eventName)
            case UInt8(ascii: "o"): return spelled("errorCode", .errorCode)
            case UInt8(ascii: "y"): return spelled("eventType", .eventType)
            default: return nil
            }
        case (9, UInt8(ascii: "a")): return spelled("awsRegion", .awsRegion)
        case (9, UInt8(ascii: "u")): return spelled("userAgent", .userAgent)
        case (11, UInt8(ascii: "e")): return spelled("eventSource", .eventSource)
        case (12, UInt8(ascii: "e")): return spelled("eventVersion", .eventVersion)
        case (12, UInt8(ascii: "u")): return spelled("userIdentity", .userIdentity)
        case (13, UInt8(ascii: "v")): return spelled("vpcEndpointId", .vpcEndpointId)
        case (15, UInt8(ascii: "C")): return spelled("CloudTrailEvent", .cloudTrailEvent)
        case (15, UInt8(ascii: "s")): return spelled("sourceIPAddress", .sourceIPAddress)
        case (15, UInt8(ascii: "d")): return spelled("digestStartTime", .digestStartTime)
        case (18, UInt8(ascii: "r")): return spelled("recipientAccountId", .recipientAccountId)
        default: return nil
        }
    }

    /// The member's name as written in JSON.
    var memberName: String {
        switch self {
        case .eventVersion: "eventVersion"
        case .eventTime: "eventTime"
        case .eventSource: "eventSource"
        case .eventName: "eventName"
        case .eventID: "eventID"
        case .awsRegion: "awsRegion"
        case .recipientAccountId: "recipientAccountId"
        case .sourceIPAddress: "sourceIPAddress"
        case .userAgent: "userAgent"
        case .errorCode: "errorCode"
        case .vpcEndpointId: "vpcEndpointId"
        case .eventType: "eventType"
        case .readOnly: "readOnly"
        case .userIdentity: "userIdentity"
        case .cloudTrailEvent: "CloudTrailEvent"
        case .log: "log"
        case .detail: "detail"
        case .records: "Records"
        case .events: "Events"
        case .digestStartTime: "digestStartTime"
        }
    }
}

extension JSONScanner {
    /// Checks the object at `index` and notes where its looked-for top-level members are.
    mutating func scanObjectFields() throws(JSONScanStop) -> RecordFields {
        try scanObjectFields(decodingCloudTrailEventInto: nil).fields
    }

    /// `scanObjectFields()`, also decoding a `CloudTrailEvent` string into `buffer` (which must
    /// have room for the bytes that remain) in the same pass: the number of bytes written, or
    /// `nil` when there was no such string.
    mutating func scanObjectFields(decodingCloudTrailEventInto buffer: UnsafeMutablePointer<UInt8>?)
        throws(JSONScanStop) -> (fields: RecordFields, decoded: Int?)
    {
        var fields = RecordFields()
        var decoded: Int?
        // A repeated member is noted again, so the last one is where it lies.
        try forEachMember(depth: 1) { scanner, key throws(JSONScanStop) in
            guard scanner.index < scanner.count else { throw scanner.ranOut("an object") }
            guard let name = RecordFields.Name.named(key, in: scanner) else { return try scanner.skipValue(depth: 1) }
            let start = scanner.index
            let first = scanner.bytes[start]
            if first == UInt8(ascii: "\""), name == .cloudTrailEvent, let buffer {
                let (value, written) = try scanner.scanString(decodingInto: buffer)
                decoded = written
                fields[name] = FieldSpan(string: value)
            } else if first == UInt8(ascii: "\"") {
                if name == .cloudTrailEvent { decoded = nil }
                let value = try scanner.scanString()
                fields[name] = FieldSpan(string: value)
            } else {
                if name == .cloudTrailEvent { decoded = nil }
                try scanner.skipValue(depth: 1)
                fields[name] = FieldSpan(
                    start: start, end: scanner.index, kind: first == UInt8(ascii: "{") ? .object : .other)
            }
        }
        return (fields, decoded)
    }
}
