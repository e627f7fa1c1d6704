/// What `custody preflight` checks: which targets, which regions.
public struct PreflightOptions: Hashable, Sendable {
    /// Which regions to list and probe.
    public enum Regions: Hashable, Sendable {
        /// The client's region (from the profile or environment).
        case home
        /// Every region enabled for the account.
        case all
        /// The named regions.
        case list([String])
    }

    /// Profiles to check, each a target; empty means the default credential chain.
    public var profiles: [String]
    /// Account ids to reach by assuming `roleName` with the first profile's (or the default) credentials.
    public var accounts: [String]
    /// The role to assume in each of `accounts`.
    public var roleName: String?
    /// The regions.
    public var regions: Regions
    /// The query engine a `custody sweep` would use, whose read calls are tried too, and whose one write
    /// is named in the report.
    public var sweep: SweepEngine?

    /// The engine of `custody sweep`.
    public enum SweepEngine: Hashable, Sendable {
        /// Athena, in a workgroup (`primary` when nil).
        case athena(workGroup: String?)
        /// CloudTrail Lake.
        case lake
    }

    /// Makes options.
    public init(
        profiles: [String] = [], accounts: [String] = [], roleName: String? = nil, regions: Regions = .home,
        sweep: SweepEngine? = nil
    ) {
        self.profiles = profiles
        self.accounts = accounts
        self.roleName = roleName
        self.regions = regions
        self.sweep = sweep
    }

    /// Parses `--regions`: `all`, or a comma-separated list of region names.
    /// - Throws: `AWSClientError.Code.invalidConfiguration` naming the first unknown region.
    public static func regions(_ text: String?) throws -> Regions {
        guard let text, !text.isEmpty else { return .home }
        if text.lowercased() == "all" { return .all }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let unknown = names.first(where: { Partition.of(region: $0) == nil }) {
            throw AWSClientError(
                .invalidConfiguration,
                "'\(unknown)' is not a region name: give names such as us-east-1,eu-west-1, or 'all'.")
        }
        return .list(names)
    }
}
