public import AWSClient

/// Whose credentials read a trail's bucket with `--cloudtrail s3`.
///
/// The bucket of an organization trail usually lives in a separate logging account, where the
/// collection's credentials can read nothing: a profile of that account, or a role in it assumed
/// with each collected account's credentials, reads it instead. Everything else is still asked of
/// the collected account.
public enum TrailBucketAccess: Sendable {
    /// The collected account's own credentials.
    case collection
    /// This client's credentials (`--trail-bucket-profile`).
    case client(AWS)
    /// This role, assumed with the collected account's credentials (`--trail-bucket-role`).
    case role(arn: String)

    /// The client that reads the bucket when collecting with `collection`.
    func client(collecting collection: AWS) -> AWS {
        switch self {
        case .collection: collection
        case .client(let aws): aws
        case .role(let arn): collection.assumingRole(arn, sessionName: "custody-trail-bucket")
        }
    }
}
