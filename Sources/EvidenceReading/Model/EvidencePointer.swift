/// Where in the evidence something was seen: an archive, a member, and a place in the member.
///
/// Anyone can follow it with `tar`, `sha256sum` and `jq`: the member's SHA-256 is the one the
/// signed manifest lists.
public struct EvidencePointer: Codable, Hashable, Sendable {
    /// The archive's path, as it was given.
    public var archive: String
    /// The member inside it, such as `snapshot/iam/users.json`.
    public var member: String
    /// The member's SHA-256, from the manifest.
    public var sha256: String?
    /// A JSON pointer (RFC 6901) into the member, such as `/3/accessKeys/1`; for a CloudTrail
    /// record inside a LookupEvents line, `/CloudTrailEvent`.
    public var jsonPointer: String?
    /// For members of several JSON values (JSON Lines, gzip), the line the value starts on, from 1.
    public var line: Int?
    /// For members of several records, the record's place in the member, from 1.
    public var record: Int?

    /// Makes a pointer.
    public init(
        archive: String, member: String, sha256: String? = nil, jsonPointer: String? = nil, line: Int? = nil,
        record: Int? = nil
    ) {
        self.archive = archive
        self.member = member
        self.sha256 = sha256
        self.jsonPointer = jsonPointer
        self.line = line
        self.record = record
    }
}
