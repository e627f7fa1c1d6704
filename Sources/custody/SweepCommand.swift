import AWSClient
import ArgumentParser
import Collect
import EvidenceArchive
import Foundation

extension Custody {
    struct SweepCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep",
            abstract: "Find a suspect key's events across every account and region at once, and seal them per account.",
            discussion: """
                Asks Athena, over a table of the organization trail's logs, for every event of the window made \
                with a suspect key (or naming it, or from a --source-ip), then follows the access keys those \
                events created (CreateAccessKey) and the sessions they opened (AssumeRole, GetSessionToken, \
                GetFederationToken) until no new key appears (at most --rounds queries). A window is required: \
                --since (and --until, by default now).

                Per account with events (and each --account), it seals the next archive of the account's chain \
                with the queries, their executions as Athena describes them (bytes scanned included), every \
                result page and the result file as Athena wrote it, then the log files that hold the matching \
                events, copied byte for byte with the digest files of their days, under cloudtrail/s3/ as \
                collect --cloudtrail s3 lays them out: custody verify checks CloudTrail's proof, and hunt and \
                report read them like any CloudTrail slice. The coverage says engine, window and queries per \
                region.

                --engine lake --event-data-store ARN asks CloudTrail Lake instead, over an event data store \
                (an organization's holds every account's events), with the same following of keys. Lake has no \
                log files: each archive holds the store as GetEventDataStore describes it, the queries with \
                their statistics (events matched and scanned, bytes scanned, run time) and every result page as \
                received, and the account's events, the JSON Lake returned for each (eventjson), under \
                cloudtrail/lake/REGION/events.jsonl.gz, which hunt and report read like any CloudTrail slice. \
                Give the store's ARN (its region is used), or its id with the profile's region.

                WRITES: running a query is the one write custody makes. Athena stores each result (a CSV and its \
                metadata) at the output location (--athena-output, or the workgroup's), and \
                --athena-create-table creates the table; CloudTrail Lake's StartQuery keeps each query and its \
                result with the event data store. Everything else is read-only. Athena and Lake bill the bytes \
                each query scans (printed, and kept in the archives).

                --json prints Schemas/sweep.schema.json.

                Example: custody sweep --case ./incident-42 --organization --suspect-key AKIAIOSFODNN7EXAMPLE \
                --since 90d --engine athena --athena-table security.org_trail --athena-workgroup primary \
                --athena-output s3://athena-results-111122223333/custody/

                Example: custody sweep --case ./incident-42 --organization --suspect-key AKIAIOSFODNN7EXAMPLE \
                --since 90d --engine lake \
                --event-data-store arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1
                """)

        @Option(name: .long, help: ArgumentHelp("The case folder (created if missing).", valueName: "DIR"))
        var `case`: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The profile that runs the queries and reads the trail's bucket (default: the default credentials).",
                valueName: "P"))
        var profile: String?

        @Flag(name: .long, help: "Sweep every account of the Organization the trail logs.")
        var organization = false

        @Option(
            name: .customLong("account"),
            help: ArgumentHelp(
                "Sweep only this account, and seal an archive for it even without events (repeatable, or comma-separated).",
                valueName: "ID"))
        var account: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp("An access key id to sweep for (repeatable, or comma-separated).", valueName: "KEY"))
        var suspectKey: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Also sweep for events from this address (repeatable, or comma-separated).", valueName: "IP"))
        var sourceIp: [String] = []

        @Option(
            name: .long, help: ArgumentHelp("Start of the window: ISO 8601 or an age such as 90d.", valueName: "TIME"))
        var since: String?

        @Option(
            name: .long, help: ArgumentHelp("End of the window (exclusive): ISO 8601 or an age.", valueName: "TIME"))
        var until: String?

        @Option(name: .long, help: ArgumentHelp("The query engine: athena or lake.", valueName: "ENGINE"))
        var engine: String = "athena"

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --engine lake: the CloudTrail Lake event data store to query, its ARN or id.", valueName: "ARN"))
        var eventDataStore: String?

        @Option(
            name: .long,
            help: ArgumentHelp("The Athena table of the trail's logs: TABLE or DATABASE.TABLE.", valueName: "T"))
        var athenaTable: String?

        @Option(name: .long, help: ArgumentHelp("The Athena workgroup.", valueName: "W"))
        var athenaWorkgroup: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Where Athena writes query results (the one write), s3://BUCKET/PREFIX/.", valueName: "S3_URI"))
        var athenaOutput: String?

        @Option(name: .long, help: ArgumentHelp("The region Athena runs in (default: the profile's).", valueName: "R"))
        var athenaRegion: String?

        @Flag(
            name: .long, help: "Create the table first, with AWS's CloudTrail DDL and partition projection (a write).")
        var athenaCreateTable = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --athena-create-table: the logs' location, s3://BUCKET/[PREFIX/]AWSLogs/ORG_ID/.",
                valueName: "S3_URI"))
        var trailBucket: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --athena-create-table: the regions the table covers, comma-separated.", valueName: "LIST"))
        var regions: String?

        @Option(name: .long, help: "The most queries: rounds of following created keys.")
        var rounds: Int = SweepRound.defaultLimit

        @Option(
            name: .long, help: ArgumentHelp("Sign with this private key instead of the case key.", valueName: "FILE"))
        var signKey: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Send every call to this endpoint (a local lab, a proxy).", valueName: "URL"))
        var endpointUrl: String?

        @OptionGroup var output: JSONOutput

        static func list(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }

        var accounts: [String] { Self.list(account) }

        func validate() throws {
            guard ["athena", "lake"].contains(engine) else {
                throw ValidationError("--engine '\(engine)' is not an engine: give athena or lake.")
            }
            guard organization != !accounts.isEmpty else {
                throw ValidationError("Give either --organization or --account: which accounts to sweep.")
            }
            guard !Self.list(suspectKey).isEmpty else {
                throw ValidationError("--suspect-key is required: the access key id to sweep for.")
            }
            guard since != nil else {
                throw ValidationError(
                    "--since is required: a sweep without a time bound would scan every log the trail ever delivered.")
            }
            guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 20.") }
            if engine == "lake" {
                try validateLake()
            } else {
                try validateAthena()
            }
        }

        func validateLake() throws {
            guard let eventDataStore else {
                throw ValidationError(
                    "--event-data-store is required with --engine lake: the ARN (or id) of the event data store to query."
                )
            }
            do {
                _ = try LakeSweepQuery.id(of: eventDataStore)
            } catch {
                throw ValidationError(String(describing: error))
            }
            let athena = [
                ("--athena-table", athenaTable != nil), ("--athena-workgroup", athenaWorkgroup != nil),
                ("--athena-output", athenaOutput != nil), ("--athena-region", athenaRegion != nil),
                ("--athena-create-table", athenaCreateTable), ("--trail-bucket", trailBucket != nil),
                ("--regions", regions != nil),
            ]
            if let (name, _) = athena.first(where: { $0.1 }) {
                throw ValidationError("\(name) goes with --engine athena, not lake.")
            }
        }

        func validateAthena() throws {
            if eventDataStore != nil { throw ValidationError("--event-data-store goes with --engine lake.") }
            guard athenaTable != nil else { throw ValidationError("--athena-table is required with --engine athena.") }
            if athenaOutput == nil && athenaWorkgroup == nil {
                throw ValidationError(
                    "Give --athena-output or --athena-workgroup: where Athena writes the results (the one write).")
            }
            if let athenaOutput, !athenaOutput.hasPrefix("s3://") {
                throw ValidationError("--athena-output '\(athenaOutput)' is not an s3:// location.")
            }
            if athenaCreateTable && (trailBucket == nil || regions == nil) {
                throw ValidationError(
                    "--athena-create-table needs --trail-bucket s3://BUCKET/[PREFIX/]AWSLogs/ORG_ID/ and --regions.")
            }
            if !athenaCreateTable && (trailBucket != nil || regions != nil) {
                throw ValidationError("--trail-bucket and --regions go with --athena-create-table.")
            }
        }

        func run() async throws {
            let now = try ReproducibleClock.now()
            let from = try TimeArgument.parse(since!, option: "--since", now: now)
            let to = try until.map { try TimeArgument.parse($0, option: "--until", now: now) } ?? now
            let terms = try SweepTerms(
                keys: Self.list(suspectKey), sourceIPs: Self.list(sourceIp), accounts: accounts, from: from, to: to)
            var configuration = AWSConfiguration(profile: profile, endpointURL: endpointUrl)
            configuration.userAgent = "custody/\(Custody.version) sweep"
            let base = try AWS(configuration)
            let caseFolder = CaseFolder(root: `case`)
            let key = try SigningKeyChoice.load(signKey: signKey, caseFolder: caseFolder)
            let summary: SweepSummary
            if engine == "lake" {
                let aws = LakeSweepQuery.region(of: eventDataStore!).map { base.inRegion($0) } ?? base
                var sweep = LakeSweep(
                    runner: LakeQueryRunner(aws: aws), eventDataStore: eventDataStore!, accounts: accounts,
                    caseFolder: caseFolder, signingKey: key, collector: try await collector(aws))
                sweep.roundLimit = rounds
                sweep.now = { (try? ReproducibleClock.now()) ?? Date() }
                summary = SweepSummary(try await sweep.run(terms))
            } else {
                let aws = athenaRegion.map { base.inRegion($0) } ?? base
                var sweep = AthenaSweep(
                    runner: AthenaQueryRunner(aws: aws, workGroup: athenaWorkgroup, outputLocation: athenaOutput),
                    bucketAWS: aws, table: athenaTable!, createTable: try await tableStatement(aws, from: from),
                    accounts: accounts, caseFolder: caseFolder, signingKey: key, collector: try await collector(aws))
                sweep.roundLimit = rounds
                sweep.now = { (try? ReproducibleClock.now()) ?? Date() }
                summary = SweepSummary(try await sweep.run(terms))
            }
            if output.isJSON {
                try JSONOutput.print(summary)
            } else {
                summary.printText()
            }
            if !summary.problems.isEmpty { throw ExitCode(3) }
        }

        /// Who runs the sweep, for the manifests.
        func collector(_ aws: AWS) async throws -> Manifest.Collector {
            let identity = try await aws.sts.getCallerIdentity().output
            return Manifest.Collector(
                version: Custody.version, callerArn: identity.arn,
                accessKeyId: try? await aws.credentials().credentials.accessKeyId)
        }

        /// With --athena-create-table, the table statement: the accounts of --account, or of the Organization.
        func tableStatement(_ aws: AWS, from: Date) async throws -> AthenaCloudTrailTable? {
            guard athenaCreateTable else { return nil }
            var covered = accounts
            if organization {
                covered = try await aws.organizations.listAccounts().allItems { $0.accounts }.compactMap(\.id)
            }
            return try AthenaCloudTrailTable(
                table: athenaTable!, location: trailBucket!, accounts: covered,
                regions: regions!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, since: from)
        }
    }
}
