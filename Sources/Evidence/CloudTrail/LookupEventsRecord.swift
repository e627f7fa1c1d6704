import CustodyJSON
public import Foundation

/// One event in the shape CloudTrail's
/// [LookupEvents](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html)
/// returns it: a few members for filtering and the whole record as a JSON string.
///
/// Custody stores live collection as `cloudtrail/<region>/events.jsonl.gz`, one of these per line,
/// the way `aws cloudtrail lookup-events` prints them, so plaso and Timesketch read the file as is.
/// `cloudTrailEvent` is kept exactly as AWS sent it; the other members only repeat parts of it.
public struct LookupEventsRecord: Codable, Hashable, Sendable {
    /// A resource as LookupEvents lists it.
    public struct Resource: Codable, Hashable, Sendable {
        /// Such as `AWS::IAM::AccessKey`.
        public var resourceType: String?
        /// Such as the access key id or the ARN.
        public var resourceName: String?

        /// Makes a resource.
        public init(resourceType: String?, resourceName: String?) {
            self.resourceType = resourceType
            self.resourceName = resourceName
        }

        enum CodingKeys: String, CodingKey {
            case resourceType = "ResourceType"
            case resourceName = "ResourceName"
        }
    }

    /// The record's `eventID`.
    public var eventId: String?
    /// The record's `eventName`.
    public var eventName: String?
    /// `"true"` or `"false"`, as a string.
    public var readOnly: String?
    /// The access key that signed the request.
    public var accessKeyId: String?
    /// When the event happened, as the AWS CLI prints it: `2016-01-26T21:42:12+00:00`.
    public var eventTime: String?
    /// The record's `eventSource`.
    public var eventSource: String?
    /// The user or role session name LookupEvents shows.
    public var username: String?
    /// The resources LookupEvents lists.
    public var resources: [Resource]
    /// The record, as the JSON text AWS sent.
    public var cloudTrailEvent: String

    /// Makes an event; pass the values LookupEvents returned.
    public init(
        eventId: String?, eventName: String?, readOnly: String?, accessKeyId: String?, eventTime: String?,
        eventSource: String?, username: String?, resources: [Resource], cloudTrailEvent: String
    ) {
        self.eventId = eventId
        self.eventName = eventName
        self.readOnly = readOnly
        self.accessKeyId = accessKeyId
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.username = username
        self.resources = resources
        self.cloudTrailEvent = cloudTrailEvent
    }

    /// The LookupEvents shape of a record read from elsewhere (a log file, say), its text kept exactly.
    ///
    /// The summary members are derived from the record: `Username` is the user name, or the
    /// session or federated name at the end of the ARN; `Resources` are the record's resources
    /// (type and ARN). LookupEvents itself may list them differently.
    /// - Throws: `CloudTrailEventError` when the record's text is not a JSON object.
    public init(record: CloudTrailRecord) throws(CloudTrailEventError) {
        let event = try record.event()
        let identity = event.userIdentity
        var username = identity?.userName
        if username == nil, let type = identity?.type, ["AssumedRole", "FederatedUser"].contains(type),
            let arn = identity?.arn, let slash = arn.lastIndex(of: "/")
        {
            username = String(arn[arn.index(after: slash)...])
        }
        if username == nil && identity?.type == "Root" { username = "root" }
        self.init(
            eventId: event.eventID, eventName: event.eventName, readOnly: event.readOnly.map { $0 ? "true" : "false" },
            accessKeyId: identity?.accessKeyId,
            eventTime: record.eventTimeSeconds.map { Self.eventTime(Date(timeIntervalSince1970: TimeInterval($0))) }
                ?? event.eventTime,
            eventSource: event.eventSource, username: username,
            resources: (event.resources ?? []).map { Resource(resourceType: $0.type, resourceName: $0.arn) },
            cloudTrailEvent: String(decoding: record.json, as: UTF8.self))
    }

    /// A time as the AWS CLI prints LookupEvents' `EventTime` in UTC: `2016-01-26T21:42:12+00:00`.
    /// A date beyond years 0 to 9999 is written as the nearest of them.
    public static func eventTime(_ date: Date) -> String {
        String(UTCTimestamp(date).iso8601.dropLast()) + "+00:00"
    }

    enum CodingKeys: String, CodingKey {
        case eventId = "EventId"
        case eventName = "EventName"
        case readOnly = "ReadOnly"
        case accessKeyId = "AccessKeyId"
        case eventTime = "EventTime"
        case eventSource = "EventSource"
        case username = "Username"
        case resources = "Resources"
        case cloudTrailEvent = "CloudTrailEvent"
    }
}
