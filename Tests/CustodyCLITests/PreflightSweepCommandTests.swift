import CustodyTestSupport
import Foundation
import Testing

/// `custody preflight --sweep athena|lake` against the lab: the engine's read is tried in the target's
/// region next to the collectors' reads, and the one write a sweep makes is named, in text and JSON.
@Suite(.serialized)
final class PreflightSweepCommandTests {
    let lab: LabServer

    init() throws {
        lab = try LabServer(accounts: 2)
    }

    func preflight(_ arguments: [String]) throws -> (status: Int32, text: String, output: Data) {
        let json = try lab.labJSON()
        let management = try #require((json["organization"] as? [String: Any])?["managementAccountId"] as? String)
        let run = try CustodyBinary.tool.run(
            ["preflight", "--profile", "lab-\(management)"] + arguments, environment: lab.environment)
        return (run.status, run.text, run.output)
    }

    @Test(arguments: [
        ("athena", "athena", "ListQueryExecutions", "StartQueryExecution"),
        ("lake", "cloudtrail", "ListEventDataStores", "StartQuery:"),
    ])
    func triesTheEnginesReadAndNamesItsWrite(engine: String, service: String, read: String, write: String) throws {
        let run = try preflight(["--sweep", engine, "--json"])
        #expect(run.status == 0, "\(run.text)")
        #expect(try JSONSchemas.problems(run.output, against: "preflight.schema.json") == nil)
        let report = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any])
        let target = try #require((report["targets"] as? [[String: Any]])?.first)
        let probes = target["probes"] as? [[String: Any]] ?? []
        let probe = try #require(probes.first { $0["operation"] as? String == read })
        #expect(probe["service"] as? String == service && probe["status"] as? String == "ok")
        let writes = report["writes"] as? [String] ?? []
        #expect(writes.count == 1 && writes.first?.contains(write) == true, "\(writes)")

        let text = try preflight(["--sweep", engine])
        #expect(text.status == 0 && text.text.contains("writes: custody sweep --engine \(engine)"), "\(text.text)")
    }

    @Test func collectAloneNamesNoWrite() throws {
        let run = try preflight(["--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any])
        #expect((report["writes"] as? [String]) == [])
        #expect(!(try preflight([])).text.contains("writes:"))
    }
}

/// `--sweep` and `--athena-workgroup` are checked before anything is called.
@Suite struct PreflightSweepOptionTests {
    @Test func anUnknownEngineIsAUsageError() throws {
        let run = try CustodyBinary.run(["preflight", "--sweep", "bigquery"])
        #expect(run.status == 2 && run.error.contains("--sweep 'bigquery' is not an engine: give athena or lake."))
        let workgroup = try CustodyBinary.run(["preflight", "--sweep", "lake", "--athena-workgroup", "primary"])
        #expect(workgroup.status == 2 && workgroup.error.contains("--athena-workgroup goes with --sweep athena."))
    }
}
