/// How a file holds its CloudTrail records, as detected from its content (never from its name).
public enum CloudTrailShape: String, Codable, Hashable, Sendable, CaseIterable {
    /// A CloudTrail log file: `{"Records":[…]}`, as delivered to S3 (several may be concatenated).
    case cloudTrailLog = "cloudtrail-log"
    /// `aws cloudtrail lookup-events` output: `{"Events":[{"EventId":…,"CloudTrailEvent":"<record>"}],"NextToken":…}`.
    case lookupEvents = "lookup-events"
    /// One LookupEvents event per line, the shape Custody stores in `cloudtrail/<region>/events.jsonl.gz`.
    case lookupEventsLines = "lookup-events-lines"
    /// One record per line (JSON Lines), possibly inside an envelope such as `{"log":{…}}`.
    case jsonLines = "json-lines"
    /// A JSON array of records.
    case jsonArray = "json-array"
    /// One record, the whole file.
    case singleRecord = "single-record"
    /// A CloudTrail digest file, which holds hashes of log files rather than records.
    case digest
    /// Nothing but white space.
    case empty
    /// Nothing in the file was recognised as CloudTrail.
    case unrecognised
}
