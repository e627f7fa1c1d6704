public import CustodyJSON
public import Foundation

/// One CloudTrail record, every member kept as it was, with typed accessors for the ones
/// Custody reads.
///
/// The record is held whole as JSON, so members this type does not know (CloudTrail adds some
/// every year) and odd values survive: an anonymiser's `255.090.254.5` stays that string, a
/// region such as `ap-isob-east-1r` is never corrected, a `readOnly` written as `"true"` keeps
/// its spelling in `members`. An accessor returns `nil` when the member is missing or of
/// another JSON type; the value is still in `members`. Numbers are held as `Double`, so the
/// exact spelling of a number (and integers beyond 2⁵³) lives only in the original bytes,
/// which `CloudTrailRecord.json` and the sealed files keep.
///
/// Field reference: [CloudTrail record contents](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
public struct CloudTrailEvent: Codable, Hashable, Sendable {
    /// Every member of the record.
    public var members: [String: JSONValue]

    /// An event with these members.
    public init(members: [String: JSONValue]) {
        self.members = members
    }

    /// Parses one record from its JSON text.
    /// - Throws: `CloudTrailEventError` when the text is not JSON or not an object.
    public init(json: some Collection<UInt8>) throws(CloudTrailEventError) {
        let bytes = Array(json)
        let value: JSONValue
        do {
            value = try bytes.withUnsafeBufferPointer { buffer throws(JSONScanStop) in
                try JSONScanner.parseDocument(buffer)
            }
        } catch {
            throw CloudTrailEventError(error, length: bytes.count)
        }
        guard case .object(let members) = value else {
            throw CloudTrailEventError(.notAnObject, "A CloudTrail record is a JSON object; this is \(value.kindName).")
        }
        self.members = members
    }

    /// Decodes the record from any decoder (numbers become `Double`).
    public init(from decoder: any Decoder) throws {
        members = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    /// Encodes the record as the object it is.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(members)
    }

    /// The whole record as one JSON value.
    public var record: JSONValue { .object(members) }

    /// A member by name, whatever its type.
    public subscript(member: String) -> JSONValue? { members[member] }

    // MARK: Typed members

    /// The record format version, such as `1.09`.
    public var eventVersion: String? { members["eventVersion"]?.stringValue }
    /// Who made the request.
    public var userIdentity: UserIdentity? { members["userIdentity"]?.objectValue.map(UserIdentity.init) }
    /// When the request was made, as written (UTC, `2024-07-30T21:31:21Z`).
    public var eventTime: String? { members["eventTime"]?.stringValue }
    /// `eventTime` as a date, when it is a valid timestamp.
    public var eventDate: Date? {
        eventTime.flatMap { UTCTimestamp(parsing: $0)?.seconds }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
    /// The service called, such as `iam.amazonaws.com`.
    public var eventSource: String? { members["eventSource"]?.stringValue }
    /// The action, such as `CreateAccessKey`.
    public var eventName: String? { members["eventName"]?.stringValue }
    /// The region the request went to, as written (never checked against a list of regions).
    public var awsRegion: String? { members["awsRegion"]?.stringValue }
    /// The caller's IP address or the calling service's name, as written (never checked as an address).
    public var sourceIPAddress: String? { members["sourceIPAddress"]?.stringValue }
    /// The caller's user agent.
    public var userAgent: String? { members["userAgent"]?.stringValue }
    /// The error code when the request failed, such as `AccessDenied`.
    public var errorCode: String? { members["errorCode"]?.stringValue }
    /// The error message when the request failed.
    public var errorMessage: String? { members["errorMessage"]?.stringValue }
    /// The request's parameters, any JSON (`null` when there were none).
    public var requestParameters: JSONValue? { members["requestParameters"] }
    /// The response's elements, any JSON (`null` for read-only calls and failures).
    public var responseElements: JSONValue? { members["responseElements"] }
    /// Extra data the service adds, any JSON.
    public var additionalEventData: JSONValue? { members["additionalEventData"] }
    /// Details of events a service emits itself (`AwsServiceEvent`), any JSON.
    public var serviceEventDetails: JSONValue? { members["serviceEventDetails"] }
    /// The request id the service returned.
    public var requestID: String? { members["requestID"]?.stringValue }
    /// CloudTrail's id for the record.
    public var eventID: String? { members["eventID"]?.stringValue }
    /// `AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, `AwsConsoleAction`, `AwsCloudTrailInsight` …
    public var eventType: String? { members["eventType"]?.stringValue }
    /// The API version, for services that record it.
    public var apiVersion: String? { members["apiVersion"]?.stringValue }
    /// Whether the call only reads; `true`/`false` written as strings are read too.
    public var readOnly: Bool? { members["readOnly"].flatMap(Self.boolean) }
    /// Whether it is a management event.
    public var managementEvent: Bool? { members["managementEvent"].flatMap(Self.boolean) }
    /// `Management`, `Data`, `Insight` or `NetworkActivity`.
    public var eventCategory: String? { members["eventCategory"]?.stringValue }
    /// The resources the call touched.
    public var resources: [Resource]? {
        members["resources"]?.arrayValue?.compactMap { $0.objectValue.map(Resource.init) }
    }
    /// The account that received the event.
    public var recipientAccountId: String? { members["recipientAccountId"]?.stringValue }
    /// Shared by the records of one action that CloudTrail delivers to several accounts.
    public var sharedEventID: String? { members["sharedEventID"]?.stringValue }
    /// The VPC endpoint the request came through.
    public var vpcEndpointId: String? { members["vpcEndpointId"]?.stringValue }
    /// The account that owns that VPC endpoint.
    public var vpcEndpointAccountId: String? { members["vpcEndpointAccountId"]?.stringValue }
    /// The TLS version, cipher suite and host header of the request.
    public var tlsDetails: TLSDetails? { members["tlsDetails"]?.objectValue.map(TLSDetails.init) }
    /// Whether the session's credentials came from the console (written as a string, `"true"`).
    public var sessionCredentialFromConsole: String? { members["sessionCredentialFromConsole"]?.stringValue }
    /// Why a record was delivered late or changed, any JSON.
    public var addendum: JSONValue? { members["addendum"] }
    /// Details of an Insights event, any JSON.
    public var insightDetails: JSONValue? { members["insightDetails"] }

    static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default: return nil
        }
    }
}

extension JSONValue {
    /// `an object`, `a string` …, for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
