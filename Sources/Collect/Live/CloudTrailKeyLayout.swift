import Foundation

/// Where CloudTrail puts one account's files in a trail's bucket.
///
/// A trail of the account delivers under `<prefix>/AWSLogs/<account>/`; an organization trail under
/// `<prefix>/AWSLogs/<organization id>/<account>/` for every account of the Organization, the
/// management account included. Below either root, log files are in
/// `CloudTrail/<region>/YYYY/MM/DD/` and digest files in `CloudTrail-Digest/<region>/YYYY/MM/DD/`
/// ([AWS](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html)).
struct CloudTrailKeyLayout: Sendable, Hashable {
    /// The trail's key prefix, without slashes at either end; empty when none.
    var prefix: String
    /// The account whose files are read.
    var account: String

    /// `<prefix>/AWSLogs/`: the folder every layout starts in.
    var logsFolder: String { prefix.isEmpty ? "AWSLogs/" : "\(prefix)/AWSLogs/" }

    /// The account's roots, each ending in `/`: those of the Organizations given first, then the
    /// account-trail root, which an organization trail's bucket may also hold (files of a trail of the
    /// account itself, or delivered before the trail became an organization trail).
    func roots(organizations: [String]) -> [String] {
        organizations.map { "\(logsFolder)\($0)/\(account)/" } + ["\(logsFolder)\(account)/"]
    }

    /// The log folder of `region` below `root`.
    static func logFolder(root: String, region: String) -> String { "\(root)CloudTrail/\(region)/" }

    /// The digest folder of `region` below `root`.
    static func digestFolder(root: String, region: String) -> String { "\(root)CloudTrail-Digest/\(region)/" }

    /// The Organization id a common prefix of `<prefix>/AWSLogs/` names (`…/AWSLogs/o-a1b2c3d4e5/`), if it
    /// names one: `o-` and 10 to 32 lowercase letters or digits, as Organizations makes them.
    func organizationId(commonPrefix: String) -> String? {
        guard commonPrefix.hasPrefix(logsFolder), commonPrefix.hasSuffix("/") else { return nil }
        let name = commonPrefix.dropFirst(logsFolder.count).dropLast()
        guard Self.isOrganizationId(name) else { return nil }
        return String(name)
    }

    /// Whether `name` has the form of an Organization id.
    static func isOrganizationId(_ name: Substring) -> Bool {
        guard name.hasPrefix("o-") else { return false }
        let rest = name.dropFirst(2)
        return (10...32).contains(rest.count)
            && rest.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}
