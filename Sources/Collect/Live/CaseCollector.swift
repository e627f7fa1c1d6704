public import AWSClient
public import CustodyCrypto
import Evidence
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

    /// Collects every target, `options.concurrency` accounts at a time.
    public func collect(
        _ targets: [CollectionTarget], progress: @escaping @Sendable (ProgressSink.Event) -> Void
    ) async -> [AccountOutcome] {
        await boundedMap(targets, limit: options.concurrency) { target in
            await collect(target, progress: ProgressSink(account: target.label, handler: progress))
        }
    }

    private func collect(_ target: CollectionTarget, progress: ProgressSink) async -> AccountOutcome {
        var outcome = AccountOutcome(
            target: target.label, coverageGaps: [], callCount: 0, eventCount: 0, interrupted: false)
        let startedAt = now()
        let identity: CallerIdentity
        do {
            let caller = try await target.aws.sts.getCallerIdentity().output
            identity = CallerIdentity(arn: caller.arn ?? "", userId: caller.userId ?? "", account: caller.account ?? "")
        } catch {
            outcome.error =
                Task.isCancelled
                ? "interrupted before \(target.label) was identified; nothing was collected"
                : "cannot act in \(target.label): \(error)"
            progress.problem(outcome.error!)
            return outcome
        }
        outcome.account = identity.account
        let progress = progress.forAccount(identity.account)
        if let expected = target.expectedAccount, expected != identity.account {
            outcome.error = "\(target.label) reached account \(identity.account), not \(expected); nothing was collected"
            progress.problem(outcome.error!)
            return outcome
        }
        do {
            let previous = try caseFolder.newestManifest(account: identity.account)
            let previousEnd = previous?.manifest.cloudTrailWindow.flatMap { Timestamp.parse($0.to) }
            let staging = try caseFolder.makeStagingFolder(account: identity.account, time: startedAt)
            let collector = AccountCollector(
                aws: target.aws, options: options, staging: staging, progress: progress, startedAt: startedAt,
                previousWindowEnd: previousEnd, now: now)
            let collection = try await collector.collect(identity: identity)
            var coverage = collection.coverage
            if Task.isCancelled {
                outcome.interrupted = true
                coverage.append(
                    Manifest.CoverageEntry(
                        source: "custody", item: "collection", status: "failed",
                        error: "interrupted before the collection finished; what is here is incomplete"))
            }
            progress.phase("sealing")
            let request = SealRequest(
                account: identity.account, kind: Collection.evidenceKind, members: collection.members,
                collector: Manifest.Collector(
                    version: toolVersion, callerArn: identity.arn, accessKeyId: collection.accessKeyId),
                startedAt: startedAt, finishedAt: now(), cloudTrailWindow: collection.window, regions: collection.regions,
                coverage: coverage)
            outcome.sealed = try Sealer(caseFolder: caseFolder, signingKey: signingKey).seal(request)
            outcome.coverageGaps = coverage.filter { $0.status != "complete" }
            outcome.callCount = collection.callCount
            outcome.eventCount = collection.eventCount
            try? FileManager.default.removeItem(atPath: staging)
        } catch {
            outcome.error = "collecting \(identity.account) failed: \(error)"
            progress.problem(outcome.error!)
        }
        return outcome
    }
}
