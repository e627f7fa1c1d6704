import AWSClient
import ArgumentParser
import Foundation

extension Custody {
    struct Preflight: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check, before an incident, that every target can be collected.",
            discussion: """
                For each target: which credential provider answered, the caller identity, the role assumed, the \
                enabled regions, and one try of every read call the collectors make (IAM, Organizations, EC2, \
                CloudTrail, GuardDuty, S3 on the trail bucket), with each AccessDenied listed per API. Only \
                read-only calls are sent.

                --sweep athena|lake also tries the read of custody sweep's engine in each target's region (Athena's \
                ListQueryExecutions in --athena-workgroup, CloudTrail Lake's ListEventDataStores) and names the one \
                write a sweep makes: its queries, whose results Athena writes to the output location and Lake keeps \
                with the event data store.

                Targets: each --profile, or the default credentials; with --account and --role-name, each account \
                reached by assuming the role with the first profile's (or the default) credentials. A profile's \
                role with mfa_serial takes the code from --mfa-code, else asks once on the terminal.

                Exit codes: 0 every target is ready, 1 a target lacks something, 2 the command could not run.

                --json prints Schemas/preflight.schema.json.

                Example: custody preflight --profile ir --account 111122223333,222233334444 --role-name Responder
                """)

        @Option(
            name: .long, help: ArgumentHelp("A profile of the AWS config files to check (repeatable).", valueName: "P"))
        var profile: [String] = []

        @OptionGroup var accounts: AccountList

        @Option(name: .long, help: ArgumentHelp("The role to assume in each account.", valueName: "R"))
        var roleName: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Comma-separated regions to probe, or 'all' for every enabled region.", valueName: "LIST|all"))
        var regions: String?

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

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Also check custody sweep with this engine: athena or lake (its one write is named).",
                valueName: "ENGINE"))
        var sweep: String?

        @Option(
            name: .long,
            help: ArgumentHelp("With --sweep athena: the workgroup to check (default primary).", valueName: "W"))
        var athenaWorkgroup: String?

        @OptionGroup var output: JSONOutput

        /// The engine `--sweep` names.
        var sweepEngine: PreflightOptions.SweepEngine? {
            switch sweep {
            case "athena": .athena(workGroup: athenaWorkgroup)
            case "lake": .lake
            default: nil
            }
        }

        func validate() throws {
            if accounts.isGiven && roleName == nil {
                throw ValidationError("--account needs --role-name: the role to assume in each account.")
            }
            if roleName != nil && !accounts.isGiven {
                throw ValidationError("--role-name needs --account: the accounts to assume it in.")
            }
            if let sweep, sweepEngine == nil {
                throw ValidationError("--sweep '\(sweep)' is not an engine: give athena or lake.")
            }
            if athenaWorkgroup != nil && sweep != "athena" {
                throw ValidationError("--athena-workgroup goes with --sweep athena.")
            }
            if let mfaCode, !MFACodeSource.isCode(mfaCode) {
                throw ValidationError("--mfa-code is the 6 digits the MFA device shows.")
            }
            do {
                _ = try PreflightOptions.regions(regions)
                if let endpointUrl {
                    _ = try Endpoint.parse(endpointUrl, signingRegion: "us-east-1", source: "--endpoint-url")
                }
            } catch let error as AWSClientError {
                throw ValidationError(error.explanation)
            }
        }

        func run() async throws {
            let options = PreflightOptions(
                profiles: profile, accounts: accounts.ids, roleName: roleName,
                regions: try PreflightOptions.regions(regions), sweep: sweepEngine)
            let settings = AWSConfiguration(
                endpointURL: endpointUrl,
                retry: RetryPolicy(maxAttempts: 3, attemptTimeout: .seconds(20), totalTimeout: .seconds(60)),
                mfaTokenCode: MFACodeSource(code: mfaCode).callback)
            let report = await PreflightRunner(options: options, configuration: settings).run()
            if output.isJSON {
                try JSONOutput.print(report)
            } else {
                var output = StandardOutput()
                report.render(into: &output)
            }
            if !report.ready { throw ExitCode(report.exitCode) }
        }
    }
}
