import CustodyJSON
import Evidence
import Foundation
import Testing

/// Users, roles and instances are decoded from the tape by hand (`TapeDecodable`, next to each
/// model); each must be what Foundation's `JSONDecoder` makes of the same text, and fail where it fails.
@Suite struct TapeDecodableTests {
    static let users = [
        // Every member, a key written with an escape, and members no version of Custody wrote.
        #"""
        {"user\u004eame":"alice","userId":"AIDA1","arn":"arn:aws:iam::1:user/alice","path":"/ops/","createDate":"2026-01-01T00:00:00Z",
         "passwordLastUsed":"2026-02-01T00:00:00Z","permissionsBoundary":"arn:aws:iam::1:policy/b","groups":["g1","g\"2"],
         "attachedPolicies":[{"policyName":"p","policyArn":"arn:aws:iam::aws:policy/p"}],
         "inlinePolicies":[{"policyName":"i","document":{"Statement":[{"Effect":"Allow","Action":"*","N":1.5,"B":false,"Z":null}]}}],
         "accessKeys":[{"accessKeyId":"AKIA1","status":"Active","createDate":"2026-01-02T00:00:00Z","lastUsed":{"date":null,"serviceName":"N/A"}},
                       {"accessKeyId":"AKIA2","status":"Inactive","createDate":"2026-01-03T00:00:00Z"}],
         "loginProfile":{"createDate":"2026-01-04T00:00:00Z","passwordResetRequired":true},
         "mfaDevices":[{"serialNumber":"arn:aws:iam::1:mfa/a","enableDate":"2026-01-05T00:00:00Z"}],
         "sshPublicKeys":[{"sshPublicKeyId":"APKA1","status":"Active","uploadDate":"2026-01-06T00:00:00Z"}],
         "serviceSpecificCredentials":[{"serviceSpecificCredentialId":"ACCA1","serviceName":"codecommit.amazonaws.com","serviceUserName":"alice-at-1","status":"Active","createDate":"2026-01-07T00:00:00Z"}],
         "signingCertificates":[{"certificateId":"C1","status":"Active"}],"tags":[{"key":"team","value":"zürich 😀"}],"extra":{"ignored":[1,2]}}
        """#,
        // Only what is required, optionals null.
        #"""
        {"userName":"bob","userId":"AIDA2","arn":"a","path":"/","createDate":"c","passwordLastUsed":null,"permissionsBoundary":null,
         "groups":[],"attachedPolicies":[],"inlinePolicies":[],"accessKeys":[],"loginProfile":null,"mfaDevices":[],"sshPublicKeys":[],
         "serviceSpecificCredentials":[],"signingCertificates":[],"tags":[]}
        """#,
    ]

    /// Each breaks the shape in one way.
    static let brokenUsers = [
        #"{"userName":"x","arn":"a","path":"/","createDate":"c","groups":[],"attachedPolicies":[],"inlinePolicies":[],"accessKeys":[],"mfaDevices":[],"sshPublicKeys":[],"serviceSpecificCredentials":[],"signingCertificates":[],"tags":[]}"#,
        #"{"userName":5,"userId":"u","arn":"a","path":"/","createDate":"c","groups":[],"attachedPolicies":[],"inlinePolicies":[],"accessKeys":[],"mfaDevices":[],"sshPublicKeys":[],"serviceSpecificCredentials":[],"signingCertificates":[],"tags":[]}"#,
        #"{"userName":"x","userId":"u","arn":"a","path":"/","createDate":"c","groups":null,"attachedPolicies":[],"inlinePolicies":[],"accessKeys":[],"mfaDevices":[],"sshPublicKeys":[],"serviceSpecificCredentials":[],"signingCertificates":[],"tags":[]}"#,
        #"{"userName":"x","userId":"u","arn":"a","path":"/","createDate":"c","groups":[],"attachedPolicies":[],"inlinePolicies":[],"accessKeys":[{"accessKeyId":"AKIA","createDate":"c"}],"mfaDevices":[],"sshPublicKeys":[],"serviceSpecificCredentials":[],"signingCertificates":[],"tags":[]}"#,
        #"{"userName":"x","userId":"u","arn":"a","path":"/","createDate":"c","groups":[],"attachedPolicies":[],"inlinePolicies":[],"accessKeys":[],"loginProfile":{"createDate":"c"},"mfaDevices":[],"sshPublicKeys":[],"serviceSpecificCredentials":[],"signingCertificates":[],"tags":[]}"#,
        #"{"userName":"x","userId":"u","arn":"a","path":"/","createDate":"c","passwordLastUsed":7,"groups":[],"attachedPolicies":[],"inlinePolicies":[],"accessKeys":[],"mfaDevices":[],"sshPublicKeys":[],"serviceSpecificCredentials":[],"signingCertificates":[],"tags":[]}"#,
        #"["not an object"]"#,
    ]

    static let roles = [
        #"{"roleName":"r","roleId":"AROA1","arn":"a","path":"/","createDate":"c","description":"d\nx","maxSessionDuration":43200,"trustPolicy":{"Statement":[]},"permissionsBoundary":null,"attachedPolicies":[],"inlinePolicies":[],"instanceProfiles":["ip"],"lastUsed":{"region":"us-east-1"},"tags":[]}"#,
        #"{"roleName":"r","roleId":"AROA1","arn":"a","path":"/","createDate":"c","trustPolicy":null,"attachedPolicies":[],"inlinePolicies":[],"instanceProfiles":[],"tags":[]}"#,
        #"{"roleName":"r","roleId":"AROA1","arn":"a","path":"/","createDate":"c","maxSessionDuration":1.5,"trustPolicy":{},"attachedPolicies":[],"inlinePolicies":[],"instanceProfiles":[],"tags":[]}"#,
        #"{"roleName":"r","roleId":"AROA1","arn":"a","path":"/","createDate":"c","attachedPolicies":[],"inlinePolicies":[],"instanceProfiles":[],"tags":[]}"#,
    ]

    static let instances = [
        #"{"instanceId":"i-1","region":"us-east-1","state":"running","launchTime":"t","instanceType":"t3.micro","imageId":"ami-1","keyName":"k","instanceProfileArn":"arn","instanceProfileId":"AIPA","securityGroupIds":["sg-1"],"vpcId":"vpc-1","subnetId":"subnet-1","privateIpAddress":"10.0.0.1","publicIpAddress":"1.2.3.4","tags":[{"key":"Name","value":"web"}]}"#,
        #"{"instanceId":"i-2","region":"eu-west-1","state":"stopped","securityGroupIds":[],"tags":[]}"#,
        #"{"instanceId":"i-3","region":"eu-west-1","state":"stopped","securityGroupIds":[7],"tags":[]}"#,
        #"{"instanceId":"i-4","region":"eu-west-1","state":"stopped","securityGroupIds":[],"tags":[{"key":"k"}]}"#,
    ]

    /// Decodes `text` both ways; both must give the same value, or both fail.
    static func agree<T: Decodable & Equatable>(_ type: T.Type, _ text: String) throws -> Bool {
        let bytes = Array(text.utf8)
        let tape = try #require(JSONTape.parse(bytes))
        let expected = try? JSONDecoder().decode(T.self, from: Data(bytes))
        let fast = try? TapeDecoder.decode(T.self, tape, 0)
        if let decodable = T.self as? any TapeDecodable.Type {
            #expect((try? decodable.init(tape: tape, node: 0)) as? T == expected, "\(text)")
        }
        #expect(fast == expected, "\(text)")
        return expected != nil
    }

    @Test func usersAsFoundationDecodesThem() throws {
        #expect(try Self.users.allSatisfy { try Self.agree(IAMUser.self, $0) })
        #expect(try Self.brokenUsers.allSatisfy { try !Self.agree(IAMUser.self, $0) })
    }

    @Test func rolesAsFoundationDecodesThem() throws {
        #expect(try Self.roles.map { try Self.agree(IAMRole.self, $0) } == [true, true, false, false])
    }

    @Test func instancesAsFoundationDecodesThem() throws {
        #expect(try Self.instances.map { try Self.agree(EC2Instance.self, $0) } == [true, true, false, false])
    }
}
