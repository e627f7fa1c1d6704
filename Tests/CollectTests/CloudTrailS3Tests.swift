import AWSClient
@testable import Collect
import CustodyCrypto
import ArchiveTestSupport
import CustodyTestSupport
import Evidence
@testable import EvidenceArchive
import Foundation
import Testing

/// `--cloudtrail s3` against the lab: the trail bucket's log and digest files copied byte for byte, and
/// CloudTrail's own proof (digest signatures, chain, log hashes) checked by `custody verify`.
@Suite(.serialized)
final class CloudTrailS3Tests {
    let lab: LabServer
    let folder: TemporaryFolder
    let key: PrivateKey

    init() throws {
        // Deliveries only when the test flushes: a background delivery between collecting and listing
        // the bucket would add objects the collection never saw.
        lab = try LabServer(accounts: 3, extraArguments: ["--delivery-interval", "3600", "--digest-interval", "3600"])
        folder = try TemporaryFolder()
        key = try PrivateKey.generate(.ed25519)
    }

    var trust: TrustStore {
        var store = TrustStore()
        store.trust(key.publicKey, source: "test", reason: "the test's key")
        return store
    }

    func configuration() -> AWSConfiguration {
        var configuration = AWSConfiguration(
            environment: ProcessInfo.processInfo.environment.merging(lab.environment) { $1 })
        configuration.userAgent = "custody/test"
        return configuration
    }

    /// Delivers pending log files and digests now.
    func flush() throws {
        let script =
            "import urllib.request,sys; print(urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/lab-api/flush', method='POST')).read().decode())"
        let result = try #require(ExternalTool.python3).run(["-c", script, lab.endpoint])
        #expect(result.status == 0, "\(result.error)")
    }

    /// Every object of `bucket`, as boto3 reads it (stored bytes, no decoding), by key.
    func objects(_ bucket: String, profile: String) throws -> [String: [UInt8]] {
        let script = """
            import base64, boto3, json, sys
            s3 = boto3.Session(profile_name=sys.argv[2]).client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
            out = {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[3]):
                for item in page.get("Contents", []):
                    body = s3.get_object(Bucket=sys.argv[3], Key=item["Key"])["Body"].read()
                    out[item["Key"]] = base64.b64encode(body).decode()
            print(json.dumps(out))
            """
        let result = try #require(ExternalTool.python3).run(
            ["-c", script, lab.endpoint, profile, bucket], environment: lab.environment)
        #expect(result.status == 0, "\(result.error)")
        let decoded = try JSONSerialization.jsonObject(with: result.output) as? [String: String] ?? [:]
        return decoded.mapValues { Array(Data(base64Encoded: $0) ?? Data()) }
    }

    @Test func copiesTheTrailBucketByteForByteAndVerifiesCloudTrailsProof() async throws {
        let idsPath = folder.file("ids.json")
        let scenario = try lab.runScenario(["--phase", "baseline", "--ids-out", idsPath])
        #expect(scenario.status == 0, "\(scenario.error)")
        let ids = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: idsPath))) as? [String: Any])
        let defender = try #require((ids["defender"] as? [String: Any])?["accountId"] as? String)
        let profile = "lab-\(defender)"
        // Two more rounds of calls and deliveries, so each region's digests form a chain of several.
        for _ in 0..<2 {
            let targets = try CollectionTarget.profiles([profile], configuration: configuration())
            _ = try await targets[0].aws.sts.getCallerIdentity()
            try flush()
        }

        let collector = CaseCollector(
            caseFolder: CaseFolder(root: folder.file("case")), signingKey: key,
            options: CollectOptions(regions: .list(["us-east-1", "eu-west-1"]), cloudTrail: .s3, concurrency: 2),
            toolVersion: "test")
        let outcomes = await collector.collect(try CollectionTarget.profiles([profile], configuration: configuration()))
        { _ in }
        let sealed = try #require(outcomes.first?.sealed, "\(outcomes.first?.error ?? "")")
        #expect(outcomes.first?.coverageGaps.isEmpty == true, "\(outcomes.first?.coverageGaps ?? [])")
        let archive = sealed.archivePath
        // One window per region, read completely from the bucket, settled before the collection's start.
        let windows = sealed.manifest.cloudTrailWindows ?? []
        #expect(windows.map(\.region) == ["eu-west-1", "us-east-1"])
        #expect(windows.allSatisfy { $0.source == .s3 && $0.status == .complete && $0.settledUntil != nil })

        // Every log and digest file of the bucket is in the archive, byte for byte.
        let members = Dictionary(try Tamper.members(of: archive).map { ($0.path, $0.bytes) }) { first, _ in first }
        let bucket = try #require(try trailBucket(members))
        let stored = try objects(bucket, profile: profile)
        // Files of the collected regions: the bucket also holds other regions' files, which are not asked for.
        let collectedRegions = ["us-east-1", "eu-west-1"]
        let cloudTrailKeys = stored.keys.filter { key in
            (key.contains("/CloudTrail/") || key.contains("/CloudTrail-Digest/"))
                && collectedRegions.contains {
                    key.contains("/CloudTrail/\($0)/") || key.contains("/CloudTrail-Digest/\($0)/")
                }
        }
        #expect(cloudTrailKeys.contains { $0.contains("/CloudTrail-Digest/") })
        #expect(cloudTrailKeys.count >= 4)
        for key in cloudTrailKeys {
            let member = "cloudtrail/s3/\(bucket)/\(key)"
            #expect(members[member] == stored[key], "\(member) differs from the stored object")
            #expect(Gzip.hasMagic(members[member] ?? []))
            if key.contains("/CloudTrail-Digest/") {
                let metadata = try #require(members[member + ".metadata.json"])
                #expect(String(decoding: metadata, as: UTF8.self).contains("SHA256withRSA"))
            }
        }
        #expect(members["cloudtrail/s3/public-keys.json"] != nil)

        // The archive verifies, CloudTrail's proof included.
        let clean = ArchiveVerifier(trust: trust).verify(archive)
        #expect(clean.problems.isEmpty, "\(clean.problems)")

        // The validator alone, on the lab's digests.
        let slice = members.filter { CloudTrailDigestValidator.wants($0.key) }
        let window = (Date().addingTimeInterval(-86_400), Date().addingTimeInterval(3600))
        #expect(CloudTrailDigestValidator(window: window).validate(slice).isEmpty)
        try checkValidatorFindsTampering(slice, window: window)

        // A log file altered inside the archive: the manifest and CloudTrail's digest both say so.
        let logMember = try #require(
            members.keys.sorted().first { $0.contains("/CloudTrail/") && $0.hasSuffix(".json.gz") })
        let altered = folder.file("altered.tar")
        try FileManager.default.copyItem(atPath: archive, toPath: altered)
        try Tamper.rewrite(altered) { list in
            let index = list.firstIndex { $0.path == logMember }!
            var plain = try Gzip.decompress(list[index].bytes)
            plain[plain.count / 2] ^= 0x20
            list[index].bytes = try Gzip.compress(plain)
        }
        let report = ArchiveVerifier(trust: trust).verify(altered)
        let codes = Set(report.problems.map(\.code))
        #expect(codes.contains(.cloudTrailLogAltered), "\(report.problems)")
        #expect(codes.contains(.memberChanged))
        #expect(report.problems.first { $0.code == .cloudTrailLogAltered }?.member == logMember)
    }

    func trailBucket(_ members: [String: [UInt8]]) throws -> String? {
        members.keys.first { $0.hasPrefix("cloudtrail/s3/") && $0.contains("/AWSLogs/") }
            .map { String($0.split(separator: "/")[2]) }
    }

    /// Each kind of damage to the slice is named.
    func checkValidatorFindsTampering(_ slice: [String: [UInt8]], window: (from: Date, to: Date)) throws {
        let validator = CloudTrailDigestValidator(window: window)
        func codes(_ edit: (inout [String: [UInt8]]) throws -> Void) rethrows -> Set<VerificationProblem.Code> {
            var copy = slice
            try edit(&copy)
            return Set(validator.validate(copy).map(\.code))
        }
        let logs = slice.keys.filter { $0.contains("/CloudTrail/") }.sorted()
        let digests = slice.keys.filter { $0.contains("/CloudTrail-Digest/") && $0.hasSuffix(".json.gz") }.sorted()
        let listed = try #require(
            logs.first { log in
                digests.contains {
                    String(decoding: (try? Gzip.decompress(slice[$0]!)) ?? [], as: UTF8.self).contains(
                        log.split(separator: "/", maxSplits: 3).last.map(String.init) ?? "-")
                }
            })
        #expect(codes { $0.removeValue(forKey: listed) } == [.cloudTrailLogMissing])
        #expect(try codes { $0[listed] = try Gzip.compress(Array("{\"Records\":[]}".utf8)) } == [.cloudTrailLogAltered])

        // A digest whose signature in the metadata was changed.
        let digest = try #require(digests.first)
        #expect(
            try codes {
                var text = String(decoding: $0[digest + ".metadata.json"]!, as: UTF8.self)
                let signature = try #require(text.range(of: "\"signature\":\"")).upperBound
                let index = text.index(signature, offsetBy: 4)
                text.replaceSubrange(index...index, with: text[index] == "0" ? "1" : "0")
                $0[digest + ".metadata.json"] = Array(text.utf8)
            }.contains(.cloudTrailDigestInvalid))

        // A digest removed from the middle of a chain (same region, three or more digests).
        let byChain = Dictionary(grouping: digests, by: CloudTrailDigestValidator.chainName)
        let chain = try #require(byChain.values.first { $0.count >= 3 }?.sorted())
        #expect(
            codes {
                $0.removeValue(forKey: chain[1])
                $0.removeValue(forKey: chain[1] + ".metadata.json")
            }.contains(.cloudTrailDigestChainBroken))
        #expect(
            codes { $0.removeValue(forKey: CloudTrailDigestValidator.publicKeysMember) }.contains(
                .cloudTrailDigestInvalid))
    }

}

/// Window selection and the names in CloudTrail's key layout, without the lab.
@Suite struct CloudTrailS3SelectionTests {
    @Test func selectsTheWindowWithOneFileOfMarginEachSide() {
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let files = (0..<10).map { (key: "k\($0)", time: base.addingTimeInterval(Double($0) * 300)) }
        let kept = CloudTrailS3Collector.select(
            files, from: base.addingTimeInterval(1000), to: base.addingTimeInterval(2000)
        ).map(\.key)
        #expect(kept == ["k3", "k4", "k5", "k6", "k7"])
        #expect(
            CloudTrailDigestValidator.logFileTime(
                "p/AWSLogs/1/CloudTrail/us-east-1/2015/08/01/1_CloudTrail_us-east-1_20150801T0210Z_abc.json.gz")
                == Timestamp.parse("2015-08-01T02:10:00Z"))
        #expect(
            CloudTrailDigestValidator.digestFileTime(
                "1_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20150817T150131Z.json.gz")
                == Timestamp.parse("2015-08-17T15:01:31Z"))
        #expect(
            CloudTrailDigestValidator.chainName(
                "cloudtrail/s3/b/AWSLogs/1/CloudTrail-Digest/eu-west-1/2015/08/17/1_CloudTrail-Digest_eu-west-1_my_trail_us-east-2_20150817T150131Z.json.gz"
            )
                == "b/eu-west-1/my_trail_us-east-2")
    }
}
