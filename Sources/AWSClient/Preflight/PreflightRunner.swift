import Foundation

/// Runs `custody preflight`: for each target, which credential provider answered, the caller identity, the role
/// assumed, the enabled regions, and one try of every read call the collectors make, with each denial listed
/// per API.
///
/// Every call goes through the read-only client; probes fetch one page at most.
public struct PreflightRunner: Sendable {
    /// What to check.
    public let options: PreflightOptions
    /// The client settings every target starts from (environment, endpoint, transport, retries).
    public let configuration: AWSConfiguration

    /// A runner.
    public init(options: PreflightOptions, configuration: AWSConfiguration) {
        self.options = options
        self.configuration = configuration
    }

    /// Checks every target. Never throws: what goes wrong is in the report.
    public func run() async -> PreflightReport {
        var reports: [PreflightTargetReport] = []
        var base: AWS?
        var baseReport: PreflightTargetReport?
        let profiles: [String?] = options.profiles.isEmpty ? [nil] : options.profiles.map { $0 }
        for profile in profiles {
            var settings = configuration
            settings.profile = profile
            let label = profile.map { "profile \($0)" } ?? "default credentials"
            var report = PreflightTargetReport(target: label)
            do {
                let aws = try AWS(settings)
                if base == nil { base = aws }
                // With only --account, the profile's own account is a means, not a target.
                if options.accounts.isEmpty || !options.profiles.isEmpty {
                    report = await check(aws, report: report)
                    reports.append(report)
                } else {
                    baseReport = await identify(aws, report: report)
                }
            } catch {
                report.problems.append(PreflightAdvice.line(for: error))
                if options.accounts.isEmpty || !options.profiles.isEmpty {
                    reports.append(report)
                } else {
                    baseReport = report
                }
            }
        }
        if let roleName = options.roleName {
            for account in options.accounts {
                var report = PreflightTargetReport(target: "account \(account) as role \(roleName)")
                guard let base else {
                    report.problems = baseReport?.problems ?? ["No credentials to assume the role with."]
                    reports.append(report)
                    continue
                }
                if let problems = baseReport?.problems, !problems.isEmpty {
                    report.problems = problems
                    reports.append(report)
                    continue
                }
                let partition = Partition.of(region: base.region)?.id ?? "aws"
                let arn = "arn:\(partition):iam::\(account):role/\(roleName)"
                let role = base.assumingRole(arn, sessionName: "custody-preflight")
                report.roleAssumed = arn
                report = await check(role, report: report, role: arn, expectedAccount: account)
                reports.append(report)
            }
        }
        return PreflightReport(targets: reports, writes: options.sweep.map { [Self.write(of: $0)] } ?? [])
    }

    /// The one write `custody sweep` makes with `engine`.
    static func write(of engine: PreflightOptions.SweepEngine) -> String {
        switch engine {
        case .athena(let workGroup):
            "custody sweep --engine athena runs its queries with StartQueryExecution: Athena writes each result "
                + "(a CSV and its metadata) to the output location (--athena-output, or workgroup "
                + "\(workGroup ?? "primary")'s). Every other call is read-only."
        case .lake:
            "custody sweep --engine lake runs its queries with StartQuery: CloudTrail Lake keeps each query and its "
                + "result with the event data store. Every other call is read-only."
        }
    }

    /// Credentials and caller identity only.
    private func identify(_ aws: AWS, report: PreflightTargetReport, role: String? = nil) async -> PreflightTargetReport
    {
        var report = report
        do {
            let resolved = try await aws.credentials()
            report.credentialSource = resolved.source
            report.accessKeyId = resolved.credentials.accessKeyId
        } catch {
            report.problems.append(PreflightAdvice.line(for: error, role: role))
            return report
        }
        do {
            let identity = try await aws.sts.getCallerIdentity().output
            report.account = identity.account
            report.callerArn = identity.arn
        } catch {
            report.problems.append(
                PreflightAdvice.line(
                    for: error, accessKeyId: report.accessKeyId, source: report.credentialSource, role: role))
        }
        return report
    }

    private func check(_ aws: AWS, report: PreflightTargetReport, role: String? = nil, expectedAccount: String? = nil)
        async -> PreflightTargetReport
    {
        var report = await identify(aws, report: report, role: role)
        guard report.callerArn != nil else { return report }
        if let expectedAccount, let account = report.account, account != expectedAccount {
            report.problems.append(
                "The role answered as account \(account), not \(expectedAccount): check the account id and role name.")
        }
        do {
            // Only the caller's partition: its credentials are never valid in another.
            let partition = Partition.of(region: aws.region)?.id
            report.enabledRegions = try await aws.ec2.describeRegions().output.regions
                .filter { $0.optInStatus != "not-opted-in" }.compactMap(\.regionName)
                .filter { Partition.of(region: $0)?.id == partition }.sorted()
        } catch {
            report.probes.append(Self.result(error, service: "ec2", operation: "DescribeRegions", region: aws.region))
        }
        switch options.regions {
        case .home: report.probedRegions = [aws.region]
        case .list(let names): report.probedRegions = names
        case .all: report.probedRegions = report.enabledRegions.isEmpty ? [aws.region] : report.enabledRegions
        }
        if case .list(let names) = options.regions, !report.enabledRegions.isEmpty {
            for name in names where !report.enabledRegions.contains(name) {
                report.problems.append(
                    "Region \(name) is not enabled for account \(report.account ?? "?"): enable it or drop it from --regions."
                )
            }
        }
        report.probes += await PreflightProbes.global(aws)
        let regional = await withTaskGroup(of: (Int, [PreflightProbe]).self) { group in
            for (index, region) in report.probedRegions.enumerated() {
                group.addTask { (index, await PreflightProbes.regional(aws.inRegion(region))) }
            }
            var results: [(Int, [PreflightProbe])] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        report.probes += regional
        if let engine = options.sweep {
            report.probes += await PreflightProbes.sweep(aws, engine: engine)
        }
        return report
    }

    /// The probe result of a failed call.
    static func result(_ error: any Error, service: String, operation: String, region: String?, optional: Bool = false)
        -> PreflightProbe
    {
        var cause = error
        if let clientError = error as? AWSClientError, clientError.code == .retriesExhausted,
            let underlying = clientError.underlying
        {
            cause = underlying
        }
        if let serviceError = cause as? AWSServiceError {
            let status: PreflightProbe.Status = serviceError.isAccessDenied ? .denied : .failed
            let detail = "\(serviceError.code)\(serviceError.message.isEmpty ? "" : ": \(serviceError.message)")"
            return PreflightProbe(
                service: service, operation: operation, region: region, status: status, detail: detail,
                optional: optional)
        }
        return PreflightProbe(
            service: service, operation: operation, region: region, status: .failed,
            detail: PreflightAdvice.line(for: error), optional: optional)
    }
}
