import AWSClient
@testable import Collect
import Foundation
import Testing

/// One Athena query as a sweep runs it: started as the one write, waited for, every result page read
/// into rows by column name, the result file fetched as Athena wrote it; a failed query is an error
/// that says why.
@Suite struct AthenaQueryRunnerTests {
    /// Answers Athena's and S3's calls from a script, recording what was asked.
    final class ScriptedAthena: HTTPTransport, @unchecked Sendable {
        let lock = NSLock()
        var asked: [String] = []
        var describeCount = 0
        let finalState: String
        /// How long the first `GetQueryExecution` takes to answer.
        let firstDescribeDelay: Duration

        init(finalState: String = "SUCCEEDED", firstDescribeDelay: Duration = .zero) {
            self.finalState = finalState
            self.firstDescribeDelay = firstDescribeDelay
        }

        func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
            let target = request.headers["X-Amz-Target"] ?? "\(request.method) \(request.host)\(request.path)"
            if target == "AmazonAthena.GetQueryExecution" && lock.withLock({ describeCount == 0 }) {
                try await Task.sleep(for: firstDescribeDelay)
            }
            let body: String = lock.withLock {
                asked.append(target)
                switch target {
                case "AmazonAthena.StartQueryExecution":
                    return #"{"QueryExecutionId":"q-1"}"#
                case "AmazonAthena.GetQueryExecution":
                    describeCount += 1
                    let state = describeCount < 2 ? "RUNNING" : finalState
                    return """
                        {"QueryExecution":{"QueryExecutionId":"q-1","Status":{"State":"\(state)",
                        "StateChangeReason":"TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.security.trail' does not exist"},
                        "Statistics":{"DataScannedInBytes":52428800},
                        "ResultConfiguration":{"OutputLocation":"s3://results/custody/q-1.csv"}}}
                        """
                case "AmazonAthena.GetQueryResults":
                    return """
                        {"ResultSet":{"ResultSetMetadata":{"ColumnInfo":[{"Name":"event_id"},{"Name":"created_key"}]},
                        "Rows":[{"Data":[{"VarCharValue":"event_id"},{"VarCharValue":"created_key"}]},
                        {"Data":[{"VarCharValue":"e-1"},{}]},
                        {"Data":[{"VarCharValue":"e-2"},{"VarCharValue":"AKIAEXAMPLECREATED01"}]}]}}
                        """
                default:
                    return "\"event_id\",\"created_key\"\n\"e-1\",\n\"e-2\",\"AKIAEXAMPLECREATED01\"\n"
                }
            }
            return HTTPResponse(statusCode: 200, body: Data(body.utf8))
        }
    }

    func client(_ transport: ScriptedAthena) throws -> AWS {
        try AWS(
            AWSConfiguration(
                region: "us-east-1", environment: ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent"],
                transport: transport,
                credentialProvider: StaticCredentialProvider(
                    AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"))))
    }

    @Test func anAnswerThatArrivesAfterTheTimeoutIsAskedForOnceMore() async throws {
        // The first answer of a query says RUNNING, as Athena's does; it arrives after the timeout, as
        // on a machine too busy to read it sooner. The query is asked for again, not given up on.
        let transport = ScriptedAthena(firstDescribeDelay: .milliseconds(300))
        var runner = AthenaQueryRunner(
            aws: try client(transport), workGroup: nil, outputLocation: "s3://results/custody/")
        runner.timeout = .milliseconds(100)
        runner.sleep = { _ in }
        let execution = try await runner.run("SELECT 1")
        #expect(execution.described.output.queryExecution?.status?.state == "SUCCEEDED")
        #expect(transport.describeCount == 2)
    }

    @Test func runsAQueryAndKeepsWhatAthenaGave() async throws {
        let transport = ScriptedAthena()
        var runner = AthenaQueryRunner(
            aws: try client(transport), workGroup: "responders", outputLocation: "s3://results/custody/")
        runner.sleep = { _ in }
        let execution = try await runner.run("SELECT 1")
        #expect(execution.id == "q-1")
        #expect(execution.bytesScanned == 52_428_800)
        #expect(execution.rows.map { $0["event_id"] } == ["e-1", "e-2"])
        #expect(execution.rows.map { $0["created_key"] } == [nil, "AKIAEXAMPLECREATED01"])
        #expect(execution.resultPages.count == 1)
        #expect(execution.resultFile?.location == "s3://results/custody/q-1.csv")
        let file = try #require(execution.resultFile)
        #expect(String(decoding: file.bytes, as: UTF8.self).hasPrefix("\"event_id\""))
        #expect(
            transport.asked.prefix(4) == [
                "AmazonAthena.StartQueryExecution", "AmazonAthena.GetQueryExecution", "AmazonAthena.GetQueryExecution",
                "AmazonAthena.GetQueryResults",
            ])
        #expect(transport.asked.last?.hasPrefix("GET ") == true)
    }

    @Test func aFailedQueryIsAnErrorThatSaysWhy() async throws {
        var runner = AthenaQueryRunner(
            aws: try client(ScriptedAthena(finalState: "FAILED")), workGroup: nil, outputLocation: nil)
        runner.sleep = { _ in }
        do {
            _ = try await runner.run("SELECT 1")
            Issue.record("a failed query was taken for a result")
        } catch let error as CollectError {
            #expect(error.message.contains("ended FAILED: TABLE_NOT_FOUND"), "\(error.message)")
        }
    }

    @Test func readsTheBucketAndKeyOfAnOutputLocation() {
        #expect(AthenaQueryRunner.s3("s3://results/custody/q-1.csv")! == ("results", "custody/q-1.csv"))
        #expect(AthenaQueryRunner.s3("s3://results/") == nil)
        #expect(AthenaQueryRunner.s3("https://results/q.csv") == nil)
    }
}
