import CustodyJSON
import Foundation
import Testing

@testable import AWSClient

/// Athena's calls on the wire, and the one write they include: a query is sent only where a sweep
/// permits it, and nothing else becomes writable there.
@Suite struct AthenaTests {
    static let started = #"{"QueryExecutionId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"}"#

    @Test func startingAQueryIsRefusedOutsideASweepBeforeAnythingIsSent() async throws {
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 200, body: Data(Self.started.utf8)) }
        let counter = CallCounter()
        let aws = try testClient(transport: transport).withCredentials(counter)
        await #expect(throws: AWSClientError(.operationNotAllowed, "")) {
            _ = try await aws.athena.startQueryExecution("SELECT 1", workGroup: "primary")
        }
        #expect(transport.requests.isEmpty)
        #expect(counter.count == 0)
        #expect(!ReadOnlyPolicy.isAllowed("StartQueryExecution", service: "athena"))
    }

    @Test func aSweepSendsItsQueryAsAthenaDocumentsIt() async throws {
        let transport = MockTransport { _, _ in HTTPResponse(statusCode: 200, body: Data(Self.started.utf8)) }
        let aws = try testClient(transport: transport)
        let started = try await ReadOnlyPolicy.permittingQueries {
            try await aws.athena.startQueryExecution(
                "SELECT 1", workGroup: "responders", outputLocation: "s3://results/custody/", database: "security")
        }
        #expect(started.output.queryExecutionId == "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
        let request = try #require(transport.requests.first)
        #expect(request.headers["X-Amz-Target"] == "AmazonAthena.StartQueryExecution")
        #expect(request.host == "athena.us-east-1.amazonaws.com")
        let body = try JSONValue.parse(request.body)
        #expect(body["QueryString"]?.stringValue == "SELECT 1")
        #expect(body["WorkGroup"]?.stringValue == "responders")
        #expect(body["ResultConfiguration"]?["OutputLocation"]?.stringValue == "s3://results/custody/")
        #expect(body["QueryExecutionContext"]?["Database"]?.stringValue == "security")
        // Once the sweep's scope ends, the query is refused again.
        await #expect(throws: AWSClientError(.operationNotAllowed, "")) {
            _ = try await aws.athena.startQueryExecution("SELECT 1")
        }
    }

    @Test(arguments: [
        ("athena", "DeleteWorkGroup"), ("athena", "CreateNamedQuery"), ("athena", "StopQueryExecution"),
        ("cloudtrail", "StopLogging"), ("iam", "DeleteUser"), ("s3", "PutObject"), ("iam", "StartQueryExecution"),
    ])
    func aSweepPermitsNoOtherWrite(_ service: String, _ operation: String) async {
        let allowed = await ReadOnlyPolicy.permittingQueries { ReadOnlyPolicy.isAllowed(operation, service: service) }
        #expect(!allowed)
    }

    @Test func readsAQuerysStatisticsAndEveryPageOfItsResults() async throws {
        let execution = """
            {"QueryExecution":{"QueryExecutionId":"q1","Status":{"State":"SUCCEEDED"},
            "Statistics":{"DataScannedInBytes":1234567,"EngineExecutionTimeInMillis":2100},
            "ResultConfiguration":{"OutputLocation":"s3://results/custody/q1.csv"}}}
            """
        let pages = [
            #"{"ResultSet":{"Rows":[{"Data":[{"VarCharValue":"event_id"}]},{"Data":[{"VarCharValue":"e1"}]}]},"NextToken":"t2"}"#,
            #"{"ResultSet":{"Rows":[{"Data":[{"VarCharValue":"e2"}]},{"Data":[{}]}]}}"#,
        ]
        let transport = MockTransport { request, index in
            let target = request.headers["X-Amz-Target"] ?? ""
            let body = target.hasSuffix("GetQueryExecution") ? execution : pages[min(index - 2, 1)]
            return HTTPResponse(statusCode: 200, body: Data(body.utf8))
        }
        let aws = try testClient(transport: transport)
        let described = try await aws.athena.getQueryExecution(id: "q1").output.queryExecution
        #expect(described?.statistics?.dataScannedInBytes == 1_234_567)
        #expect(described?.status?.state == "SUCCEEDED")
        #expect(described?.resultConfiguration?.outputLocation == "s3://results/custody/q1.csv")
        let rows = try await aws.athena.getQueryResults(id: "q1").allItems { $0.resultSet?.rows ?? [] }
        #expect(rows.map { $0.data.first?.varCharValue } == ["event_id", "e1", "e2", nil])
        let second = try JSONValue.parse(try #require(transport.requests.last).body)
        #expect(second["NextToken"]?.stringValue == "t2")
    }
}

/// CloudTrail Lake's query calls on the wire: `StartQuery` is the same one write, permitted only inside
/// a sweep's scope.
@Suite struct CloudTrailLakeCallTests {
    @Test func startingALakeQueryIsRefusedOutsideASweepAndSentInsideOne() async throws {
        let transport = MockTransport { request, _ in
            let target = request.headers["X-Amz-Target"] ?? ""
            let body =
                target.hasSuffix(".StartQuery")
                ? #"{"QueryId":"lq-1"}"#
                : target.hasSuffix(".DescribeQuery")
                    ? #"{"QueryId":"lq-1","QueryStatus":"FINISHED","QueryStatistics":{"EventsMatched":2,"EventsScanned":90,"BytesScanned":4096}}"#
                    : #"{"QueryStatus":"FINISHED","QueryResultRows":[[{"eventID":"e-1"},{"eventName":"ListUsers"}]]}"#
            return HTTPResponse(statusCode: 200, body: Data(body.utf8))
        }
        let aws = try testClient(transport: transport)
        await #expect(throws: AWSClientError(.operationNotAllowed, "")) {
            _ = try await aws.cloudTrail.startQuery("SELECT eventID FROM eds")
        }
        #expect(transport.requests.isEmpty)
        let started = try await ReadOnlyPolicy.permittingQueries {
            try await aws.cloudTrail.startQuery("SELECT eventID FROM eds")
        }
        #expect(started.output.queryId == "lq-1")
        let body = try JSONValue.parse(try #require(transport.requests.first).body)
        #expect(body["QueryStatement"]?.stringValue == "SELECT eventID FROM eds")
        let described = try await aws.cloudTrail.describeQuery(id: "lq-1").output
        #expect(described.queryStatistics?.bytesScanned == 4096)
        let rows = try await aws.cloudTrail.getQueryResults(id: "lq-1").allItems { $0.queryResultRows }
        #expect(rows.first?.map { $0.values.first } == ["e-1", "ListUsers"])
    }
}
