import Foundation
import Testing

@testable import AWSClient

/// Signs 1,200 generated requests (`tools/sigv4-differential.py`) and compares with botocore's `SigV4Auth` and
/// `S3SigV4Auth` on every one: canonical request and Authorization header.
@Suite struct SigV4DifferentialTests {
    struct Case: Decodable {
        struct Body: Decodable {
            var base64: String?
            var size: Int?
            var seed: Int?
        }
        var id: Int
        var method: String
        var scheme: String
        var host: String
        var port: Int?
        var path: String
        var query: String
        var headers: [[String]]
        var body: Body?
        var token: String?
        var service: String
        var region: String
        var s3: Bool
        var canonical: String
        var authorization: String

        var bodyData: Data {
            guard let body else { return Data() }
            if let base64 = body.base64 { return Data(base64Encoded: base64)! }
            let size = body.size!, seed = body.seed!
            let block = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) }
            var data = Data(capacity: size + 256)
            while data.count < size { data.append(contentsOf: block) }
            return data.prefix(size)
        }
    }

    @Test
    func matchesBotocoreOnGeneratedRequests() throws {
        let script = Resources.url("tools/sigv4-differential.py").path
        let (status, output, errors) = try Python.run([script, "1200", "20261129"])
        try #require(status == 0, "the generator failed: \(errors)")
        let decoder = JSONDecoder()
        let cases = try output.split(separator: UInt8(ascii: "\n")).map {
            try decoder.decode(Case.self, from: Data($0))
        }
        #expect(cases.count == 1200)
        var failures: [String] = []
        var s3Count = 0, tokenCount = 0, largeCount = 0
        for testCase in cases {
            if testCase.s3 { s3Count += 1 }
            if testCase.token != nil { tokenCount += 1 }
            if (testCase.body?.size ?? 0) > 0 { largeCount += 1 }
            let request = HTTPRequest(
                method: testCase.method, scheme: testCase.scheme, host: testCase.host, port: testCase.port,
                path: testCase.path, query: testCase.query,
                headers: HTTPHeaders(testCase.headers.map { ($0[0], $0[1]) }), body: testCase.bodyData)
            let signer = SigV4Signer(
                service: testCase.service, region: testCase.region, variant: testCase.s3 ? .s3 : .standard)
            let credentials = AWSCredentials(
                accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                sessionToken: testCase.token)
            let signature = signer.signature(
                for: request, credentials: credentials, date: Date(timeIntervalSince1970: 1_440_938_160))
            if signature.authorization != testCase.authorization {
                failures.append(
                    "case \(testCase.id):\n--- botocore\n\(testCase.canonical)\n--- custody\n\(signature.canonicalRequest)"
                )
            }
        }
        #expect(
            failures.isEmpty,
            "\(failures.count) of \(cases.count) differ; first: \(failures.prefix(3).joined(separator: "\n"))")
        #expect(
            s3Count > 100 && tokenCount > 100 && largeCount > 10,
            "\(s3Count) S3, \(tokenCount) token, \(largeCount) large")
    }
}
