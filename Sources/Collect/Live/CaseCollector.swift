import AWSClient
public import CustodyCrypto
public import Evidence
public import EvidenceArchive
public import Foundation

/// What became of one target.
public struct AccountOutcome: Sendable {
    /// How the target was named.
    public var target: String
    /// The account id, once known.
    public var account: String?
    /// The archive, when one was sealed.
    public var sealed: SealResult?
    /// Coverage entries that are not complete.
    public var coverageGaps: [Manifest.CoverageEntry]
    /// Why nothing was sealed, when nothing was.
    public var error: String?
    /// API calls made.
    public var callCount: Int
    /// CloudTrail events read.
    public var eventCount: Int
    /// Whether the run was interrupted before this account was complete.
    public var interrupted: Bool

    /// Whether an archive was sealed with nothing missing.
    public var isComplete: Bool { sealed != nil && coverageGaps.isEmpty && !interrupted }
}

/// A target and the identity it acts as.
public struct IdentifiedTarget: Sendable {
    /// The target.
    public var target: CollectionTarget
    /// Who it is in AWS.
    public var identity: CallerIdentity
}

/// Why a target could not be identified, as the outcome to report.
public struct IdentificationFailure: Error, Sendable {
    /// The outcome: nothing sealed, with the reason.
    public var outcome: AccountOutcome
}

/// Collects many accounts at once and seals each into its chain in the case folder.
///
/// Read-only by construction (the client refuses anything but reads). The manifest records the
/// collector's own principal and access key id, so its calls can be told apart from an
/// intruder's. An interrupted run seals what it had, marked incomplete in the coverage, so it can
/// never pass for a complete collection.
public struct CaseCollector: Sendable {
    /// The case folder.
    public var caseFolder: CaseFolder
    /// The key that signs each archive.
    public var signingKey: PrivateKey
    /// What to collect.
    public var options: CollectOptions
    /// The tool's version, for the manifest.
    public var toolVersion: String
    /// The clock.
    public var now: @Sendable () -> Date

    /// Makes a collector.
    public init(
        caseFolder: CaseFolder, signingKey: PrivateKey, options: CollectOptions, toolVersion: String,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.caseFolder = caseFolder
        self.signingKey = signingKey
        self.options = options
        self.toolVersion = toolVersion
        self.now = now
    }

    /// Identifies then collects every target, `options.concurrency` accounts at a time; the outcomes
    /// are in the targets' order.
    public func collect(
        _ targets: [CollectionTarget], progress: @escaping @Sendable (ProgressSink.Event) -> Void
    ) async -> [AccountOutcome] {
        let identified = await Self.identify(targets, concurrency: options.concurrency)
        let collected = await collect(identified.compactMap { try? $0.get() }, progress: progress)
        var next = collected.makeIterator()
        return identified.map { result in
            switch result {
            case .success: next.next()!
            case .failure(let failure): failure.outcome
            }
        }
    }

    /// Collects targets already identified, `options.concurrency` accounts at a time.
    public func collect(
        _ targets: [IdentifiedTarget], progress: @escaping @Sendable (ProgressSink.Event) -> Void
    ) async -> [AccountOutcome] {
        // Once, before accounts seal at the same time: the case id is made only once.
        do {
            _ = try caseFolder.prepare()
        } catch {
            return targets.map {
                AccountOutcome(
                    target: $0.target.label, account: $0.identity.account, coverageGaps: [],
                    error: "the case folder cannot be used: \(error)", callCount: 0, eventCount: 0, interrupted: false)
            }
        }
        return await boundedMap(targets, limit: options.concurrency) { target in
            await collect(target, progress: ProgressSink(account: target.identity.account, handler: progress))
        }
    }

    /// Asks each target who it is (`GetCallerIdentity`), before anything is written: a target that
    /// cannot act, or reaches another account than the one named, fails here with the reason.
    public static func identify(_ targets: [CollectionTarget], concurrency: Int) async
        -> [Result<IdentifiedTarget, IdentificationFailure>]
    {
        await boundedMap(targets, limit: concurrency) { target in
            var outcome = AccountOutcome(
                target: target.label, coverageGaps: [], callCount: 0, eventCount: 0, interrupted: false)
            do {
                let caller = try await target.aws.sts.getCallerIdentity().output
                let identity = CallerIdentity(
                    arn: caller.arn ?? "", userId: caller.userId ?? "", account: caller.account ?? "")
                outcome.account = identity.account
                if let expected = target.expectedAccount, expected != identity.account {
                    outcome.error =
                        "\(target.label) reached account \(identity.account), not \(expected); nothing was collected"
                    return .failure(IdentificationFailure(outcome: outcome))
                }
                return .success(IdentifiedTarget(target: target, identity: identity))
            } catch {
                outcome.error =
                    Task.isCancelled
                    ? "interrupted before \(target.label) was identified; nothing was collected"
                    : "cannot act in \(target.label): \(FailureText.describe(error))"
                return .failure(IdentificationFailure(outcome: outcome))
            }
        }
    }

    private func collect(_ identified: IdentifiedTarget, progress: ProgressSink) async -> AccountOutcome {
        let (target, identity) = (identified.target, identified.identity)
        var outcome = AccountOutcome(
            target: target.label, account: identity.account, coverageGaps: [], callCount: 0, eventCount: 0,
            interrupted: false)
        let startedAt = now()
        do {
            let resumePoints = try caseFolder.cloudTrailResumePoints(account: identity.account)
            let staging = try caseFolder.makeStagingFolder(account: identity.account, time: startedAt)
            let collector = AccountCollector(
                aws: target.aws, options: options, staging: staging, progress: progress, startedAt: startedAt,
                resumePoints: resumePoints, now: now)
            let collection = try await collector.collect(identity: identity)
            var coverage = collection.coverage
            if Task.isCancelled {
                outcome.interrupted = true
                coverage.append(
                    Manifest.CoverageEntry(
                        source: "custody", item: "collection", status: .failed,
                        error: "interrupted before the collection finished; what is here is incomplete"))
            }
            progress.phase("sealing")
            let request = SealRequest(
                account: identity.account, kind: .evidence, members: collection.members,
                collector: Manifest.Collector(
                    version: toolVersion, callerArn: identity.arn, accessKeyId: collection.accessKeyId),
                startedAt: startedAt, finishedAt: now(), cloudTrailWindow: collection.window,
                regions: collection.regions,
                coverage: coverage, cloudTrailWindows: collection.windows)
            outcome.sealed = try Sealer(caseFolder: caseFolder, signingKey: signingKey).seal(request)
            outcome.coverageGaps = coverage.filter { $0.status != .complete }
            outcome.callCount = collection.callCount
            outcome.eventCount = collection.eventCount
            try? FileManager.default.removeItem(atPath: staging)
        } catch {
            outcome.error = "collecting \(identity.account) failed: \(FailureText.describe(error))"
            progress.problem(outcome.error!)
        }
        return outcome
    }
}
