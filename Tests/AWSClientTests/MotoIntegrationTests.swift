import CustodyJSON
import CustodyCrypto
import Foundation
import Testing

@testable import AWSClient

/// Against `moto_server` on loopback with IAM authentication on: real keys work, a wrong secret fails clearly,
/// a role in another account is assumed and calls then act there, pagination crosses pages, and a gzip object
/// arrives byte for byte.
@Suite(.serialized)
struct MotoIntegrationTests {
    @Test func aRealKeyWorksAndAWrongSecretFails() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await server.bootstrap()
        let aws = try server.client()
        let identity = try await aws.sts.getCallerIdentity()
        #expect(identity.output.account == MotoServer.accountA)
        #expect(identity.output.arn == "arn:aws:iam::\(MotoServer.accountA):user/admin")
        #expect(identity.raw.statusCode == 200 && !identity.raw.body.isEmpty)
        let users = try await aws.iam.listUsers().allItems(\.users)
        #expect(users.map(\.userName) == ["admin"])

        let wrong = try server.client(
            credentials: AWSCredentials(accessKeyId: server.admin.accessKeyId, secretAccessKey: TestKeys.secret))
        let error = await #expect(throws: AWSServiceError(code: "SignatureDoesNotMatch")) {
            _ = try await wrong.iam.listUsers().allPages()
        }
        #expect(error?.statusCode == 403)
        #expect(!(error?.description.contains(TestKeys.secret) ?? true))
        let unknown = try server.client(
            credentials: AWSCredentials(accessKeyId: "AKIANOTAREALKEY00000", secretAccessKey: "whatever"))
        await #expect(throws: AWSServiceError(code: "InvalidClientTokenId")) {
            _ = try await unknown.sts.getCallerIdentity()
        }
    }

    @Test func aRoleInAnotherAccountIsAssumedAndCallsActThere() async throws {
        // Setup in account B spends three more unauthenticated actions: the administrator lives in account A.
        let server = try await MotoServer.start(freeActions: 6)
        defer { server.stop() }
        try await server.bootstrap()
        let trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(MotoServer.accountA):root"},"Action":"sts:AssumeRole"}]}
            """
        try await server.call(
            .iam, "CreateRole", ["RoleName": "Responder", "AssumeRolePolicyDocument": trust],
            account: MotoServer.accountB)
        try await server.call(
            .iam, "AttachRolePolicy",
            ["RoleName": "Responder", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"],
            account: MotoServer.accountB)
        try await server.call(.iam, "CreateUser", ["UserName": "only-in-b"], account: MotoServer.accountB)

        let base = try server.client()
        let role = base.assumingRole("arn:aws:iam::\(MotoServer.accountB):role/Responder", sessionName: "custody-test")
        let identity = try await role.sts.getCallerIdentity()
        #expect(identity.output.account == MotoServer.accountB)
        #expect(identity.output.arn?.contains("assumed-role/Responder/custody-test") == true)
        let resolved = try await role.credentials()
        #expect(resolved.credentials.accessKeyId.hasPrefix("ASIA"))
        #expect(resolved.source.contains("assume-role (arn:aws:iam::\(MotoServer.accountB):role/Responder"))
        let users = try await role.iam.listUsers().allItems(\.users).compactMap(\.userName)
        #expect(users == ["only-in-b"])
        let trustPolicy = try await role.iam.getRole(roleName: "Responder").output.role?.assumeRolePolicyDocument?.json
        #expect(
            trustPolicy?["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue
                == "arn:aws:iam::\(MotoServer.accountA):root")
    }

    @Test func paginationCrossesSeveralPages() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await server.bootstrap()
        let trust =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: 250, by: 125) {
                group.addTask {
                    for index in chunk..<(chunk + 125) {
                        let name = String(format: "%03d", index)
                        try await server.call(.iam, "CreateUser", ["UserName": "user-\(name)"])
                        try await server.call(
                            .iam, "CreateRole", ["RoleName": "role-\(name)", "AssumeRolePolicyDocument": trust])
                    }
                }
            }
            try await group.waitForAll()
        }
        let aws = try server.client()
        // moto pages ListRoles by MaxItems and Marker (it answers ListUsers in one page).
        var pages = 0
        var roles: [String] = []
        for try await page in aws.iam.listRoles(maxItems: 100) {
            pages += 1
            roles += page.output.roles.compactMap(\.roleName)
            #expect(page.raw.requestId != nil)
        }
        #expect(pages == 3)
        #expect(roles.count == 250 && Set(roles).count == 250)
        let users = try await aws.iam.listUsers().allItems(\.users)
        #expect(users.count == 251 && users.contains { $0.userName == "user-249" })
    }

    @Test func aGzipObjectArrivesByteForByte() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await server.bootstrap()
        // A real gzip stream of a CloudTrail-like file (bytes from gzip(1) so the test needs no zlib binding).
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let plain = try folder.write(
            "events.json", String(repeating: #"{"eventName":"CreateAccessKey"}"# + "\n", count: 2000))
        let (status, _, _) = try Subprocess.run("/bin/sh", ["-c", "gzip -n -9 -c '\(plain)' > '\(plain).gz'"])
        try #require(status == 0)
        let gzip = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
        try await server.s3("PUT", "/trail-bucket")
        let key =
            "AWSLogs/\(MotoServer.accountA)/CloudTrail/us-east-1/2026/11/29/"
            + "\(MotoServer.accountA)_CloudTrail_us-east-1_20261129T0005Z_a1b2c3.json.gz"
        try await server.s3(
            "PUT", "/trail-bucket/" + URIEncoding.encode(key, keepSlash: true), body: gzip,
            headers: [
                "Content-Type": "application/json", "Content-Encoding": "gzip",
                "x-amz-meta-signature": "3a9f0c", "x-amz-meta-signing-algorithm": "SHA256withRSA",
            ])
        let aws = try server.client()
        // moto 5.2.1 miscomputes the signature of a query holding an encoded '/' (botocore's own ListObjectsV2
        // with Prefix="AWSLogs/" fails the same way), so the prefix here has none.
        let listed = try await aws.s3.listObjectsV2(bucket: "trail-bucket", prefix: "AWSLogs").allItems(\.contents)
        #expect(listed.map(\.key) == [key])
        let head = try await aws.s3.headObject(bucket: "trail-bucket", key: key)
        #expect(head.output.contentLength == gzip.count)
        #expect(head.output.contentEncoding == "gzip")
        #expect(head.output.metadata["signature"] == "3a9f0c")
        #expect(head.output.metadata["signing-algorithm"] == "SHA256withRSA")
        let target = folder.url.appendingPathComponent("downloaded.json.gz")
        // A link planted where the download's partial file goes is never written through.
        let victim = folder.url.appendingPathComponent("victim.txt")
        try Data("untouched".utf8).write(to: victim)
        try FileManager.default.createSymbolicLink(atPath: target.path + ".partial", withDestinationPath: victim.path)
        let got = try await aws.s3.getObject(bucket: "trail-bucket", key: key, to: target)
        #expect(try Data(contentsOf: victim) == Data("untouched".utf8))
        let downloaded = try Data(contentsOf: target)
        #expect(downloaded.count == gzip.count && SHA256.hash(downloaded) == SHA256.hash(gzip))
        #expect(got.raw.bodyFile == target && got.raw.body.isEmpty)
        #expect(got.output.metadata["signature"] == "3a9f0c")
        let inMemory = try await aws.s3.getObjectData(bucket: "trail-bucket", key: key)
        #expect(SHA256.hash(inMemory.output) == SHA256.hash(gzip))
        await #expect(throws: AWSServiceError(code: "NoSuchKey")) {
            _ = try await aws.s3.getObject(bucket: "trail-bucket", key: "missing", to: target)
        }
    }

    @Test func collectorsReadCallsWork() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await server.bootstrap()
        try await server.call(.iam, "CreateUser", ["UserName": "alice"])
        try await server.call(.iam, "CreateAccessKey", ["UserName": "alice"])
        try await server.call(.iam, "CreateLoginProfile", ["UserName": "alice", "Password": "Pa55word!-long-enough"])
        try await server.call(
            .ec2, "RunInstances", ["ImageId": "ami-12c6146b", "MinCount": "1", "MaxCount": "1"], region: "eu-west-1")
        let aws = try server.client(region: "eu-west-1")
        let details = try await aws.iam.getAccountAuthorizationDetails().allPages()
        #expect(details.flatMap(\.output.userDetailList).compactMap(\.userName).sorted() == ["admin", "alice"])
        let keys = try await aws.iam.listAccessKeys(userName: "alice").allItems(\.accessKeyMetadata)
        #expect(keys.count == 1)
        let lastUsed = try await aws.iam.getAccessKeyLastUsed(accessKeyId: keys[0].accessKeyId ?? "")
        #expect(lastUsed.output.userName == "alice")
        #expect(try await aws.iam.getLoginProfile(userName: "alice").output.loginProfile?.userName == "alice")
        await #expect(throws: AWSServiceError(code: "NoSuchEntity")) {
            _ = try await aws.iam.getLoginProfile(userName: "admin")
        }
        let regions = try await aws.ec2.describeRegions().output.regions.compactMap(\.regionName)
        #expect(regions.contains("eu-west-1"))
        let instances = try await aws.ec2.describeInstances().allItems(\.reservations).flatMap(\.instances)
        #expect(instances.count == 1 && instances.first?.imageId == "ami-12c6146b")
        let groups = try await aws.ec2.describeSecurityGroups().allItems(\.securityGroups)
        #expect(groups.contains { $0.groupName == "default" })
        _ = try await aws.ec2.describeVpcEndpoints().allPages()
        _ = try await aws.ec2.describeKeyPairs()
        _ = try await aws.cloudTrail.describeTrails()
        let generic = try await aws.send(.iam, "ListUsers", parameters: ["PathPrefix": "/"])
        #expect(generic.output["Users"]?.arrayValue?.count == 2)
        #expect(generic.raw.parameters == ["PathPrefix": "/"] && generic.raw.action == "ListUsers")
    }
}
