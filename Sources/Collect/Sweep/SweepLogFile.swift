/// A CloudTrail log file a sweep's row names (`"$path"`): its bucket and key, and the account, region
/// and day folder its key says, in either key layout (`CloudTrailKeyLayout`).
public struct SweepLogFile: Sendable, Hashable, Comparable {
    /// The bucket.
    public var bucket: String
    /// The key.
    public var key: String
    /// The account whose folder holds it.
    public var account: String
    /// The region of its folder.
    public var region: String
    /// The folder up to the account: `[prefix/]AWSLogs/[<organization id>/]<account>/`.
    public var root: String
    /// `YYYY/MM/DD`.
    public var day: String

    /// The file `s3://bucket/key` names, when its key is in CloudTrail's layout.
    public init?(path: String) {
        guard let (bucket, key) = AthenaQueryRunner.s3(path) else { return nil }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // …/AWSLogs/[o-…/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>
        guard let trail = parts.lastIndex(of: "CloudTrail"), trail >= 2, parts.count == trail + 6,
            SweepTerms.isAccountId(parts[trail - 1]), parts[..<trail].contains("AWSLogs")
        else { return nil }
        self.bucket = bucket
        self.key = key
        account = parts[trail - 1]
        region = parts[trail + 1]
        root = parts[..<trail].joined(separator: "/") + "/"
        day = parts[(trail + 2)...(trail + 4)].joined(separator: "/")
    }

    /// Orders by bucket, then key.
    public static func < (a: SweepLogFile, b: SweepLogFile) -> Bool { (a.bucket, a.key) < (b.bucket, b.key) }
}
