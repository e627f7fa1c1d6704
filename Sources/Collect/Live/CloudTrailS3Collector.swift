import AWSClient
import CustodyJSON
import Evidence
import EvidenceArchive
import Foundation

/// Copies a window of CloudTrail from the trails' S3 buckets, byte for byte: the log files and digest files
/// under their original keys, each digest's S3 user metadata (where CloudTrail keeps its signature) and the
/// `ListPublicKeys` output, so that `custody verify` can check CloudTrail's own proof offline.
///
/// Log files are found by listing each day's folder and keeping those whose name-time lies in `[from, to)`,
/// with one file of margin each side (a file covers about five minutes before its name-time); digest files
/// likewise, with one digest before the window (to anchor the chain) and the digests up to the first that ends
/// at or after the last log file kept. Objects are read with `Accept-Encoding: identity`, so the stored gzip
/// bytes are what is sealed. A denied or failed listing or read becomes coverage (`cloudtrail-s3`).
///
/// An organization trail's bucket is read under the account's root of the Organization's layout as well as
/// under the account-trail root (`CloudTrailKeyLayout`), with `bucketAWS`'s credentials: the bucket often
/// lives in a logging account of its own.
struct CloudTrailS3Collector: Sendable {
    let aws: AWS
    /// The client that lists and reads the trails' buckets.
    let bucketAWS: AWS
    let account: String
    /// The account's Organization, when it is known; otherwise an organization trail's bucket is listed
    /// for the Organization folders it holds.
    let organizationId: String?
    let trails: [Evidence.Trail]
    let recorder: CallRecorder
    let coverage: CoverageLedger
    let progress: ProgressSink
    /// Where downloaded log files wait until sealing.
    let staging: String
    /// Per collected region, the window to read.
    let plans: [String: CloudTrailWindowPlan]
    let concurrency: Int

    static let source = "cloudtrail-s3"

    /// One bucket and prefix that trails deliver to.
    struct Destination: Hashable, Sendable {
        var bucket: String
        /// The key prefix, without slashes at either end; empty when none.
        var prefix: String
        /// Where to ask S3 (the trail's home region).
        var region: String
        /// Whether an organization trail delivers here.
        var organization = false
    }

    /// The members of the slice, in name order, public keys last.
    func collect() async throws -> [SealMember] {
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let destinations = destinations()
        var jobs: [(destination: Destination, root: String, region: String)] = []
        for destination in destinations {
            let roots = CloudTrailKeyLayout(prefix: destination.prefix, account: account).roots(
                organizations: destination.organization ? await organizations(destination) : [])
            for root in roots {
                jobs += plans.keys.sorted().map { (destination, root, $0) }
            }
        }
        let parts = await boundedMap(jobs, limit: concurrency) { job in
            await collect(job.destination, root: job.root, region: job.region, plan: plans[job.region]!)
        }
        var members = parts.flatMap { $0 }.sorted { $0.path < $1.path }
        if !destinations.isEmpty {
            members.append(
                SealMember(path: CloudTrailDigestValidator.publicKeysMember, source: .bytes(try await publicKeys())))
        }
        return members
    }

    /// Each bucket and prefix trails deliver to, once; an organization destination when any
    /// organization trail delivers there.
    private func destinations() -> [Destination] { Self.destinations(trails, defaultRegion: aws.region) }

    /// The destinations of `trails`, in trail ARN order; `defaultRegion` for a trail without a home region.
    static func destinations(_ trails: [Evidence.Trail], defaultRegion: String) -> [Destination] {
        var index: [String: Int] = [:]
        var destinations: [Destination] = []
        for trail in trails.sorted(by: { $0.trailArn < $1.trailArn }) {
            guard let bucket = trail.s3BucketName, !bucket.isEmpty else { continue }
            let prefix = (trail.s3KeyPrefix ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if let seen = index["\(bucket)/\(prefix)"] {
                destinations[seen].organization = destinations[seen].organization || trail.isOrganizationTrail
                continue
            }
            index["\(bucket)/\(prefix)"] = destinations.count
            destinations.append(
                Destination(
                    bucket: bucket, prefix: prefix, region: trail.homeRegion ?? defaultRegion,
                    organization: trail.isOrganizationTrail))
        }
        return destinations
    }

    /// The Organization folders to read at an organization trail's destination: the account's
    /// Organization when known, otherwise those the bucket's `AWSLogs/` folder holds.
    private func organizations(_ destination: Destination) async -> [String] {
        if let organizationId { return [organizationId] }
        let layout = CloudTrailKeyLayout(prefix: destination.prefix, account: account)
        let pages = await recorder.pages(
            Self.source, destination.region, "ListObjectsV2 s3://\(destination.bucket)/\(layout.logsFolder)",
            bucketAWS.inRegion(destination.region).s3.listObjectsV2(
                bucket: destination.bucket, prefix: layout.logsFolder, delimiter: "/"))
        let found = pages.flatMap(\.commonPrefixes).compactMap(\.prefix).compactMap(layout.organizationId)
        return Array(Set(found)).sorted()
    }

    /// What was read of each region, once `collect()` has run: complete only when every listing and
    /// copy of the region succeeded; otherwise nothing is claimed, since a missing listing page can
    /// hide any part of the window.
    func windows() async -> [Manifest.CloudTrailWindow] {
        let gaps = await coverage.entries().filter { $0.source == Self.source && $0.status != .complete }
        let delivering = !destinations().isEmpty
        return plans.keys.sorted().map { region in
            let plan = plans[region]!
            guard delivering else {
                return plan.record(
                    source: .s3, region: region, status: .failed, read: nil,
                    error: "no trail of the account delivers to S3")
            }
            let regionGaps = gaps.filter { $0.region == region }
            guard let first = regionGaps.first else {
                return plan.record(
                    source: .s3, region: region, status: .complete, read: (plan.from, plan.to), error: nil)
            }
            let denied = regionGaps.allSatisfy { $0.status == .denied }
            return plan.record(
                source: .s3, region: region, status: denied ? .denied : .failed, read: nil,
                error: "\(first.item): \(first.error ?? first.status.rawValue)")
        }
    }

    /// The log and digest files of one region below one root of a destination.
    private func collect(_ destination: Destination, root: String, region: String, plan: CloudTrailWindowPlan) async
        -> [SealMember]
    {
        let (from, to) = (plan.from, plan.to)
        let s3 = bucketAWS.inRegion(destination.region).s3
        let logFolder = CloudTrailKeyLayout.logFolder(root: root, region: region)
        let digestFolder = CloudTrailKeyLayout.digestFolder(root: root, region: region)
        let logs = await list(
            s3, destination.bucket, folder: logFolder, region: region, plan: plan,
            timeOf: CloudTrailDigestValidator.logFileTime)
        let keptLogs = Self.select(logs, from: from, to: to)
        let lastLog = keptLogs.last?.time ?? to
        let digests = await list(
            s3, destination.bucket, folder: digestFolder, region: region, plan: plan,
            timeOf: CloudTrailDigestValidator.digestFileTime)
        let keptDigests = Self.select(digests, from: from, to: max(to, lastLog.addingTimeInterval(1)))

        var members: [SealMember] = []
        for log in keptLogs {
            if let member = await download(s3, destination.bucket, log.key, region: region, item: "log files") {
                members.append(member)
            }
        }
        for digest in keptDigests {
            members += await downloadDigest(s3, destination.bucket, digest.key, region: region)
        }
        return members
    }

    /// Objects of the day folders around the window, with the time their names carry, oldest first.
    private func list(
        _ s3: S3, _ bucket: String, folder: String, region: String, plan: CloudTrailWindowPlan,
        timeOf: (String) -> Date?
    ) async -> [(key: String, time: Date)] {
        var found: [(key: String, time: Date)] = []
        for day in Self.days(from: plan.from.addingTimeInterval(-3600), to: plan.to.addingTimeInterval(3600)) {
            let pages = await recorder.pages(
                Self.source, region, "ListObjectsV2 s3://\(bucket)/\(folder)",
                s3.listObjectsV2(bucket: bucket, prefix: folder + day + "/"))
            for object in pages.flatMap(\.contents) {
                guard let key = object.key, let time = timeOf(key) else { continue }
                found.append((key, time))
            }
        }
        return found.sorted { ($0.time, $0.key) < ($1.time, $1.key) }
    }

    /// Those in `[from, to)`, plus the last before and the first after.
    static func select(_ sorted: [(key: String, time: Date)], from: Date, to: Date) -> [(key: String, time: Date)] {
        guard let first = sorted.firstIndex(where: { $0.time >= from }) else { return sorted.suffix(1) }
        let end = sorted.firstIndex(where: { $0.time >= to }) ?? sorted.count
        let lower = max(0, first - 1)
        let upper = min(sorted.count, end + 1)
        return Array(sorted[lower..<upper])
    }

    /// `YYYY/MM/DD` of every UTC day from `from` to `to`.
    static func days(from: Date, to: Date) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = calendar.startOfDay(for: from)
        var result: [String] = []
        while day <= to {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            result.append(String(format: "%04d/%02d/%02d", parts.year!, parts.month!, parts.day!))
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return result
    }

    /// The member for `s3://bucket/key`, or `nil` (with coverage) when the key cannot be a member name.
    private func memberName(_ bucket: String, _ key: String, region: String, item: String) async -> String? {
        let name = CloudTrailDigestValidator.member(bucket: bucket, key: key)
        if let problem = MemberName.problem(with: name + CloudTrailDigestValidator.metadataSuffix) {
            await coverage.failed(Self.source, region, item, "s3://\(bucket)/\(key) was not copied: \(problem).")
            progress.problem("cloudtrail-s3 \(region): s3://\(bucket)/\(key) was not copied: \(problem)")
            return nil
        }
        return name
    }

    /// Downloads one log file into staging.
    private func download(_ s3: S3, _ bucket: String, _ key: String, region: String, item: String) async -> SealMember?
    {
        guard let name = await memberName(bucket, key, region: region, item: item) else { return nil }
        let file = URL(fileURLWithPath: staging).appendingPathComponent(UUID().uuidString + ".gz")
        do {
            _ = try await s3.getObject(bucket: bucket, key: key, to: file)
            await coverage.succeeded(Self.source, region, item)
            progress.callCompleted()
            return SealMember(path: name, source: .file(file.path))
        } catch {
            await failed(error, region: region, item: item, what: "s3://\(bucket)/\(key)")
            return nil
        }
    }

    /// Downloads one digest file and writes its metadata beside it.
    private func downloadDigest(_ s3: S3, _ bucket: String, _ key: String, region: String) async -> [SealMember] {
        let item = "digest files"
        guard let name = await memberName(bucket, key, region: region, item: item) else { return [] }
        do {
            let answer = try await s3.getObjectData(bucket: bucket, key: key)
            await coverage.succeeded(Self.source, region, item)
            progress.callCompleted()
            let metadata = DigestMetadata(bucket: bucket, key: key, answer.raw.headers)
            return [
                SealMember(path: name, source: .bytes(Array(answer.output))),
                SealMember(
                    path: name + CloudTrailDigestValidator.metadataSuffix,
                    source: .bytes(try CanonicalJSON.encode(metadata))),
            ]
        } catch {
            await failed(error, region: region, item: item, what: "s3://\(bucket)/\(key)")
            return []
        }
    }

    private func failed(_ error: any Error, region: String, item: String, what: String) async {
        if let service = error as? AWSServiceError {
            let text = "\(what): \(service.code): \(service.message)"
            if service.isAccessDenied {
                await coverage.denied(Self.source, region, item, text)
            } else {
                await coverage.failed(Self.source, region, item, text)
            }
            progress.problem("cloudtrail-s3 \(region): \(text)")
        } else {
            let text = "\(what): \(FailureText.describe(error))"
            await coverage.failed(Self.source, region, item, text)
            progress.problem("cloudtrail-s3 \(region): \(text)")
        }
    }

    /// `ListPublicKeys` of every collected region from the window's start, merged by fingerprint, each key in
    /// the API's own shape.
    private func publicKeys() async throws -> [UInt8] {
        var keys: [String: JSONValue] = [:]
        for region in plans.keys.sorted() {
            let pages = await recorder.responses(
                Self.source, region, "ListPublicKeys",
                aws.inRegion(region).cloudTrail.listPublicKeys(startTime: plans[region]!.from.addingTimeInterval(-3600))
            )
            for page in pages {
                for item in (try? JSONValue.parse(page.raw.body))?["PublicKeyList"]?.arrayValue ?? [] {
                    guard let fingerprint = item["Fingerprint"]?.stringValue else { continue }
                    keys[fingerprint] = item
                }
            }
        }
        let list = keys.keys.sorted().map { keys[$0]! }
        return try CanonicalJSON.encode(JSONValue.object(["PublicKeyList": .array(list)]))
    }
}

/// A digest file's S3 metadata as sealed beside it: CloudTrail's signature is `metadata.signature`.
struct DigestMetadata: Codable, Sendable {
    /// The bucket.
    var bucket: String
    /// The key.
    var key: String
    /// User metadata (`x-amz-meta-*`), names lowercased without the prefix.
    var metadata: [String: String]
    /// The stored `Content-Encoding`.
    var contentEncoding: String?
    /// `Content-Type`.
    var contentType: String?
    /// The entity tag.
    var eTag: String?
    /// `Last-Modified`, as S3 sent it.
    var lastModified: String?
    /// The version id on versioned buckets.
    var versionId: String?

    init(bucket: String, key: String, _ headers: HTTPHeaders) {
        let parsed = S3.ObjectMetadata(headers: headers)
        self.bucket = bucket
        self.key = key
        metadata = parsed.metadata
        contentEncoding = parsed.contentEncoding
        contentType = parsed.contentType
        eTag = parsed.eTag
        lastModified = headers["Last-Modified"]
        versionId = parsed.versionId
    }
}
