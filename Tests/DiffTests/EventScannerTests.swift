import CustodyJSON
import Evidence
import Testing

@testable import Diff
import EvidenceReading

/// The caller scan (`EventScanner`) reads a `userIdentity` as the tree parser reads it: the last
/// of a repeated member, names written with escapes, and escapes decoded by `JSONEscape`.
@Suite struct EventScannerTests {
    /// The members the scan found, decoded, by their place in the tree.
    static func scanned(_ identity: String) -> [String: String] {
        Array(identity.utf8).withUnsafeBufferPointer { bytes in
            let fields = EventScanner.scanIdentity(bytes)
            let spans: [(String, EventScanner.Span?)] = [
                ("type", fields.identityType), ("principalId", fields.principalId), ("arn", fields.arn),
                ("accountId", fields.accountId), ("accessKeyId", fields.accessKeyId), ("userName", fields.userName),
                ("invokedBy", fields.invokedBy), ("sessionContext.attributes.creationDate", fields.sessionCreationDate),
                ("sessionContext.sessionIssuer.type", fields.issuerType),
                ("sessionContext.sessionIssuer.arn", fields.issuerArn),
                ("sessionContext.sessionIssuer.userName", fields.issuerUserName),
                ("sessionContext.sessionIssuer.accountId", fields.issuerAccountId),
            ]
            var found: [String: String] = [:]
            for (name, span) in spans {
                guard let span else { continue }
                let content = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
                found[name] = String(
                    decoding: span.escaped ? EventScanner.unescape(content) : Array(content), as: UTF8.self)
            }
            if let mfa = fields.mfaAuthenticated { found["sessionContext.attributes.mfaAuthenticated"] = "\(mfa)" }
            return found
        }
    }

    /// The same members as the tree parser finds them: strings (and `mfaAuthenticated` as a boolean).
    static func tree(_ identity: String) throws -> [String: String] {
        let value = try Array(identity.utf8).withUnsafeBufferPointer { try JSONScanner.parseDocument($0) }
        var found: [String: String] = [:]
        for name in [
            "type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy",
            "sessionContext.attributes.creationDate", "sessionContext.sessionIssuer.type",
            "sessionContext.sessionIssuer.arn", "sessionContext.sessionIssuer.userName",
            "sessionContext.sessionIssuer.accountId",
        ] {
            let member = name.split(separator: ".").reduce(value as JSONValue?) { $0?[String($1)] }
            if let text = member?.stringValue { found[name] = text }
        }
        switch value["sessionContext"]?["attributes"]?["mfaAuthenticated"] {
        case .bool(let flag)?: found["sessionContext.attributes.mfaAuthenticated"] = "\(flag)"
        case .string(let text)? where text == "true" || text == "false":
            found["sessionContext.attributes.mfaAuthenticated"] = text
        default: break
        }
        return found
    }

    static let identities = [
        #"{"type":"IAMUser","arn":"arn:aws:iam::1:user/first","userName":"a","arn":"arn:aws:iam::1:user/last"}"#,
        #"{"type":"IAMUser","arn":"arn:aws:iam::1:user/a","arn":5,"userName":null}"#,
        #"""
        {"type":"AssumedRole","sessionContext":{"attributes":{"mfaAuthenticated":"true","creationDate":"d1"},
         "sessionIssuer":{"arn":"arn:aws:iam::1:role/r","type":"Role"}},
         "sessionContext":{"sessionIssuer":{"type":"Role","userName":"r"}}}
        """#,
        #"{"sessionContext":{"attributes":{"mfaAuthenticated":true},"attributes":{"creationDate":"d2"}}}"#,
        #"{"sessionContext":{"attributes":{"mfaAuthenticated":false,"mfaAuthenticated":"false"}},"sessionContext":5}"#,
        #"{"\u0061rn":"escaped name","userName":"caf\u00e9 \ud800 \ud83d\ude00","t\u0079pe":"Root","type":"IAMUser"}"#,
        #"{"accountId":"1","sessionContext":{"attributes":{"mfaAuthenticated":1}},"invokedBy":"ec2.amazonaws.com"}"#,
    ]

    @Test(arguments: identities.indices)
    func readsTheIdentityAsTheTreeParserDoes(index: Int) throws {
        let identity = Self.identities[index]
        #expect(Self.scanned(identity) == (try Self.tree(identity)), "\(identity)")
    }

    @Test func theLastRepeatedMemberWins() {
        #expect(Self.scanned(Self.identities[0])["arn"] == "arn:aws:iam::1:user/last")
        #expect(Self.scanned(Self.identities[1])["arn"] == nil)
        let replaced = Self.scanned(Self.identities[2])
        #expect(replaced["sessionContext.sessionIssuer.userName"] == "r")
        #expect(replaced["sessionContext.sessionIssuer.arn"] == nil)
        #expect(replaced["sessionContext.attributes.mfaAuthenticated"] == nil)
    }

    @Test func textThatIsNotJSONKeepsWhatWasFoundBeforeIt() {
        #expect(Self.scanned(#"{"type":"IAMUser","arn":"a", oops}"#) == ["type": "IAMUser", "arn": "a"])
    }
}
