/// Collection: what goes into an account's chain, from AWS or from files a responder already has.
public enum Collection {
    /// The `kind` of archives holding a live collection.
    public static let evidenceKind = "evidence"
    /// The `kind` of archives holding imported CloudTrail.
    public static let importedCloudTrailKind = "cloudtrail"
}
