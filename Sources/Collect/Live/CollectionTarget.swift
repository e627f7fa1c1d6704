public import AWSClient
import Foundation

/// One account to collect and the credentials to collect it with.
public struct CollectionTarget: Sendable {
    /// How the target was named: `profile lab-111122223333`, `account 222233334444 as role Responder`.
    public var label: String
    /// The client acting in the account.
    public var aws: AWS
    /// The account the target should turn out to be, when it was named by id.
    public var expectedAccount: String?

    /// Makes a target.
    public init(label: String, aws: AWS, expectedAccount: String? = nil) {
        self.label = label
        self.aws = aws
        self.expectedAccount = expectedAccount
    }

    /// Targets for named profiles of the shared AWS config files.
    /// - Throws: `AWSClientError` when a profile does not exist.
    public static func profiles(_ names: [String], configuration: AWSConfiguration) throws -> [CollectionTarget] {
        try names.map { name in
            var settings = configuration
            settings.profile = name
            return CollectionTarget(label: "profile \(name)", aws: try AWS(settings))
        }
    }

    /// The one target the AWS CLI's default credential chain names: `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`), then `AWS_PROFILE` or the `default`
    /// profile, then container and instance-role credentials.
    /// - Throws: `AWSClientError` when `AWS_PROFILE` names a profile that does not exist.
    public static func defaultCredentials(configuration: AWSConfiguration) throws -> CollectionTarget {
        var settings = configuration
        settings.profile = nil
        return CollectionTarget(label: "default credentials", aws: try AWS(settings))
    }

    /// Targets for account ids, reached by assuming `roleName` in each with `base`'s credentials.
    public static func accounts(_ ids: [String], roleName: String, base: AWS) -> [CollectionTarget] {
        ids.map { id in
            let arn = "arn:\(partition(of: base.region)):iam::\(id):role/\(roleName)"
            return CollectionTarget(
                label: "account \(id) as role \(roleName)",
                aws: base.assumingRole(arn, sessionName: "custody-collect"), expectedAccount: id)
        }
    }

    /// Every active account of the Organization `base` can list: its own account with `base`'s
    /// credentials, the others by assuming `roleName`.
    /// - Throws: `AWSServiceError` when the accounts cannot be listed (not the management or a delegated account).
    public static func organization(roleName: String, base: AWS) async throws -> [CollectionTarget] {
        let me = try await base.sts.getCallerIdentity().output.account ?? ""
        let listed = try await base.organizations.listAccounts().allItems { $0.accounts }
        let active = listed.filter { ($0.status ?? "ACTIVE") == "ACTIVE" }.compactMap(\.id).sorted()
        var targets: [CollectionTarget] = []
        if active.contains(me) {
            targets.append(CollectionTarget(label: "account \(me) (caller)", aws: base, expectedAccount: me))
        }
        targets += accounts(active.filter { $0 != me }, roleName: roleName, base: base)
        return targets
    }

    /// The ARN partition of a region.
    static func partition(of region: String) -> String {
        Partition.of(region: region)?.id ?? "aws"
    }
}
