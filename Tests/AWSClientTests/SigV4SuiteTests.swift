import Foundation
import Testing

@testable import AWSClient

/// The official AWS Signature Version 4 test suite (botocore's copy; see FIXTURES.md for why not aws-c-auth's
/// for the two form-encoded cases): every case's canonical request, string to sign and Authorization header.
@Suite struct SigV4SuiteTests {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let token =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8"
        + "YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q"
        + "6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQ"
        + "wj2ICCR/oLxBA=="
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z

    static var cases: [String] {
        let root = Resources.url("sigv4/aws4_testsuite")
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        var names: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "req" {
            names.append(String(url.deletingPathExtension().path.dropFirst(root.path.count + 1)))
        }
        return names.sorted()
    }

    /// Parses a `.req` file: request line, headers with continuation lines, blank line, body.
    static func request(_ text: String) -> HTTPRequest {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        var target = String(requestLine.dropFirst(method.count + 1))
        if let range = target.range(of: " HTTP/1.1", options: .backwards) {
            target = String(target[..<range.lowerBound])
        }
        var headers: [(String, String)] = []
        var bodyLines: [String] = []
        var inBody = false
        for line in lines {
            if inBody {
                bodyLines.append(line)
            } else if line.isEmpty {
                inBody = true
            } else if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        let path = String(target.prefix { $0 != "?" })
        let query = target.contains("?") ? String(target.drop { $0 != "?" }.dropFirst()) : ""
        let host = headers.first { $0.0.lowercased() == "host" }?.1 ?? "example.amazonaws.com"
        return HTTPRequest(
            method: method, host: host, path: path, query: query, headers: HTTPHeaders(headers),
            body: Data(bodyLines.joined(separator: "\n").utf8))
    }

    @Test(arguments: cases)
    func signsLikeTheSuite(_ name: String) throws {
        let base = "sigv4/aws4_testsuite/\(name)"
        let request = Self.request(try Resources.text(base + ".req"))
        let token: String? =
            name.contains("post-sts-token")
            ? Self.token
            : name.contains("with-session-token")
                ? "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267" : nil
        let signer = SigV4Signer(
            service: "service", region: "us-east-1", signsSessionToken: !name.hasSuffix("post-sts-header-after"))
        let credentials = AWSCredentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: token
        )
        let signature = signer.signature(for: request, credentials: credentials, date: Self.date)
        #expect(signature.canonicalRequest == (try Resources.text(base + ".creq")))
        #expect(signature.stringToSign == (try Resources.text(base + ".sts")))
        #expect(signature.authorization == (try Resources.text(base + ".authz")))
    }

    @Test func suiteIsComplete() {
        #expect(Self.cases.count >= 30)
        #expect(Self.cases.contains("normalize-path/get-slash-dot-slash/get-slash-dot-slash"))
        #expect(Self.cases.contains("post-sts-token/post-sts-header-after/post-sts-header-after"))
    }

    /// The S3 example of the S3 API reference ("GET Object" with a Range header): the S3 variant signs the path
    /// as sent and adds x-amz-content-sha256.
    @Test func s3VariantMatchesTheS3Example() {
        let request = HTTPRequest(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
            headers: ["Range": "bytes=0-9"])
        let signer = SigV4Signer(service: "s3", region: "us-east-1", variant: .s3)
        let credentials = AWSCredentials(
            accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let signature = signer.signature(
            for: request, credentials: credentials, date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signature.request.headers["x-amz-content-sha256"] == SigV4Signer.emptyPayloadHash)
    }

    @Test func s3VariantKeepsRepeatedSlashesAndDots() {
        let request = HTTPRequest(method: "GET", host: "b.s3.amazonaws.com", path: "/my-object//example//photo.user")
        let s3 = SigV4Signer(service: "s3", region: "us-east-1", variant: .s3)
        let standard = SigV4Signer(service: "s3", region: "us-east-1")
        #expect(s3.canonicalRequest(for: request).contains("\n/my-object//example//photo.user\n"))
        #expect(standard.canonicalRequest(for: request).contains("\n/my-object/example/photo.user\n"))
    }
}
