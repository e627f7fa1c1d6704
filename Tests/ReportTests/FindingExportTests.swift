import CustodyJSON
import CustodyTestSupport
import Diff
import EvidenceReading
import Foundation
import Testing

@testable import Report

/// The reports the exports are checked on: the course's scenario first, then the others the
/// schema tests use (imported CloudTrail, a hand-made hostile one, incomplete events, severities).
enum ExportedReports {
    static func all() async throws -> [IncidentReport] {
        [
            try await BuilderTests.scenarioReport(try Scenario()), try await ImportedCloudTrailTests.report(),
            SyntheticReport.make(), try await IncompleteEventsReportTests.report(),
            try await SeverityAndAttributionReportTests.report(),
        ]
    }

    /// Text an attacker chooses, about 10 KB of it: quotes, a closing script tag, new lines, NUL,
    /// ANSI colour, line and paragraph separators, a bidi override, a flag emoji and a combining accent.
    static let hostile = String(
        repeating: "\"q\" </script><script>alert('x')</script>\n\r\t\u{0}\u{1b}[31m\u{2028}\u{202e}🏴‍☠️e\u{301} ",
        count: 200)

    /// The synthetic report with its first finding's every text hostile and 10 KB long, and a finding
    /// whose title, reason and advice are only white space.
    static func hostileReport() -> IncidentReport {
        var report = SyntheticReport.make()
        var finding = report.findings[0]
        finding.title = hostile
        finding.reason = hostile
        finding.containment = Containment(advice: hostile, commands: [hostile])
        finding.entity = EntityReference(kind: .instance, id: hostile, name: hostile, region: hostile)
        finding.region = hostile
        finding.actor = hostile
        finding.details = ["x": hostile]
        var event = finding.event ?? EventReference()
        event.eventID = hostile
        event.eventName = hostile
        event.eventSource = hostile
        event.eventTime = hostile
        event.sourceIPAddress = hostile
        event.principal = hostile
        event.accessKeyId = hostile
        event.userAgent = hostile
        event.region = hostile
        event.evidence = EvidencePointer(archive: hostile, member: hostile, sha256: hostile, jsonPointer: hostile)
        finding.event = event
        finding.relatedEvents = [event]
        var blank = report.findings[1]
        blank.title = " \n"
        blank.reason = "\t"
        blank.containment = Containment(advice: "  ")
        report.findings = [finding, blank] + report.findings.dropFirst()
        return report
    }

    /// The file of `format` rendered from `report`, parsed.
    static func parsed(_ report: IncidentReport, _ format: ReportFormat) throws -> JSONValue {
        try JSONValue.parse(Data(try #require(try report.render([format]).first).bytes))
    }
}

/// `findings.asff.json` is what Security Hub's `BatchImportFindings` takes, by botocore's model.
@Suite struct ASFFExportTests {
    @Test func everyFindingOfTheReportsValidatesAgainstBotocoresBatchImportFindingsShape() async throws {
        for report in try await ExportedReports.all() {
            let file = try #require(try report.render([.asff]).first)
            #expect(file.name == "findings.asff.json")
            // A request needs one finding at least: a report without any has nothing to import.
            if report.findings.isEmpty {
                #expect(String(decoding: file.bytes, as: UTF8.self) == "{\"Findings\":[]}\n")
                continue
            }
            let verdict = try FindingExportValidators.validateASFF(file.bytes)
            #expect(verdict.valid, "\(verdict.message)")
            #expect(verdict.message.trimmingCharacters(in: .whitespacesAndNewlines) == String(report.findings.count))
        }
    }

    @Test func theValidatorRefusesAFindingMissingARequiredMemberOrWithAWrongValue() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let document = try ExportedReports.parsed(report, .asff)
        func mutated(_ change: (inout [String: JSONValue]) -> Void) throws -> [UInt8] {
            var findings = try #require(document["Findings"]?.arrayValue)
            var first = try #require(findings[0].objectValue)
            change(&first)
            findings[0] = .object(first)
            return try CanonicalJSON.encode(JSONValue.object(["Findings": .array(findings)]))
        }
        for (member, change) in [
            ("Title", { (finding: inout [String: JSONValue]) in finding["Title"] = nil }),
            ("Resources", { finding in finding["Resources"] = nil }),
            ("Label", { finding in finding["Severity"] = .object(["Label": .string("SEVERE")]) }),
            ("ProductArn", { finding in finding["ProductArn"] = .string("arn:aws:securityhub:us-east-1::product/x") }),
            ("Description", { finding in finding["Description"] = .string(String(repeating: "d", count: 1025)) }),
        ] as [(String, (inout [String: JSONValue]) -> Void)] {
            let verdict = try FindingExportValidators.validateASFF(try mutated(change))
            #expect(!verdict.valid && verdict.message.contains(member), "\(member): \(verdict.message)")
        }
    }

    @Test func findingsCarryTheirTypesResourceCallAndEvidence() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let findings = try #require(try ExportedReports.parsed(report, .asff)["Findings"]?.arrayValue)
        #expect(findings.count == report.findings.count)
        let index = try #require(
            report.findings.firstIndex { $0.rule == .accessKeyCreated && $0.event?.accessKeyId == Scenario.leaked })
        let source = report.findings[index]
        let key = findings[index]
        #expect(key["GeneratorId"]?.stringValue == "iam.access-key.created")
        #expect(key["AwsAccountId"]?.stringValue == Scenario.account)
        #expect(
            key["ProductArn"]?.stringValue
                == "arn:aws:securityhub:us-east-1:\(Scenario.account):product/\(Scenario.account)/default")
        #expect(key["Types"]?.arrayValue == [.string("TTPs/Persistence/iam.access-key.created")])
        #expect(key["CreatedAt"]?.stringValue == source.event?.eventTime)
        #expect(key["FirstObservedAt"]?.stringValue == source.event?.eventTime)
        #expect(key["Severity"]?["Label"]?.stringValue == "HIGH")
        #expect(key["Resources"]?[0]?["Type"]?.stringValue == "AwsIamAccessKey")
        #expect(key["Resources"]?[0]?["Id"]?.stringValue == source.entity.id)
        #expect(key["Action"]?["AwsApiCallAction"]?["Api"]?.stringValue == "CreateAccessKey")
        #expect(key["Network"]?["SourceIpV4"]?.stringValue == Scenario.attackerIP)
        #expect(key["ThreatIntelIndicators"]?[0]?["Value"]?.stringValue == Scenario.attackerIP)
        #expect(key["Remediation"]?["Recommendation"]?["Text"]?.stringValue == source.containment.advice)
        let fields = try #require(key["ProductFields"])
        #expect(fields["Custody/Event/AccessKeyId"]?.stringValue == Scenario.leaked)
        #expect(fields["Custody/Evidence/SHA256"]?.stringValue == source.event?.evidence?.sha256)
        let archive = try #require(report.evidence.first { $0.path == source.event?.evidence?.archive })
        #expect(fields["Custody/Evidence/ManifestSHA256"]?.stringValue == archive.manifestSHA256)
        #expect(fields["Custody/Evidence/Line"]?.stringValue == source.event?.evidence?.line.map(String.init))
        #expect(fields.objectValue?.values.allSatisfy { $0.stringValue != nil } == true)
        let endpoint = try #require(report.findings.firstIndex { $0.rule == .vpcEndpointCreated })
        #expect(findings[endpoint]["Resources"]?[0]?["Type"]?.stringValue == "Other")
        #expect(findings[endpoint]["Resources"]?[0]?["Details"]?["Other"]?["Kind"]?.stringValue == "ec2-vpc-endpoint")
    }

    @Test func hostileTextStaysValidAndWithinTheLimits() throws {
        let report = ExportedReports.hostileReport()
        let file = try #require(try report.render([.asff]).first)
        let verdict = try FindingExportValidators.validateASFF(file.bytes)
        #expect(verdict.valid, "\(verdict.message)")
        let findings = try #require(try JSONValue.parse(Data(file.bytes))["Findings"]?.arrayValue)
        let title = try #require(findings[0]["Title"]?.stringValue)
        #expect(title.utf16.count <= 256 && title.hasSuffix("…"))
        #expect(ExportedReports.hostile.hasPrefix(title.dropLast()))
        #expect(findings[0]["Network"] == nil && findings[0]["ThreatIntelIndicators"] == nil)
        #expect(findings[0]["ProductArn"]?.stringValue?.contains(":securityhub:us-east-1:") == true)
        #expect(findings[1]["Title"]?.stringValue == Rule.named(report.findings[1].rule).title)
        #expect(findings[1]["Remediation"] == nil)
        // One JSON document on one line: no raw new line or separator an attacker wrote.
        let text = String(decoding: file.bytes, as: UTF8.self)
        #expect(text.dropLast().allSatisfy { $0 != "\n" && $0 != "\u{2028}" && $0 != "\u{2029}" })
    }

    @Test func idsAreStableAcrossRendersBuildsAndOtherFindings() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        func ids(_ report: IncidentReport) throws -> [String] {
            try #require(try ExportedReports.parsed(report, .asff)["Findings"]?.arrayValue).compactMap {
                $0["Id"]?.stringValue
            }
        }
        let first = try ids(report)
        #expect(first.count == report.findings.count && Set(first).count == first.count)
        #expect(try ids(report) == first)
        #expect(try report.render([.asff, .ocsf]) == report.render([.asff, .ocsf]))
        #expect(try ids(try await BuilderTests.scenarioReport(try Scenario())) == first)
        // A finding keeps its id when the others change.
        var fewer = report
        fewer.findings = Array(report.findings.dropFirst())
        #expect(try ids(fewer) == Array(first.dropFirst()))
        // OCSF names each finding by the same id.
        let records = try #require(try ExportedReports.parsed(report, .ocsf).arrayValue)
        #expect(records.compactMap { $0["finding_info"]?["uid"]?.stringValue } == first)
    }
}

/// `findings.ocsf.json` holds OCSF Detection Finding records, checked with OCSF's own schema.
@Suite(
    .enabled(
        if: FindingExportValidators.ocsfAvailable,
        "needs ocsf-json-schema and jsonschema from PyPI in .build-python/ocsf-venv; the install failed (see stderr)"))
struct OCSFExportTests {
    @Test func everyRecordOfTheReportsValidatesAsADetectionFinding() async throws {
        for report in try await ExportedReports.all() {
            let file = try #require(try report.render([.ocsf]).first)
            #expect(file.name == "findings.ocsf.json")
            let verdict = try FindingExportValidators.validateOCSF(file.bytes)
            #expect(verdict.valid, "\(verdict.message)")
            #expect(verdict.message.trimmingCharacters(in: .whitespacesAndNewlines) == String(report.findings.count))
        }
    }

    @Test func theValidatorRefusesAnUnknownMemberAMissingUIDOrAnAddressThatIsNone() throws {
        let records = try #require(try ExportedReports.parsed(SyntheticReport.make(), .ocsf).arrayValue)
        let original = try #require(records[0].objectValue)
        #expect(original["evidences"]?[0]?["src_endpoint"]?["ip"]?.stringValue == "203.0.113.9")
        var unknown = original
        unknown["severity_level"] = .string("high")
        var missing = original
        missing["finding_info"] = .object(["title": .string("no uid")])
        var address = original
        address["evidences"] = .array([.object(["src_endpoint": .object(["ip": .string("203.0.113.9 evil")])])])
        for (record, expected) in [
            (unknown, "severity_level"), (missing, "'uid' is a required"), (address, "src_endpoint/ip"),
        ] {
            let verdict = try FindingExportValidators.validateOCSF(
                try CanonicalJSON.encode(JSONValue.array([.object(record)])))
            #expect(!verdict.valid && verdict.message.contains(expected), "\(expected): \(verdict.message)")
        }
    }

    @Test func recordsCarryTheCallTheCallerTheSourceAndTheEvidence() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let records = try #require(try ExportedReports.parsed(report, .ocsf).arrayValue)
        #expect(records.count == report.findings.count)
        let index = try #require(
            report.findings.firstIndex { $0.rule == .accessKeyCreated && $0.event?.accessKeyId == Scenario.leaked })
        let source = report.findings[index]
        let record = records[index]
        let eventTime = try #require(source.event?.eventTime)
        let time = try #require(UTCTimestamp(parsing: eventTime))
        #expect(record["time"]?.numberValue == Double(time.seconds * 1000))
        #expect(record["severity_id"]?.numberValue == 4 && record["status_id"]?.numberValue == 1)
        #expect(record["finding_info"]?["analytic"]?["name"]?.stringValue == "iam.access-key.created")
        let attack = try #require(record["finding_info"]?["attacks"]?[0])
        #expect(attack["technique"]?["uid"]?.stringValue == "T1098")
        #expect(attack["sub_technique"]?["uid"]?.stringValue == "T1098.001")
        #expect(attack["tactic"]?["uid"]?.stringValue == "TA0003")
        let evidence = try #require(record["evidences"]?[0])
        #expect(evidence["api"]?["operation"]?.stringValue == "CreateAccessKey")
        #expect(evidence["api"]?["service"]?["name"]?.stringValue == "iam.amazonaws.com")
        #expect(evidence["actor"]?["user"]?["credential_uid"]?.stringValue == Scenario.leaked)
        #expect(evidence["src_endpoint"]?["ip"]?.stringValue == Scenario.attackerIP)
        #expect(evidence["data"]?["sha256"]?.stringValue == source.event?.evidence?.sha256)
        let archive = try #require(report.evidence.first { $0.path == source.event?.evidence?.archive })
        #expect(evidence["data"]?["manifest_sha256"]?.stringValue == archive.manifestSHA256)
        #expect(record["cloud"]?["account"]?["uid"]?.stringValue == Scenario.account)
        #expect(record["remediation"]?["desc"]?.stringValue?.hasPrefix(source.containment.advice) == true)
        #expect(record["metadata"]?["version"]?.stringValue == OCSFDocument.schemaVersion)
    }

    @Test func hostileTextStaysValidAndWhole() throws {
        let report = ExportedReports.hostileReport()
        let file = try #require(try report.render([.ocsf], toolVersion: "0.0.0-test").first)
        let verdict = try FindingExportValidators.validateOCSF(file.bytes)
        #expect(verdict.valid, "\(verdict.message)")
        let records = try #require(try JSONValue.parse(Data(file.bytes)).arrayValue)
        #expect(records[0]["finding_info"]?["title"]?.stringValue == ExportedReports.hostile)
        #expect(records[0]["evidences"]?[0]?["src_endpoint"]?["name"]?.stringValue == ExportedReports.hostile)
        #expect(records[0]["metadata"]?["product"]?["version"]?.stringValue == "0.0.0-test")
    }
}
