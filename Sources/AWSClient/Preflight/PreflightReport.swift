public import Foundation

/// The outcome of one permission probe: one read call the collectors make, tried once.
public struct PreflightProbe: Codable, Hashable, Sendable {
    /// How the call went.
    public enum Status: String, Codable, Hashable, Sendable {
        /// The call was allowed (an answer such as "no credential report yet" counts: the permission is there).
        case ok
        /// AWS refused it for lack of permission.
        case denied
        /// It failed otherwise (throttled to the end, a server error, unreachable).
        case failed
        /// Not tried: it needs something the account does not have (no trail, no detector, no user).
        case skipped
    }

    /// The service, such as `iam`.
    public var service: String
    /// The operation, such as `ListUsers`.
    public var operation: String
    /// The region, for regional services.
    public var region: String?
    /// How it went.
    public var status: Status
    /// The AWS error code and message, or why it was skipped.
    public var detail: String?
    /// Whether collection can do without it (it lowers no readiness).
    public var optional: Bool

    /// Makes a probe result.
    public init(
        service: String, operation: String, region: String? = nil, status: Status, detail: String? = nil,
        optional: Bool = false
    ) {
        self.service = service
        self.operation = operation
        self.region = region
        self.status = status
        self.detail = detail
        self.optional = optional
    }
}

/// What preflight found for one target.
public struct PreflightTargetReport: Codable, Hashable, Sendable {
    /// How the target was named: `profile prod`, `account 222233334444 as role Responder`, `default credentials`.
    public var target: String
    /// The provider that answered, such as `shared-credentials-file (profile prod)`.
    public var credentialSource: String?
    /// The access key id used (never the secret).
    public var accessKeyId: String?
    /// The account the credentials act in.
    public var account: String?
    /// The caller's ARN.
    public var callerArn: String?
    /// The role assumed for this target, if any.
    public var roleAssumed: String?
    /// The regions enabled for the account (`DescribeRegions`).
    public var enabledRegions: [String]
    /// The regions probed.
    public var probedRegions: [String]
    /// Every probe, in order.
    public var probes: [PreflightProbe]
    /// One line per thing to fix.
    public var problems: [String]

    /// Makes an empty report for `target`.
    public init(target: String) {
        self.target = target
        enabledRegions = []
        probedRegions = []
        probes = []
        problems = []
    }

    /// Whether the target is ready: credentials work, the role (if any) was assumed, and no required probe was
    /// denied or failed.
    public var ready: Bool {
        problems.isEmpty && callerArn != nil
            && !probes.contains { !$0.optional && ($0.status == .denied || $0.status == .failed) }
    }

    enum CodingKeys: String, CodingKey {
        case target, credentialSource, accessKeyId, account, callerArn, roleAssumed, enabledRegions, probedRegions
        case probes, problems, ready
    }

    /// Decodes a report.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        target = try container.decode(String.self, forKey: .target)
        credentialSource = try container.decodeIfPresent(String.self, forKey: .credentialSource)
        accessKeyId = try container.decodeIfPresent(String.self, forKey: .accessKeyId)
        account = try container.decodeIfPresent(String.self, forKey: .account)
        callerArn = try container.decodeIfPresent(String.self, forKey: .callerArn)
        roleAssumed = try container.decodeIfPresent(String.self, forKey: .roleAssumed)
        enabledRegions = try container.decode([String].self, forKey: .enabledRegions)
        probedRegions = try container.decode([String].self, forKey: .probedRegions)
        probes = try container.decode([PreflightProbe].self, forKey: .probes)
        problems = try container.decode([String].self, forKey: .problems)
    }

    /// Encodes the report with its readiness.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encodeIfPresent(credentialSource, forKey: .credentialSource)
        try container.encodeIfPresent(accessKeyId, forKey: .accessKeyId)
        try container.encodeIfPresent(account, forKey: .account)
        try container.encodeIfPresent(callerArn, forKey: .callerArn)
        try container.encodeIfPresent(roleAssumed, forKey: .roleAssumed)
        try container.encode(enabledRegions, forKey: .enabledRegions)
        try container.encode(probedRegions, forKey: .probedRegions)
        try container.encode(probes, forKey: .probes)
        try container.encode(problems, forKey: .problems)
        try container.encode(ready, forKey: .ready)
    }
}

/// What preflight found for every target, and the exit code it implies.
public struct PreflightReport: Codable, Hashable, Sendable {
    /// One report per target, in the order named.
    public var targets: [PreflightTargetReport]
    /// The writes the checked command would make (`custody sweep`'s query); empty for collect, which makes none.
    public var writes: [String]

    /// Makes a report.
    public init(targets: [PreflightTargetReport], writes: [String] = []) {
        self.targets = targets
        self.writes = writes
    }

    /// Whether every target is ready.
    public var ready: Bool { !targets.isEmpty && targets.allSatisfy(\.ready) }

    /// 0 when every target is ready, 1 when any lacks something.
    public var exitCode: Int32 { ready ? 0 : 1 }

    /// The report as indented JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The report for a person: per target, the credentials, caller, role, regions, every probe that was not
    /// ok, and what to fix.
    public func render(into output: inout some TextOutputStream) {
        for report in targets {
            output.write("\(report.target): \(report.ready ? "ready" : "NOT READY")\n")
            if let source = report.credentialSource {
                output.write("  credentials  \(source)\(report.accessKeyId.map { ", access key \($0)" } ?? "")\n")
            }
            if let arn = report.callerArn {
                output.write("  caller       \(arn)\(report.account.map { " (account \($0))" } ?? "")\n")
            }
            if let role = report.roleAssumed { output.write("  role         \(role)\n") }
            if !report.enabledRegions.isEmpty {
                output.write(
                    "  regions      \(report.enabledRegions.count) enabled: \(report.enabledRegions.joined(separator: ", "))\n"
                )
            }
            if !report.probedRegions.isEmpty {
                output.write("  probed in    \(report.probedRegions.joined(separator: ", "))\n")
            }
            if !report.probes.isEmpty {
                let count = { (status: PreflightProbe.Status) in report.probes.filter { $0.status == status }.count }
                output.write(
                    "  permissions  \(count(.ok)) ok, \(count(.denied)) denied, \(count(.failed)) failed, "
                        + "\(count(.skipped)) skipped\n")
            }
            for probe in report.probes where probe.status == .denied || probe.status == .failed {
                let place = probe.region.map { " in \($0)" } ?? ""
                let label = probe.status == .denied ? "AccessDenied" : "failed"
                let note = probe.optional ? " (optional)" : ""
                output.write(
                    "    \(label)\(note)  \(probe.service):\(probe.operation)\(place): \(probe.detail ?? "")\n")
            }
            for problem in report.problems { output.write("  fix: \(problem)\n") }
        }
        for write in writes { output.write("writes: \(write)\n") }
        let readyCount = targets.filter(\.ready).count
        output.write("\(readyCount) of \(targets.count) target\(targets.count == 1 ? "" : "s") ready.\n")
    }
}
