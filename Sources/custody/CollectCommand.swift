import AWSClient
import ArgumentParser
import Collect
import CustodyCrypto
import CustodyJSON
import EvidenceArchive
import Foundation

extension Custody {
    struct CollectCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collect",
            abstract: "Snapshot accounts and their CloudTrail, read-only, into each account's sealed chain.",
            discussion: """
                For each target account: IAM (users, access keys and their last use, console passwords, MFA, \
                groups, policies, roles and trust policies, instance profiles, identity providers, the \
                credential report), every region's EC2 instances, VPC endpoints, security groups and key \
                pairs, trails and GuardDuty detectors, and a slice of CloudTrail. Every response is kept as \
                received under raw/. Each account becomes the next archive of CASE/ACCOUNT_ID/.

                Targets: --profile (repeatable), or --account with --role-name (the role is assumed in each \
                account with your credentials), or --organization with --role-name (every active account). \
                Without any of them, the account of the default credentials, found as the AWS CLI finds them: \
                AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), AWS_PROFILE or the \
                default profile, then container and instance-role credentials (CloudShell, an instance role).
                Profiles may use IAM Identity Center (after aws sso login) or a role with mfa_serial (the \
                code from --mfa-code, else asked once on the terminal).

                CloudTrail is read per region, from where that region's last complete window in the chain \
                was settled (otherwise 24 hours back) up to now; --since and --until override it. CloudTrail \
                delivers events late (AWS: about 5 minutes on average, with no guarantee), so a window counts \
                as settled only up to --settle before the collection's start, and the next collection reads \
                that margin again; events held twice count once. A region that fails, is cut short or is \
                left out does not advance, and custody verify names the hole it leaves.

                --cloudtrail s3 copies the trails' log and digest files from their buckets byte for byte, \
                under AWSLogs/ACCOUNT/ and, for an organization trail, AWSLogs/ORG_ID/ACCOUNT/ as well. \
                When the bucket lives in a logging account, --trail-bucket-profile or --trail-bucket-role \
                gives the credentials that read it; everything else is still asked of the collected account.

                Targets and --regions are checked before anything is written: an unusable target or a region \
                that is not enabled leaves no archive and no case key behind.

                Exit codes: 0 complete, 3 sealed with gaps (denied or failed calls are listed in the \
                manifest's coverage), 1 nothing sealed, 2 usage.

                --json prints Schemas/collect.schema.json.

                Example: custody collect --case ./incident-42 --profile prod --profile staging --regions all
                """)

        @Option(name: .long, help: ArgumentHelp("The case folder (created if missing).", valueName: "DIR"))
        var `case`: String

        @Option(
            name: .long,
            help: ArgumentHelp("A profile of the AWS config files to collect (repeatable).", valueName: "P"))
        var profile: [String] = []

        @OptionGroup var accounts: AccountList

        @Flag(name: .long, help: "Collect every active account of the Organization (with --role-name).")
        var organization = false

        @Option(name: .long, help: ArgumentHelp("The role to assume in each account.", valueName: "R"))
        var roleName: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Comma-separated regions, or 'all' for every enabled region.", valueName: "LIST|all"))
        var regions: String = "all"

        @Option(
            name: .long,
            help: ArgumentHelp("Where the CloudTrail slice comes from: lookup, s3 or none.", valueName: "SOURCE"))
        var cloudtrail: String = "lookup"

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --cloudtrail s3, read the trails' buckets with this profile (a logging account's).",
                valueName: "P"))
        var trailBucketProfile: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --cloudtrail s3, read the trails' buckets as this role, assumed with each account's credentials.",
                valueName: "ARN"))
        var trailBucketRole: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Start of the CloudTrail window: ISO 8601 or an age such as 6h.", valueName: "TIME"))
        var since: String?

        @Option(
            name: .long,
            help: ArgumentHelp("End of the CloudTrail window (exclusive): ISO 8601 or an age.", valueName: "TIME"))
        var until: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "How long CloudTrail is given to deliver late events: the window is settled only this long before the collection's start (default 15m).",
                valueName: "AGE"))
        var settle: String = "15m"

        @Option(
            name: .long, help: ArgumentHelp("Sign with this private key instead of the case key.", valueName: "FILE"))
        var signKey: String?

        @Option(name: .long, help: "How many accounts, and calls within one, run at once.")
        var concurrency: Int = 4

        @Option(
            name: .long,
            help: ArgumentHelp("Send every call to this endpoint (a local lab, a proxy).", valueName: "URL"))
        var endpointUrl: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The code of the MFA device a profile's role asks for (mfa_serial); without it, asked on the terminal.",
                valueName: "CODE"))
        var mfaCode: String?

        @Flag(name: .long, help: "Print nothing but problems.")
        var quiet = false

        @OptionGroup var output: JSONOutput

        func validate() throws {
            if !accounts.isGiven && !organization && roleName != nil {
                throw ValidationError("--role-name goes with --account or --organization.")
            }
            if accounts.isGiven && organization {
                throw ValidationError("Use either --account or --organization, not both.")
            }
            if (accounts.isGiven || organization) && roleName == nil {
                throw ValidationError(
                    "--account and --organization need --role-name: the role to assume in each account.")
            }
            if (accounts.isGiven || organization) && profile.count > 1 {
                throw ValidationError(
                    "With --account or --organization, give at most one --profile: the credentials that assume the role."
                )
            }
            guard CollectOptions.CloudTrailSource(rawValue: cloudtrail) != nil else {
                throw ValidationError("--cloudtrail '\(cloudtrail)' is not one of lookup, s3, none.")
            }
            if trailBucketProfile != nil && trailBucketRole != nil {
                throw ValidationError("Use either --trail-bucket-profile or --trail-bucket-role, not both.")
            }
            if (trailBucketProfile != nil || trailBucketRole != nil) && cloudtrail != "s3" {
                throw ValidationError("--trail-bucket-profile and --trail-bucket-role go with --cloudtrail s3.")
            }
            if let trailBucketRole, !trailBucketRole.hasPrefix("arn:") || !trailBucketRole.contains(":role/") {
                throw ValidationError(
                    "--trail-bucket-role '\(trailBucketRole)' is not a role ARN: give arn:aws:iam::ACCOUNT:role/NAME.")
            }
            guard concurrency >= 1 && concurrency <= 64 else {
                throw ValidationError("--concurrency must be between 1 and 64.")
            }
            if let names = regionList {
                if names.isEmpty {
                    throw ValidationError("--regions names no region: give a comma-separated list, or all.")
                }
                if let problem = RegionCheck.unknownNames(names).first {
                    throw ValidationError("--regions: \(problem)")
                }
            }
            if let mfaCode, !MFACodeSource.isCode(mfaCode) {
                throw ValidationError("--mfa-code is the 6 digits the MFA device shows.")
            }
            guard Self.settleSeconds(settle) != nil else {
                throw ValidationError("--settle '\(settle)' is not a duration: give one such as 15m, 900s or 0.")
            }
        }

        /// The regions named, or `nil` for all.
        private var regionList: [String]? {
            regions == "all"
                ? nil
                : regions.split(separator: ",", omittingEmptySubsequences: true).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
        }

        /// A duration such as `15m`, `900s`, `1h` or `0`, in seconds.
        static func settleSeconds(_ text: String) -> TimeInterval? {
            if text == "0" { return 0 }
            let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600]
            guard let unit = text.last, let scale = units[unit], let amount = Double(text.dropLast()), amount >= 0,
                amount.isFinite, amount * scale <= 7 * 86400
            else { return nil }
            return amount * scale
        }

        func run() async throws {
            let source = CollectOptions.CloudTrailSource(rawValue: cloudtrail)!
            let now = try ReproducibleClock.now()
            var options = CollectOptions(
                regions: regionList.map { .list($0) } ?? .all,
                cloudTrail: source, since: try since.map { try TimeArgument.parse($0, option: "--since", now: now) },
                until: try until.map { try TimeArgument.parse($0, option: "--until", now: now) },
                settle: Self.settleSeconds(settle)!, concurrency: concurrency)
            options.trailBucket = try trailBucketAccess()
            if let from = options.since, let to = options.until, from >= to {
                throw CommandFailure("--since must be before --until.")
            }
            let display = ProgressDisplay(quiet: quiet || output.isJSON)
            let work = Task { try await identifyAndCollect(options: options, display: display) }
            let interrupt = InterruptHandler { work.cancel() }
            let result = await work.result
            interrupt.stop()
            display.finish()
            let outcomes = try result.get()
            try report(outcomes, interrupted: work.isCancelled)
            if outcomes.allSatisfy({ $0.sealed == nil }) { throw ExitCode(1) }
            if !outcomes.allSatisfy(\.isComplete) { throw ExitCode(3) }
        }

        /// Identifies the targets and checks the regions before anything is written to the case
        /// folder, then collects the targets that can act.
        private func identifyAndCollect(options: CollectOptions, display: ProgressDisplay) async throws
            -> [AccountOutcome]
        {
            let identified = await CaseCollector.identify(try await resolveTargets(), concurrency: concurrency)
            let usable = identified.compactMap { try? $0.get() }
            let unusable = identified.compactMap { result -> AccountOutcome? in
                if case .failure(let failure) = result { return failure.outcome }
                return nil
            }
            guard !usable.isEmpty, !Task.isCancelled else { return unusable }
            if let names = regionList {
                let problems = await RegionCheck.problems(names, targets: usable)
                if !problems.isEmpty {
                    throw CommandFailure("--regions: " + problems.joined(separator: " ") + " Nothing was collected.")
                }
            }
            let caseFolder = CaseFolder(root: `case`)
            let key = try SigningKeyChoice.load(signKey: signKey, caseFolder: caseFolder)
            let collector = CaseCollector(
                caseFolder: caseFolder, signingKey: key, options: options, toolVersion: Custody.version,
                now: { (try? ReproducibleClock.now()) ?? Date() })
            return unusable + (await collector.collect(usable, progress: display.handle))
        }

        /// Whose credentials read the trails' buckets.
        private func trailBucketAccess() throws -> TrailBucketAccess {
            if let trailBucketRole { return .role(arn: trailBucketRole) }
            guard let trailBucketProfile else { return .collection }
            var configuration = AWSConfiguration(endpointURL: endpointUrl)
            configuration.userAgent = "custody/\(Custody.version) collect"
            configuration.profile = trailBucketProfile
            return .client(try AWS(configuration))
        }

        private func resolveTargets() async throws -> [CollectionTarget] {
            var configuration = AWSConfiguration(
                endpointURL: endpointUrl, mfaTokenCode: MFACodeSource(code: mfaCode).callback)
            configuration.userAgent = "custody/\(Custody.version) collect"
            if accounts.isGiven, let roleName {
                var base = configuration
                base.profile = profile.first
                return CollectionTarget.accounts(accounts.ids, roleName: roleName, base: try AWS(base))
            }
            if organization, let roleName {
                var base = configuration
                base.profile = profile.first
                return try await CollectionTarget.organization(roleName: roleName, base: try AWS(base))
            }
            if profile.isEmpty { return [try CollectionTarget.defaultCredentials(configuration: configuration)] }
            return try CollectionTarget.profiles(profile, configuration: configuration)
        }

        private func report(_ outcomes: [AccountOutcome], interrupted: Bool) throws {
            if output.isJSON {
                try JSONOutput.print(CollectionSummary(outcomes, interrupted: interrupted))
                return
            }
            for outcome in outcomes {
                if let sealed = outcome.sealed {
                    let state = outcome.isComplete ? "complete" : "sealed with \(outcome.coverageGaps.count) gap(s)"
                    Console.print("\(sealed.archivePath)")
                    Console.print(
                        "  \(outcome.account ?? "?") \(state): \(outcome.callCount) call(s), \(outcome.eventCount) CloudTrail event(s); manifest sha256 \(sealed.manifestSHA256)"
                    )
                    for gap in outcome.coverageGaps where !quiet {
                        Console.print(
                            "  gap: \(gap.source)\(gap.region.map { " " + $0 } ?? "") \(gap.item) \(gap.status)\(gap.error.map { ": " + $0 } ?? "")"
                        )
                    }
                } else {
                    Console.error("\(outcome.target): nothing sealed: \(outcome.error ?? "unknown error")")
                }
            }
            if interrupted && outcomes.allSatisfy({ $0.sealed == nil }) {
                Console.error("interrupted before anything was collected: nothing was written; run collect again.")
            } else if interrupted {
                Console.error(
                    "interrupted: what was collected is sealed and marked incomplete in its coverage; run collect again for a complete snapshot."
                )
            }
        }
    }
}

/// Cancels a running collection on SIGINT instead of killing the process, so what was collected is still sealed.
final class InterruptHandler: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            FileHandle.standardError.write(Data("\ninterrupt: stopping, sealing what was collected…\n".utf8))
            onInterrupt()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
