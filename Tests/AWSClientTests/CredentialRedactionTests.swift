import Foundation
import Testing

@testable import AWSClient

/// Stored answers that carry credentials keep none of them: every occurrence, whatever the form
/// of the element or member that holds it.
@Suite struct CredentialRedactionTests {
    static func redacted(_ text: String) -> String {
        String(decoding: AWS.redactCredentials(Data(text.utf8)), as: UTF8.self)
    }

    @Test(arguments: [
        "<SecretAccessKey>SECRET-1</SecretAccessKey>",
        "<SecretAccessKey xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">SECRET-1</SecretAccessKey>",
        "<sts:SessionToken>SECRET-1</sts:SessionToken>",
        "<SessionToken a='1' b=\"x>y\">SECRET-1</SessionToken >",
        "<secretAccessKey>SECRET-1</secretAccessKey>",
        "<Password>SECRET-1</Password>",
        "<passwordData>SECRET-1</passwordData>",
        "<KeyMaterial>SECRET-1</KeyMaterial>",
        "<PrivateKey>SECRET-1</PrivateKey>",
        #"{"SecretAccessKey":"SECRET-1"}"#,
        #"{"SessionToken" : "SECRET-1"}"#,
        #"{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"SECRET-1","sessionToken":"SECRET-1"}}"#,
        #"{"AccessKeyId":"ASIA","SecretAccessKey":"SECRET-1","Token":"SECRET-1"}"#,
        #"{"SecretAccessKey":"SECRET-1 with \" quote and \\ slash"}"#,
        #"{"body":"{\"SecretAccessKey\":\"SECRET-1\"}"}"#,
    ])
    func removesTheSecretOfEveryForm(_ body: String) {
        let out = Self.redacted(body)
        #expect(!out.contains("SECRET-1"), "\(out)")
        #expect(out.contains("redacted"))
    }

    @Test func removesEveryOccurrenceAfterOneAlreadyRedacted() {
        var body = "<Credentials><SecretAccessKey>&lt;redacted&gt;</SecretAccessKey>"
        for n in 0..<50 {
            body += "<SecretAccessKey>SECRET-\(n)</SecretAccessKey><SessionToken>TOKEN-\(n)</SessionToken>"
            body += #"{"secretAccessKey":"JSON-SECRET-\#(n)","sessionToken":"JSON-TOKEN-\#(n)"}"#
        }
        body += "</Credentials>"
        let out = Self.redacted(body)
        for marker in ["SECRET-", "TOKEN-"] { #expect(!out.contains(marker), "\(out.prefix(400))") }
        #expect(out.components(separatedBy: "&lt;redacted&gt;").count - 1 == 101)
        #expect(out.components(separatedBy: #""<redacted>""#).count - 1 == 100)
    }

    @Test func keepsWhatIsNoSecret() {
        let body = """
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>\
            <SecretAccessKey>s</SecretAccessKey><Expiration>2031-01-01T00:00:00Z</Expiration></Credentials>\
            <PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength></PasswordPolicy>\
            <SessionTokenless/><NextToken>page-2</NextToken></AssumeRoleResult></AssumeRoleResponse>
            """
        let out = Self.redacted(body)
        for kept in [
            "ASIAEXAMPLE", "2031-01-01T00:00:00Z", "<MinimumPasswordLength>14<", "page-2", "<SessionTokenless/>",
        ] {
            #expect(out.contains(kept), "\(kept) in \(out)")
        }
        #expect(out.contains("<SecretAccessKey>&lt;redacted&gt;</SecretAccessKey>"))
        #expect(Self.redacted(#"{"NextToken":"page-2","Tokens":["a"]}"#) == #"{"NextToken":"page-2","Tokens":["a"]}"#)
    }

    @Test func redactsToTheEndWhenAnElementIsNeverClosed() {
        let out = Self.redacted("<SecretAccessKey>SECRET-1 and the rest")
        #expect(!out.contains("SECRET-1"))
        let json = Self.redacted(#"{"SessionToken":"SECRET-1"#)
        #expect(!json.contains("SECRET-1"))
    }
}
