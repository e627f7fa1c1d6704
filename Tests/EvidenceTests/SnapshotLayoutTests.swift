import CustodyJSON
import Evidence
import Foundation
import Testing

/// How a snapshot becomes archive members and back: paths, order, normalisation, errors, regions.
@Suite struct SnapshotLayoutTests {
    /// The members `SnapshotSample.snapshot` is stored as, in archive order (Schemas/snapshot/README.md).
    static let samplePaths = [
        "snapshot/account.json",
        "snapshot/iam/users.json",
        "snapshot/iam/roles.json",
        "snapshot/iam/groups.json",
        "snapshot/iam/policies.json",
        "snapshot/iam/instance-profiles.json",
        "snapshot/iam/identity-providers.json",
        "snapshot/iam/credential-report.csv",
        "snapshot/ec2/eu-west-1/instances.json",
        "snapshot/ec2/eu-west-1/vpc-endpoints.json",
        "snapshot/ec2/eu-west-1/security-groups.json",
        "snapshot/ec2/eu-west-1/key-pairs.json",
        "snapshot/guardduty/eu-west-1/detectors.json",
        "snapshot/ec2/us-east-1/instances.json",
        "snapshot/ec2/us-east-1/vpc-endpoints.json",
        "snapshot/ec2/us-east-1/security-groups.json",
        "snapshot/ec2/us-east-1/key-pairs.json",
        "snapshot/guardduty/us-east-1/detectors.json",
        "snapshot/ec2/us-west-2/instances.json",
        "snapshot/ec2/us-west-2/vpc-endpoints.json",
        "snapshot/ec2/us-west-2/security-groups.json",
        "snapshot/ec2/us-west-2/key-pairs.json",
        "snapshot/guardduty/us-west-2/detectors.json",
        "snapshot/cloudtrail/trails.json",
    ]

    /// The members a snapshot cannot be read without.
    static let requiredPaths = [
        "snapshot/account.json",
        "snapshot/iam/users.json",
        "snapshot/iam/roles.json",
        "snapshot/iam/groups.json",
        "snapshot/iam/policies.json",
        "snapshot/iam/instance-profiles.json",
        "snapshot/iam/identity-providers.json",
        "snapshot/cloudtrail/trails.json",
    ]

    static func memberMap(_ members: [(path: String, bytes: [UInt8])]) -> [String: [UInt8]] {
        Dictionary(members.map { ($0.path, $0.bytes) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func membersAreTheDocumentedPathsInAFixedOrder() throws {
        let members = try SnapshotLayout.members(of: SnapshotSample.snapshot)
        #expect(members.map(\.path) == Self.samplePaths)
        #expect(members.allSatisfy { $0.path.hasPrefix(SnapshotLayout.prefix) })
    }

    @Test func membersAreCanonicalJSONWithAFinalNewline() throws {
        for member in try SnapshotLayout.members(of: SnapshotSample.snapshot) where member.path.hasSuffix(".json") {
            #expect(member.bytes.last == UInt8(ascii: "\n"), "\(member.path)")
            let reencoded = try CanonicalJSON.encode(try JSONValue.parse(Data(member.bytes)))
            #expect(reencoded == member.bytes, "\(member.path) is not canonical")
        }
    }

    @Test func credentialReportIsStoredAsTheBytesAWSProduced() throws {
        let members = Self.memberMap(try SnapshotLayout.members(of: SnapshotSample.snapshot))
        #expect(members["snapshot/iam/credential-report.csv"] == SnapshotSample.credentialReport)

        var withoutReport = SnapshotSample.snapshot
        withoutReport.credentialReport = nil
        let paths = try SnapshotLayout.members(of: withoutReport).map(\.path)
        #expect(paths == Self.samplePaths.filter { $0 != "snapshot/iam/credential-report.csv" })
    }

    @Test func readingMembersBackGivesTheNormalisedSnapshot() throws {
        let members = try SnapshotLayout.members(of: SnapshotSample.snapshot)
        let read = try SnapshotLayout.snapshot(from: Self.memberMap(members))
        #expect(read == SnapshotSample.snapshot.normalised())
        #expect(read != SnapshotSample.snapshot, "the sample should start out of order, or this proves little")
        #expect(try SnapshotLayout.members(of: read).map(\.bytes) == members.map(\.bytes))
    }

    @Test func membersOfOtherKindsAreIgnoredWhenReading() throws {
        var members = Self.memberMap(try SnapshotLayout.members(of: SnapshotSample.snapshot))
        members["files/notes.txt"] = Array("seen at 02:14".utf8)
        members["snapshot/ec2/ap-southeast-2/instances.json"] = Array("not a region this snapshot collected".utf8)
        #expect(try SnapshotLayout.snapshot(from: members) == SnapshotSample.snapshot.normalised())
    }

    @Test func listsInAnotherOrderGiveByteIdenticalMembers() throws {
        let scrambled = SnapshotSample.scrambled(SnapshotSample.snapshot)
        #expect(scrambled != SnapshotSample.snapshot)
        #expect(scrambled.normalised() == SnapshotSample.snapshot.normalised())
        let original = try SnapshotLayout.members(of: SnapshotSample.snapshot)
        let reordered = try SnapshotLayout.members(of: scrambled)
        #expect(reordered.map(\.path) == original.map(\.path))
        for (left, right) in zip(original, reordered) {
            #expect(left.bytes == right.bytes, "\(left.path) depends on input order")
        }
    }

    /// A list `normalised()` leaves in input order, although its documentation promises every list sorted.
    struct UnsortedList: Sendable, CustomTestStringConvertible {
        let name: String
        let reorder: @Sendable (inout Snapshot) -> Void
        var testDescription: String { name }

        static let all = [
            UnsortedList(name: "account regions") {
                $0.account.enabledRegions.reverse()
                $0.account.collectedRegions.reverse()
            },
            UnsortedList(name: "security group rules") {
                $0.securityGroups = $0.securityGroups.map { group in
                    var group = group
                    group.ingress = group.ingress.reversed().map { rule in
                        var rule = rule
                        rule.ipv4Ranges.reverse()
                        return rule
                    }
                    group.egress.reverse()
                    return group
                }
            },
            UnsortedList(name: "VPC endpoint tags") {
                $0.vpcEndpoints = $0.vpcEndpoints.map { endpoint in
                    var endpoint = endpoint
                    endpoint.tags.reverse()
                    return endpoint
                }
            },
            UnsortedList(name: "GuardDuty detector features") {
                $0.detectors = $0.detectors.map { detector in
                    var detector = detector
                    detector.features.reverse()
                    return detector
                }
            },
        ]
    }

    @Test(arguments: UnsortedList.all)
    func reorderedNestedListsDoNotChangeMembers(_ list: UnsortedList) throws {
        var reordered = SnapshotSample.snapshot
        list.reorder(&reordered)
        #expect(reordered != SnapshotSample.snapshot, "the reordering changed nothing")
        let original = try SnapshotLayout.members(of: SnapshotSample.snapshot)
        let members = try SnapshotLayout.members(of: reordered)
        let changed = zip(original, members).filter { $0.bytes != $1.bytes }.map(\.0.path)
        #expect(changed.isEmpty, "\(list.name) leak input order into \(changed)")
    }

    @Test(arguments: requiredPaths)
    func aMissingMemberIsReportedAsMissing(_ path: String) throws {
        var members = Self.memberMap(try SnapshotLayout.members(of: SnapshotSample.snapshot))
        members[path] = nil
        let error = #expect(throws: SnapshotError(.memberMissing, "")) {
            _ = try SnapshotLayout.snapshot(from: members)
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test func aCollectedRegionsMissingFileIsReportedAsMissing() throws {
        var members = Self.memberMap(try SnapshotLayout.members(of: SnapshotSample.snapshot))
        members["snapshot/ec2/eu-west-1/instances.json"] = nil
        #expect(throws: SnapshotError(.memberMissing, "")) { _ = try SnapshotLayout.snapshot(from: members) }
    }

    /// Ways a member's bytes can be wrong.
    enum Corruption: String, CaseIterable, Sendable {
        /// Cut in half, as by a short write.
        case truncated
        /// Valid JSON of the wrong shape.
        case null
        /// An object where the file holds a list, or an object without the required fields.
        case foreignObject
        /// Not UTF-8 JSON at all.
        case binary

        func apply(to bytes: [UInt8]) -> [UInt8] {
            switch self {
            case .truncated: Array(bytes.prefix(bytes.count / 2))
            case .null: Array("null\n".utf8)
            case .foreignObject: Array(#"{"unexpected":true}"#.utf8)
            case .binary: [0x1f, 0x8b, 0x08, 0x00, 0xff]
            }
        }
    }

    @Test(arguments: samplePaths.filter { $0.hasSuffix(".json") }, Corruption.allCases)
    func aCorruptMemberIsReportedAsInvalid(_ path: String, _ corruption: Corruption) throws {
        var members = Self.memberMap(try SnapshotLayout.members(of: SnapshotSample.snapshot))
        members[path] = corruption.apply(to: try #require(members[path]))
        let error = #expect(throws: SnapshotError(.memberInvalid, "")) {
            _ = try SnapshotLayout.snapshot(from: members)
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test func aRegionWithNothingInItKeepsEmptyFiles() throws {
        let members = try SnapshotLayout.members(of: SnapshotSample.snapshot)
        let usWest2 = members.filter { $0.path.contains("/us-west-2/") }
        #expect(
            usWest2.map(\.path) == [
                "snapshot/ec2/us-west-2/instances.json", "snapshot/ec2/us-west-2/vpc-endpoints.json",
                "snapshot/ec2/us-west-2/security-groups.json", "snapshot/ec2/us-west-2/key-pairs.json",
                "snapshot/guardduty/us-west-2/detectors.json",
            ])
        #expect(usWest2.allSatisfy { $0.bytes == Array("[]\n".utf8) })
        // Nothing of a kind in a region that has other things: an empty file too.
        let endpoints = Self.memberMap(members)["snapshot/ec2/eu-west-1/vpc-endpoints.json"]
        #expect(endpoints == Array("[]\n".utf8))
    }

    @Test func aRegionNotCollectedHasNoFiles() throws {
        let paths = try SnapshotLayout.members(of: SnapshotSample.snapshot).map(\.path)
        #expect(SnapshotSample.snapshot.account.enabledRegions.contains("ap-southeast-2"))
        #expect(!paths.contains { $0.contains("/ap-southeast-2/") })

        var fewer = SnapshotSample.snapshot
        fewer.account.collectedRegions.removeAll { $0 == "us-west-2" }
        let fewerPaths = try SnapshotLayout.members(of: fewer).map(\.path)
        #expect(fewerPaths == Self.samplePaths.filter { !$0.contains("/us-west-2/") })

        var none = SnapshotSample.snapshot
        none.account.collectedRegions = []
        none.instances = []
        none.vpcEndpoints = []
        none.securityGroups = []
        none.keyPairs = []
        none.detectors = []
        let globalPaths = try SnapshotLayout.members(of: none).map(\.path)
        #expect(globalPaths == Self.samplePaths.filter { !$0.contains("/ec2/") && !$0.contains("/guardduty/") })
    }

    @Test func readingBackKeepsEmptyAndUncollectedRegionsApart() throws {
        var fewer = SnapshotSample.snapshot
        fewer.account.collectedRegions.removeAll { $0 == "us-west-2" }
        let full = try SnapshotLayout.snapshot(
            from: Self.memberMap(try SnapshotLayout.members(of: SnapshotSample.snapshot)))
        let partial = try SnapshotLayout.snapshot(from: Self.memberMap(try SnapshotLayout.members(of: fewer)))
        #expect(full.account.collectedRegions.contains("us-west-2"))
        #expect(!partial.account.collectedRegions.contains("us-west-2"))
        #expect(full.instances == partial.instances)
        #expect(full != partial)
    }
}

/// A realistic account in the middle of an incident: an attacker made `svc-backup`, launched a GPU
/// instance in eu-west-1 with a fresh key pair, stopped the EU trail and suspended GuardDuty there.
/// Lists are deliberately out of order so normalisation has work to do. us-west-2 is collected and
/// empty; ap-southeast-2 is enabled but not collected.
enum SnapshotSample {
    static let accountId = "111122223333"

    static let credentialReport = Array(
        """
        user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active
        <root_account>,arn:aws:iam::111122223333:root,2019-06-03T10:00:00+00:00,not_supported,true,false
        alice,arn:aws:iam::111122223333:user/alice,2023-04-12T08:30:00+00:00,true,true,true
        svc-backup,arn:aws:iam::111122223333:user/svc-backup,2026-11-29T02:14:09+00:00,false,false,true

        """.utf8)

    static let administratorAccess = AttachedPolicy(
        policyName: "AdministratorAccess", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess")
    static let readOnlyAccess = AttachedPolicy(
        policyName: "ReadOnlyAccess", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess")
    static let developerBoundary = "arn:aws:iam::111122223333:policy/DeveloperBoundary"

    static let denyBilling: JSONValue = [
        "Version": "2012-10-17",
        "Statement": [["Effect": "Deny", "Action": ["aws-portal:*", "billing:*"], "Resource": "*"]],
    ]

    static let users = [
        IAMUser(
            userName: "svc-backup", userId: "AIDAQX2KT5SVCBACKUP77", arn: "arn:aws:iam::111122223333:user/svc-backup",
            createDate: "2026-11-29T02:14:09Z", attachedPolicies: [administratorAccess],
            accessKeys: [
                AccessKey(
                    accessKeyId: "AKIAQX2KT5SVCBACKUP1", status: "Active", createDate: "2026-11-29T02:14:31Z",
                    lastUsed: AccessKeyLastUsed(date: "2026-11-29T02:22:17Z", serviceName: "ec2", region: "eu-west-1"))
            ],
            tags: [Tag(key: "owner", value: "backup"), Tag(key: "Name", value: "backup automation")]),
        IAMUser(
            userName: "alice", userId: "AIDAQX2KT5ALICE7EXAMP", arn: "arn:aws:iam::111122223333:user/alice",
            createDate: "2023-04-12T08:30:00Z", passwordLastUsed: "2026-11-28T17:02:44Z",
            groups: ["Developers", "Admins"], attachedPolicies: [readOnlyAccess, administratorAccess],
            inlinePolicies: [
                InlinePolicy(
                    policyName: "assume-deploy",
                    document: [
                        "Version": "2012-10-17",
                        "Statement": [
                            "Effect": "Allow", "Action": "sts:AssumeRole",
                            "Resource": "arn:aws:iam::111122223333:role/github-deploy",
                            "Condition": ["NumericLessThan": ["aws:MultiFactorAuthAge": 3600]],
                        ],
                    ]),
                InlinePolicy(policyName: "deny-billing", document: denyBilling),
            ],
            accessKeys: [
                AccessKey(
                    accessKeyId: "AKIAQX2KT5ALICE00002", status: "Active", createDate: "2025-02-01T09:00:00Z",
                    lastUsed: AccessKeyLastUsed(date: "2026-11-28T16:40:00Z", serviceName: "s3", region: "us-east-1")),
                AccessKey(
                    accessKeyId: "AKIAQX2KT5ALICE00001", status: "Inactive", createDate: "2023-04-12T08:31:12Z",
                    lastUsed: AccessKeyLastUsed(serviceName: "N/A", region: "N/A")),
            ],
            loginProfile: LoginProfile(createDate: "2023-04-12T08:30:05Z"),
            mfaDevices: [
                MFADevice(serialNumber: "arn:aws:iam::111122223333:mfa/alice-phone", enableDate: "2023-04-12T08:40:00Z")
            ],
            tags: [Tag(key: "team", value: "platform"), Tag(key: "cost-center", value: "")]),
        IAMUser(
            userName: "bob", userId: "AIDAQX2KT5BOBBY3EXAMP", arn: "arn:aws:iam::111122223333:user/engineering/bob",
            path: "/engineering/", createDate: "2024-01-08T14:00:00Z", permissionsBoundary: developerBoundary,
            groups: ["Developers"],
            accessKeys: [
                AccessKey(accessKeyId: "AKIAQX2KT5BOBBY00001", status: "Active", createDate: "2024-01-08T14:05:00Z")
            ],
            loginProfile: LoginProfile(createDate: "2024-01-08T14:00:30Z", passwordResetRequired: true),
            mfaDevices: [
                MFADevice(serialNumber: "GAHT12345678", enableDate: "2024-01-09T10:00:00Z"),
                MFADevice(
                    serialNumber: "arn:aws:iam::111122223333:mfa/bob-yubikey", enableDate: "2024-03-02T10:00:00Z"),
            ],
            sshPublicKeys: [
                SSHPublicKey(
                    sshPublicKeyId: "APKAQX2KT5BOBBYSSH02", status: "Inactive", uploadDate: "2024-01-09T11:00:00Z"),
                SSHPublicKey(
                    sshPublicKeyId: "APKAQX2KT5BOBBYSSH01", status: "Active", uploadDate: "2025-06-01T11:00:00Z"),
            ],
            serviceSpecificCredentials: [
                ServiceSpecificCredential(
                    serviceSpecificCredentialId: "ACCAQX2KT5BOBBYCODE01", serviceName: "codecommit.amazonaws.com",
                    serviceUserName: "bob-at-111122223333", status: "Active", createDate: "2024-01-09T12:00:00Z")
            ],
            signingCertificates: [
                SigningCertificate(
                    certificateId: "KN3Y4CQ2XHJH6BNKD7Z8YQ4AZ4OMBL3O", status: "Inactive", uploadDate: nil),
                SigningCertificate(
                    certificateId: "A7DX2KQ9ZB3WPLM4TS6YVC8RN1EHFJ5G", status: "Active",
                    uploadDate: "2024-02-01T12:00:00Z"),
            ]),
    ]

    static let roles = [
        IAMRole(
            roleName: "github-deploy", roleId: "AROAQX2KT5GITHUBDEPL1",
            arn: "arn:aws:iam::111122223333:role/github-deploy",
            createDate: "2025-05-20T12:00:00Z", maxSessionDuration: 7200,
            trustPolicy: [
                "Version": "2012-10-17",
                "Statement": [
                    [
                        "Effect": "Allow",
                        "Principal": [
                            "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
                        ],
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": [
                            "StringEquals": ["token.actions.githubusercontent.com:aud": "sts.amazonaws.com"],
                            "StringLike": [
                                "token.actions.githubusercontent.com:sub": "repo:example/web:ref:refs/heads/main"
                            ],
                        ],
                    ]
                ],
            ],
            permissionsBoundary: developerBoundary,
            attachedPolicies: [
                AttachedPolicy(policyName: "DeployFromCI", policyArn: "arn:aws:iam::111122223333:policy/DeployFromCI")
            ],
            lastUsed: RoleLastUsed(date: "2026-11-27T18:03:00Z", region: "us-east-1"),
            tags: [Tag(key: "repo", value: "example/web"), Tag(key: "managed-by", value: "terraform")]),
        IAMRole(
            roleName: "OrganizationAccountAccessRole", roleId: "AROAQX2KT5ORGACCESS01",
            arn: "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole", createDate: "2019-06-03T10:05:00Z",
            maxSessionDuration: 3600,
            trustPolicy: [
                "Version": "2012-10-17",
                "Statement": [
                    [
                        "Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::999988887777:root"],
                        "Action": "sts:AssumeRole",
                    ]
                ],
            ],
            attachedPolicies: [administratorAccess],
            lastUsed: RoleLastUsed(date: "2026-11-29T03:10:00Z", region: "us-east-1")),
        IAMRole(
            roleName: "AWSServiceRoleForSupport", roleId: "AROAQX2KT5SUPPORT0001",
            arn: "arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
            path: "/aws-service-role/support.amazonaws.com/", createDate: "2019-06-03T10:00:00Z",
            description: "Enables resource access for AWS to provide billing, administrative and support services",
            trustPolicy: [
                "Version": "2012-10-17",
                "Statement": [
                    ["Effect": "Allow", "Principal": ["Service": "support.amazonaws.com"], "Action": "sts:AssumeRole"]
                ],
            ],
            attachedPolicies: [
                AttachedPolicy(
                    policyName: "AWSSupportServiceRolePolicy",
                    policyArn: "arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy")
            ]),
        IAMRole(
            roleName: "web-app", roleId: "AROAQX2KT5WEBAPP0001", arn: "arn:aws:iam::111122223333:role/web-app",
            createDate: "2024-06-01T09:00:00Z",
            trustPolicy: [
                "Version": "2012-10-17",
                "Statement": [
                    ["Effect": "Allow", "Principal": ["Service": "ec2.amazonaws.com"], "Action": "sts:AssumeRole"]
                ],
            ],
            inlinePolicies: [
                InlinePolicy(
                    policyName: "read-assets",
                    document: [
                        "Version": "2012-10-17",
                        "Statement": [
                            "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                            "Resource": ["arn:aws:s3:::example-assets", "arn:aws:s3:::example-assets/*"],
                            "Condition": ["Bool": ["aws:SecureTransport": true]],
                        ],
                    ]),
                InlinePolicy(policyName: "deny-billing", document: denyBilling),
            ],
            instanceProfiles: ["web-app", "web-app-legacy"], tags: [Tag(key: "app", value: "web")]),
    ]

    static let groups = [
        IAMGroup(
            groupName: "Developers", groupId: "AGPAQX2KT5DEVELOPER1", arn: "arn:aws:iam::111122223333:group/Developers",
            createDate: "2023-04-12T08:20:00Z",
            attachedPolicies: [
                readOnlyAccess,
                AttachedPolicy(policyName: "DeveloperBoundary", policyArn: developerBoundary),
            ],
            inlinePolicies: [
                InlinePolicy(
                    policyName: "deny-iam-writes",
                    document: [
                        "Version": "2012-10-17",
                        "Statement": [
                            "Effect": "Deny", "NotAction": ["iam:Get*", "iam:List*"], "Resource": "*",
                        ],
                    ])
            ]),
        IAMGroup(
            groupName: "Admins", groupId: "AGPAQX2KT5ADMINS0001", arn: "arn:aws:iam::111122223333:group/Admins",
            createDate: "2023-04-12T08:19:00Z", attachedPolicies: [administratorAccess]),
    ]

    static let policies = [
        ManagedPolicy(
            policyName: "DeveloperBoundary", policyId: "ANPAQX2KT5BOUNDARY01", arn: developerBoundary,
            defaultVersionId: "v3", attachmentCount: 3, createDate: "2024-01-05T10:00:00Z",
            updateDate: "2025-09-14T16:45:00Z",
            document: [
                "Version": "2012-10-17",
                "Statement": [
                    [
                        "Sid": "AllowMostThings", "Effect": "Allow", "NotAction": ["iam:*", "organizations:*"],
                        "Resource": "*",
                    ],
                    [
                        "Sid": "AllowOwnKeys", "Effect": "Allow", "Action": "iam:*AccessKey*",
                        "Resource": "arn:aws:iam::111122223333:user/${aws:username}",
                    ],
                ],
            ]),
        ManagedPolicy(
            policyName: "DeployFromCI", policyId: "ANPAQX2KT5DEPLOYCI01",
            arn: "arn:aws:iam::111122223333:policy/DeployFromCI", path: "/ci/", defaultVersionId: "v1",
            attachmentCount: 1, createDate: "2025-05-20T12:00:00Z",
            document: [
                "Version": "2012-10-17",
                "Statement": [
                    "Effect": "Allow", "Action": ["s3:PutObject", "cloudfront:CreateInvalidation"], "Resource": "*",
                    "Condition": ["NumericLessThanEquals": ["s3:max-keys": 1000.5]],
                ],
            ]),
        ManagedPolicy(
            policyName: "Unreadable", policyId: "ANPAQX2KT5UNREADAB01",
            arn: "arn:aws:iam::111122223333:policy/Unreadable",
            defaultVersionId: "v12", attachmentCount: 0, createDate: "2020-02-02T02:02:02Z"),
    ]

    static let instanceProfiles = [
        InstanceProfile(
            instanceProfileName: "web-app-legacy", instanceProfileId: "AIPAQX2KT5WEBLEGACY1",
            arn: "arn:aws:iam::111122223333:instance-profile/web-app-legacy", createDate: "2024-06-01T09:00:00Z",
            roles: []),
        InstanceProfile(
            instanceProfileName: "web-app", instanceProfileId: "AIPAQX2KT5WEBAPP0001",
            arn: "arn:aws:iam::111122223333:instance-profile/web-app", createDate: "2024-06-01T09:00:01Z",
            roles: ["web-app"]),
    ]

    static let identityProviders = IdentityProviders(
        saml: [
            SAMLProvider(
                arn: "arn:aws:iam::111122223333:saml-provider/Okta", createDate: "2022-10-01T00:00:00Z",
                validUntil: "2122-10-01T00:00:00Z"),
            SAMLProvider(arn: "arn:aws:iam::111122223333:saml-provider/AzureAD"),
        ],
        oidc: [
            OIDCProvider(arn: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"),
            OIDCProvider(
                arn:
                    "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
            ),
        ])

    static let instances = [
        EC2Instance(
            instanceId: "i-0f9e8d7c6b5a40001", region: "eu-west-1", state: "running",
            launchTime: "2026-11-29T02:22:17.000Z", instanceType: "p3.2xlarge", imageId: "ami-0c1a7f89451184c8b",
            keyName: "tmp-key", securityGroupIds: ["sg-0f9e8d7c6b5a40001"], vpcId: "vpc-0f9e8d7c6b5a40001",
            subnetId: "subnet-0f9e8d7c6b5a40001", privateIpAddress: "172.31.12.4", publicIpAddress: "198.51.100.23"),
        EC2Instance(instanceId: "i-0a1b2c3d4e5f60002", region: "us-east-1", state: "stopped"),
        EC2Instance(
            instanceId: "i-0a1b2c3d4e5f60001", region: "us-east-1", state: "running",
            launchTime: "2026-10-01T07:00:00.000Z", instanceType: "t3.small", imageId: "ami-0abcdef1234567890",
            keyName: "ops-2024", instanceProfileArn: "arn:aws:iam::111122223333:instance-profile/web-app",
            instanceProfileId: "AIPAQX2KT5WEBAPP0001",
            securityGroupIds: ["sg-0a1b2c3d4e5f60002", "sg-0a1b2c3d4e5f60001"],
            vpcId: "vpc-0a1b2c3d4e5f60001", subnetId: "subnet-0a1b2c3d4e5f60001", privateIpAddress: "10.0.1.17",
            publicIpAddress: "203.0.113.10", tags: [Tag(key: "Name", value: "web-1"), Tag(key: "app", value: "web")]),
    ]

    static let vpcEndpoints = [
        VPCEndpoint(
            vpcEndpointId: "vpce-0a1b2c3d4e5f60002", region: "us-east-1", vpcEndpointType: "Interface",
            serviceName: "com.amazonaws.us-east-1.sts", vpcId: "vpc-0a1b2c3d4e5f60001", state: "available",
            creationTimestamp: "2024-06-01T09:30:00.000Z",
            tags: [Tag(key: "Name", value: "sts"), Tag(key: "env", value: "prod")]),
        VPCEndpoint(
            vpcEndpointId: "vpce-0a1b2c3d4e5f60001", region: "us-east-1", vpcEndpointType: "Gateway",
            serviceName: "com.amazonaws.us-east-1.s3", vpcId: "vpc-0a1b2c3d4e5f60001", state: "available",
            creationTimestamp: "2024-06-01T09:20:00.000Z",
            policyDocument:
                #"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
            tags: [Tag(key: "Name", value: "s3"), Tag(key: "env", value: "prod")]),
    ]

    static let securityGroups = [
        SecurityGroup(
            groupId: "sg-0f9e8d7c6b5a40001", region: "eu-west-1", groupName: "launch-wizard-1",
            description: "launch-wizard-1 created 2026-11-29T02:21:40.000Z", vpcId: "vpc-0f9e8d7c6b5a40001",
            ingress: [
                SecurityGroupRule(
                    ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: ["0.0.0.0/0"], ipv6Ranges: ["::/0"]),
                SecurityGroupRule(ipProtocol: "icmp", fromPort: -1, toPort: -1, ipv4Ranges: ["0.0.0.0/0"]),
            ],
            egress: [SecurityGroupRule(ipProtocol: "-1", ipv4Ranges: ["0.0.0.0/0"])]),
        SecurityGroup(
            groupId: "sg-0a1b2c3d4e5f60002", region: "us-east-1", groupName: "web", description: "HTTPS from anywhere",
            vpcId: "vpc-0a1b2c3d4e5f60001",
            ingress: [
                SecurityGroupRule(
                    ipProtocol: "tcp", fromPort: 443, toPort: 443, ipv4Ranges: ["0.0.0.0/0"], ipv6Ranges: ["::/0"]),
                SecurityGroupRule(
                    ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: ["203.0.113.0/24", "198.51.100.0/24"],
                    prefixListIds: ["pl-0a1b2c3d4e5f60001"]),
            ],
            egress: [
                SecurityGroupRule(ipProtocol: "-1", ipv4Ranges: ["0.0.0.0/0"]),
                SecurityGroupRule(ipProtocol: "tcp", fromPort: 5432, toPort: 5432, groupIds: ["sg-0a1b2c3d4e5f60001"]),
            ]),
        SecurityGroup(
            groupId: "sg-0a1b2c3d4e5f60001", region: "us-east-1", groupName: "default",
            description: "default VPC security group", vpcId: "vpc-0a1b2c3d4e5f60001",
            ingress: [SecurityGroupRule(ipProtocol: "-1", groupIds: ["sg-0a1b2c3d4e5f60001"])],
            egress: [SecurityGroupRule(ipProtocol: "-1", ipv4Ranges: ["0.0.0.0/0"])]),
    ]

    static let keyPairs = [
        KeyPair(
            keyPairId: "key-0f9e8d7c6b5a40001", region: "eu-west-1", keyName: "tmp-key",
            keyFingerprint: "b7:3e:1c:0a:5d:92:4f:61:88:2a:c0:3d:7e:19:b4:55:60:ad:f2:13",
            createTime: "2026-11-29T02:19:55.000Z"),
        KeyPair(
            keyPairId: "key-0a1b2c3d4e5f60001", region: "us-east-1", keyName: "ops-2024",
            keyFingerprint: "1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f",
            createTime: "2024-01-02T10:00:00.000Z"),
        KeyPair(keyPairId: nil, region: "us-east-1", keyName: "legacy-2016"),
    ]

    static let trails = [
        Trail(
            name: "eu-audit", trailArn: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit",
            homeRegion: "eu-west-1", s3BucketName: "example-eu-audit-logs", includeGlobalServiceEvents: false,
            isLogging: false, startLoggingTime: "2024-02-01T00:00:00Z", stopLoggingTime: "2026-11-29T02:16:40Z",
            latestDeliveryTime: "2026-11-29T02:15:02Z", latestDeliveryError: "AccessDenied",
            advancedEventSelectors: [
                [
                    "Name": "Management events",
                    "FieldSelectors": [["Field": "eventCategory", "Equals": ["Management"]]],
                ]
            ]),
        Trail(
            name: "org-trail", trailArn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail",
            homeRegion: "us-east-1", s3BucketName: "example-org-cloudtrail", s3KeyPrefix: "org",
            isMultiRegionTrail: true, isOrganizationTrail: true, logFileValidationEnabled: true,
            includeGlobalServiceEvents: true,
            kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", isLogging: true,
            startLoggingTime: "2019-06-03T10:10:00Z", latestDeliveryTime: "2026-11-29T03:05:11Z",
            eventSelectors: [
                [
                    "ReadWriteType": "All", "IncludeManagementEvents": true,
                    "DataResources": [["Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]]],
                    "ExcludeManagementEventSources": [],
                ]
            ]),
    ]

    static let detectors = [
        GuardDutyDetector(
            detectorId: "6ec5c1a0a2a44d6b8f0e3c4f5a6b7c8d", region: "us-east-1", status: "ENABLED",
            createdAt: "2021-03-01T12:00:00.000Z", updatedAt: "2025-01-10T08:00:00.000Z",
            findingPublishingFrequency: "SIX_HOURS",
            features: [
                DetectorFeature(name: "S3_DATA_EVENTS", status: "ENABLED"),
                DetectorFeature(name: "EKS_AUDIT_LOGS", status: "DISABLED"),
                DetectorFeature(name: "RUNTIME_MONITORING", status: "ENABLED"),
            ]),
        GuardDutyDetector(
            detectorId: "b4c2e8f7a1d34e6f9c0b5a7d3e1f2c4a", region: "eu-west-1", status: "DISABLED",
            createdAt: "2021-03-01T12:05:00.000Z", updatedAt: "2026-11-29T02:17:12.000Z",
            features: [
                DetectorFeature(name: "S3_DATA_EVENTS", status: "ENABLED"),
                DetectorFeature(name: "EBS_MALWARE_PROTECTION", status: "ENABLED"),
            ]),
    ]

    static let snapshot = Snapshot(
        account: AccountInfo(
            accountId: accountId, alias: "example-prod",
            organization: OrganizationMembership(
                id: "o-a1b2c3d4e5", arn: "arn:aws:organizations::999988887777:organization/o-a1b2c3d4e5",
                managementAccountId: "999988887777", managementAccountEmail: "aws-root@example.com"),
            enabledRegions: ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"],
            collectedRegions: ["us-east-1", "eu-west-1", "us-west-2"],
            callerIdentity: CallerIdentity(
                arn: "arn:aws:sts::111122223333:assumed-role/IncidentResponse/custody-2026-11-29",
                userId: "AROAQX2KT5INCIDENT01:custody-2026-11-29", account: accountId)),
        users: users, roles: roles, groups: groups, policies: policies, instanceProfiles: instanceProfiles,
        identityProviders: identityProviders, credentialReport: credentialReport, instances: instances,
        vpcEndpoints: vpcEndpoints, securityGroups: securityGroups, keyPairs: keyPairs, trails: trails,
        detectors: detectors)

    /// `snapshot` with every list `normalised()` sorts reversed, nested lists too.
    static func scrambled(_ snapshot: Snapshot) -> Snapshot {
        var copy = snapshot
        copy.users = snapshot.users.reversed().map { user in
            var user = user
            user.groups.reverse()
            user.attachedPolicies.reverse()
            user.inlinePolicies.reverse()
            user.accessKeys.reverse()
            user.mfaDevices.reverse()
            user.sshPublicKeys.reverse()
            user.serviceSpecificCredentials.reverse()
            user.signingCertificates.reverse()
            user.tags.reverse()
            return user
        }
        copy.roles = snapshot.roles.reversed().map { role in
            var role = role
            role.attachedPolicies.reverse()
            role.inlinePolicies.reverse()
            role.instanceProfiles.reverse()
            role.tags.reverse()
            return role
        }
        copy.groups = snapshot.groups.reversed().map { group in
            var group = group
            group.attachedPolicies.reverse()
            group.inlinePolicies.reverse()
            return group
        }
        copy.policies.reverse()
        copy.instanceProfiles = snapshot.instanceProfiles.reversed().map { profile in
            var profile = profile
            profile.roles.reverse()
            return profile
        }
        copy.identityProviders.saml.reverse()
        copy.identityProviders.oidc.reverse()
        copy.instances = snapshot.instances.reversed().map { instance in
            var instance = instance
            instance.securityGroupIds.reverse()
            instance.tags.reverse()
            return instance
        }
        copy.vpcEndpoints.reverse()
        copy.securityGroups.reverse()
        copy.keyPairs.reverse()
        copy.trails.reverse()
        copy.detectors.reverse()
        return copy
    }
}
