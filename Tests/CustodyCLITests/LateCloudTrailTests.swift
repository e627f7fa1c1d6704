import CustodyTestSupport
import Foundation
import Testing

/// CloudTrail is late, collections are interrupted and region sets change, and still nothing is
/// silently missing: against a lab whose events become visible up to 20 s after they happen.
@Suite(.serialized)
final class LateCloudTrailTests {
    static let delay: TimeInterval = 20
    static let account = "222222222222"
    static let regions = ["us-east-1", "eu-west-1", "us-west-2"]
    let lab: LabServer
    let folder: TemporaryFolder

    init() throws {
        lab = try LabServer(accounts: 2, extraArguments: ["--event-delay", String(Int(Self.delay))])
        folder = try TemporaryFolder()
    }

    var caseFolder: String { folder.file("case") }

    /// `custody collect` on the real clock, as a responder runs it.
    func collect(_ regions: [String] = regions) throws -> ExternalTool.Result {
        try CustodyBinary.tool.run(
            [
                "collect", "--case", caseFolder, "--profile", "lab-\(Self.account)", "--regions",
                regions.joined(separator: ","),
            ],
            environment: lab.environment)
    }

    /// The intruder's calls: IAM (recorded in us-east-1) and EC2 in two regions, with the account's own key.
    func attack() throws {
        let script = """
            import boto3, json, sys
            lab = json.load(open(sys.argv[1] + "/lab.json"))
            admin = next(a for a in lab["accounts"] if a["id"] == sys.argv[2])["administrator"]
            def client(service, region):
                return boto3.client(service, endpoint_url=lab["endpoint"], region_name=region,
                    aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"])
            iam = client("iam", "us-east-1")
            iam.create_user(UserName="late-backdoor")
            iam.create_access_key(UserName="late-backdoor")
            client("ec2", "eu-west-1").create_security_group(GroupName="late", Description="late")
            client("ec2", "us-west-2").describe_instances()
            """
        let run = try ExternalTool.python3!.run(["-c", script, lab.state.path, Self.account])
        #expect(run.status == 0, "\(run.error)")
    }

    /// Every eventID held in the chain's slices (with how many times), and the lab's records of the
    /// account in `regions` that happened before `cutoff` but are in no archive.
    func held(cutoff: Date) throws -> (distinct: Int, total: Int, missing: [String]) {
        let script = """
            import glob, gzip, io, json, sys, tarfile, datetime
            folder, events, account, cutoff = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
            regions = set(sys.argv[5].split(","))
            held = []
            for path in sorted(glob.glob(folder + "/*.tar")):
                with tarfile.open(path) as tar:
                    for member in tar.getmembers():
                        if member.name.startswith("cloudtrail/") and member.name.endswith("/events.jsonl.gz"):
                            for line in gzip.decompress(tar.extractfile(member).read()).splitlines():
                                if line.strip():
                                    held.append(json.loads(json.loads(line)["CloudTrailEvent"])["eventID"])
            missing = []
            for line in open(events):
                record = json.loads(line)
                when = datetime.datetime.strptime(record["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
                if record["recipientAccountId"] == account and record["awsRegion"] in regions and when.timestamp() < cutoff:
                    if record["eventID"] not in set(held):
                        missing.append(record["eventName"] + " " + record["awsRegion"] + " " + record["eventTime"])
            print(json.dumps({"distinct": len(set(held)), "total": len(held), "missing": missing}))
            """
        let run = try ExternalTool.python3!.run([
            "-c", script, folder.file("case/\(Self.account)"), lab.state.file("events.jsonl"), Self.account,
            String(cutoff.timeIntervalSince1970), Self.regions.joined(separator: ","),
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any], "\(run.error)")
        return (
            object["distinct"] as? Int ?? -1, object["total"] as? Int ?? -1, object["missing"] as? [String] ?? ["?"]
        )
    }

    /// Starts a collection of every region and interrupts it once it reads the account, as Ctrl-C would.
    func interruptedCollection() throws -> (status: Int32, archive: String?, error: String) {
        let run = try CustodyBinary.interrupted(
            [
                "collect", "--case", caseFolder, "--profile", "lab-\(Self.account)", "--regions",
                Self.regions.joined(separator: ","),
            ],
            environment: lab.environment, when: "IAM and", delay: 0.2)
        return (run.status, run.text.split(separator: "\n").first { $0.hasSuffix(".tar") }.map(String.init), run.error)
    }

    @Test func lateEventsInterruptionsAndFewerRegionsLoseNothing() throws {
        #expect(try collect().status == 0)
        try attack()
        let attackEnded = Date()
        let early = try collect()
        #expect(early.status == 0, "\(early.error)")
        let interrupted = try interruptedCollection()
        #expect(interrupted.status == 3, "\(interrupted.error)")
        let shown = try CustodyBinary.run(["show", try #require(interrupted.archive)])
        #expect(
            !shown.text.contains("lookup complete"),
            "an interrupted collection claims no region it did not finish: \(shown.text)")
        // A second later at least, so the regions left out are behind by a whole second of CloudTrail.
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try collect(["us-east-1"]).status == 0)

        // Without a further collection, the chain says where it has holes: each region left out.
        let holes = try CustodyBinary.run(["verify", caseFolder])
        #expect(holes.status == 1, "\(holes.text)")
        for region in ["eu-west-1", "us-west-2"] {
            #expect(holes.text.contains("window-gap: CloudTrail of \(region) from "), "\(holes.text)")
        }
        #expect(!holes.text.contains("CloudTrail of us-east-1 from"), "\(holes.text)")

        // After CloudTrail's delay, a full collection closes every hole and holds every late event.
        let wait = Self.delay + 1 - Date().timeIntervalSince(attackEnded)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let lastStart = Date()
        let last = try collect()
        #expect(last.status == 0, "\(last.error)")
        let verify = try CustodyBinary.run(["verify", caseFolder])
        #expect(verify.status == 0, "\(verify.text)")

        let held = try held(cutoff: lastStart.addingTimeInterval(-Self.delay - 1))
        #expect(held.missing.isEmpty, "\(held.missing)")
        #expect(held.total > held.distinct, "the settling margin is read again, so events are held twice")

        let hunt = try CustodyBinary.run(["hunt", caseFolder + "/" + Self.account, "--json"])
        let report = try #require(
            try JSONSerialization.jsonObject(with: hunt.output) as? [String: Any], "\(hunt.error)")
        #expect(report["eventCount"] as? Int == held.distinct, "each event counts once")
        #expect(report["duplicates"] as? Int == held.total - held.distinct)

        let archives = try FileManager.default.contentsOfDirectory(atPath: folder.file("case/\(Self.account)")).filter {
            $0.hasSuffix(".tar")
        }.sorted()
        let diff = try CustodyBinary.run([
            "diff", folder.file("case/\(Self.account)/\(archives.first!)"),
            folder.file("case/\(Self.account)/\(archives.last!)"), "--json",
        ])
        let diffReport = try #require(
            try JSONSerialization.jsonObject(with: diff.output) as? [String: Any], "\(diff.error)")
        #expect((diffReport["eventCount"] as? Int ?? .max) <= held.distinct, "each event counts once")
        let findings = diffReport["findings"] as? [[String: Any]] ?? []
        let created = try #require(
            findings.first { ($0["rule"] as? String) == "iam.user.created" }, "\(findings.map { $0["rule"] ?? "" })")
        #expect((created["event"] as? [String: Any])?["eventName"] as? String == "CreateUser")
    }
}
