import AWSClient
import CustodyJSON
import Evidence
import EvidenceArchive
import Foundation

/// Everything gathered of one account, ready to seal.
struct AccountCollection: Sendable {
    var snapshot: Snapshot
    var members: [SealMember]
    var coverage: [Manifest.CoverageEntry]
    var window: Manifest.TimeWindow?
    var windows: [Manifest.CloudTrailWindow]?
    var regions: [String]
    var callCount: Int
    var eventCount: Int
    var accessKeyId: String?
}

/// Collects one account, read-only: identity, regions, IAM, every region's resources, trails and
/// their status, and the CloudTrail slice. Failures become coverage; only a target whose
/// identity cannot be established at all is an error.
struct AccountCollector: Sendable {
    let aws: AWS
    let options: CollectOptions
    let staging: String
    let progress: ProgressSink
    let startedAt: Date
    /// Per region, where its last complete CloudTrail window in the chain was settled.
    let resumePoints: [String: Date]
    /// The collector's clock, for the times recorded in `raw/index.jsonl`.
    var now: @Sendable () -> Date = { Date() }

    func collect(identity: CallerIdentity) async throws -> AccountCollection {
        let store = RawResponseStore(folder: staging, now: now)
        let coverage = CoverageLedger()
        let recorder = CallRecorder(store: store, coverage: coverage, progress: progress)
        await coverage.succeeded("sts", nil, "GetCallerIdentity")
        let accessKeyId = try? await aws.credentials().credentials.accessKeyId

        progress.phase("regions")
        let described = await recorder.call("ec2", aws.region, "DescribeRegions") {
            try await aws.ec2.describeRegions()
        }
        // Only the client's partition: credentials of one partition are never valid in another.
        let partition = CollectionTarget.partition(of: aws.region)
        let enabled = (described?.regions ?? []).filter { $0.optInStatus != "not-opted-in" }.compactMap(\.regionName)
            .filter { CollectionTarget.partition(of: $0) == partition }.sorted()
        let regions: [String]
        switch options.regions {
        case .all: regions = enabled.isEmpty ? [aws.region] : enabled
        case .list(let list): regions = list
        }

        let organization = await recorder.call(
            "organizations", nil, "DescribeOrganization", absentCodes: ["AWSOrganizationsNotInUseException"]
        ) { try await aws.organizations.describeOrganization() }

        progress.phase("IAM and \(regions.count) region(s)")
        async let iamResult = IAMCollector(aws: aws, recorder: recorder, concurrency: options.concurrency).collect()
        let regional = await collectRegions(regions, recorder: recorder)
        let iam = await iamResult

        progress.phase("trails")
        let trails = await trailDetails(regional.flatMap(\.trails), recorder: recorder)

        var snapshot = Snapshot(
            account: AccountInfo(
                accountId: identity.account, alias: iam.alias,
                organization: organization?.organization.map {
                    OrganizationMembership(
                        id: $0.id ?? "", arn: $0.arn, managementAccountId: $0.masterAccountId,
                        managementAccountEmail: $0.masterAccountEmail)
                },
                enabledRegions: enabled, collectedRegions: regions, callerIdentity: identity),
            users: iam.users, roles: iam.roles, groups: iam.groups, policies: iam.policies,
            instanceProfiles: iam.instanceProfiles, identityProviders: iam.identityProviders,
            credentialReport: iam.credentialReport, trails: trails)
        for result in regional {
            snapshot.instances += result.instances
            snapshot.vpcEndpoints += result.vpcEndpoints
            snapshot.securityGroups += result.securityGroups
            snapshot.keyPairs += result.keyPairs
            snapshot.detectors += result.detectors
        }

        var windows: [Manifest.CloudTrailWindow]?
        var eventCount = 0
        var cloudTrailMembers: [SealMember] = []
        let plans = Dictionary(
            uniqueKeysWithValues: regions.map {
                ($0, CloudTrailWindowPlan(options: options, resume: resumePoints[$0], startedAt: startedAt))
            })
        if options.cloudTrail == .lookup {
            progress.phase("CloudTrail")
            let slices = await lookupSlices(plans, recorder: recorder)
            for slice in slices {
                eventCount += slice.count
                cloudTrailMembers.append(
                    SealMember(
                        path: "cloudtrail/\(slice.region)/events.jsonl.gz",
                        source: .bytes(try Gzip.compress(slice.lines))))
            }
            windows = slices.map(\.window)
        } else if options.cloudTrail == .s3 {
            progress.phase("CloudTrail from S3")
            let s3 = CloudTrailS3Collector(
                aws: aws, bucketAWS: options.trailBucket.client(collecting: aws), account: identity.account,
                organizationId: organization?.organization?.id, trails: trails, recorder: recorder,
                coverage: coverage, progress: progress, staging: staging + "/cloudtrail-s3", plans: plans,
                concurrency: options.concurrency)
            cloudTrailMembers = try await s3.collect()
            windows = await s3.windows()
        }
        // Archive order: snapshot, raw responses (LookupEvents pages included), CloudTrail slice.
        let members =
            try SnapshotLayout.members(of: snapshot).map { SealMember(path: $0.path, source: .bytes($0.bytes)) }
            + (try await store.members()) + cloudTrailMembers
        return AccountCollection(
            snapshot: snapshot, members: members, coverage: await coverage.entries(),
            window: windows.flatMap(Self.envelope), windows: windows, regions: regions,
            callCount: await store.callCount, eventCount: eventCount, accessKeyId: accessKeyId)
    }

    /// The span of what the windows read, when they read anything.
    static func envelope(_ windows: [Manifest.CloudTrailWindow]) -> Manifest.TimeWindow? {
        let read = windows.filter { $0.since != nil && $0.until != nil }
        guard let from = read.compactMap(\.since).min(), let to = read.compactMap(\.until).max() else { return nil }
        return Manifest.TimeWindow(from: from, to: to)
    }

    private func collectRegions(_ regions: [String], recorder: CallRecorder) async -> [RegionalCollector.Result] {
        await boundedMap(regions, limit: options.concurrency) { region in
            await RegionalCollector(aws: aws.inRegion(region), region: region, recorder: recorder).collect()
        }
    }

    private func lookupSlices(_ plans: [String: CloudTrailWindowPlan], recorder: CallRecorder) async
        -> [(region: String, lines: [UInt8], count: Int, window: Manifest.CloudTrailWindow)]
    {
        // Every region at once: each has its own 2-per-second allowance.
        await boundedMap(plans.keys.sorted(), limit: max(plans.count, 1)) { region in
            let slice = await CloudTrailLookupCollector(
                aws: aws.inRegion(region), region: region, recorder: recorder, progress: progress,
                window: plans[region]!
            ).collect()
            return (region, slice.lines, slice.count, slice.window)
        }
    }

    /// Each trail once, with its status and selectors asked of its home region.
    private func trailDetails(_ found: [AWSClient.CloudTrail.Trail], recorder: CallRecorder) async -> [Evidence.Trail] {
        var seen = Set<String>()
        let unique = found.filter { seen.insert($0.trailARN ?? $0.name ?? "").inserted }
        return await boundedMap(unique, limit: options.concurrency) { trail in
            let home = trail.homeRegion ?? aws.region
            let client = aws.inRegion(home).cloudTrail
            let name = trail.trailARN ?? trail.name ?? ""
            let status = await recorder.call("cloudtrail", home, "GetTrailStatus") {
                try await client.getTrailStatus(name: name)
            }
            let selectors = await recorder.call("cloudtrail", home, "GetEventSelectors") {
                try await client.getEventSelectors(trailName: name)
            }
            return Evidence.Trail(
                name: trail.name ?? "", trailArn: trail.trailARN ?? "", homeRegion: trail.homeRegion,
                s3BucketName: trail.s3BucketName, s3KeyPrefix: trail.s3KeyPrefix,
                isMultiRegionTrail: trail.isMultiRegionTrail ?? false,
                isOrganizationTrail: trail.isOrganizationTrail ?? false,
                logFileValidationEnabled: trail.logFileValidationEnabled ?? false,
                includeGlobalServiceEvents: trail.includeGlobalServiceEvents ?? false, kmsKeyId: trail.kmsKeyId,
                isLogging: status?.isLogging, startLoggingTime: status?.startLoggingTime.map(Timestamp.iso8601),
                stopLoggingTime: status?.stopLoggingTime.map(Timestamp.iso8601),
                latestDeliveryTime: status?.latestDeliveryTime.map(Timestamp.iso8601),
                latestDeliveryError: status?.latestDeliveryError,
                eventSelectors: selectors.flatMap { Self.json($0.eventSelectors) },
                advancedEventSelectors: selectors.flatMap {
                    $0.advancedEventSelectors.isEmpty ? nil : Self.json($0.advancedEventSelectors)
                })
        }
    }

    static func json(_ value: some Encodable) -> JSONValue? {
        guard let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONValue.parse(data)
    }
}

/// Maps `items` with at most `limit` running at once, keeping their order.
func boundedMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ transform: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        func start() {
            guard next < items.count else { return }
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, await transform(item)) }
        }
        for _ in 0..<max(1, limit) { start() }
        while let (index, result) = await group.next() {
            results[index] = result
            start()
        }
        return results.map { $0! }
    }
}
