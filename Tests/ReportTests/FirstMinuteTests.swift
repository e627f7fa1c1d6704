import CustodyJSON
import CustodyTestSupport
import Diff
import Foundation
import Testing

@testable import Report

/// What a responder reads first: the summary, Do now in order of urgency with real times in the
/// revocation policies, the indicators (also as iocs.csv and a STIX bundle), and the contents.
@Suite struct FirstMinuteTests {
    static func text(_ report: IncidentReport, _ formats: [ReportFormat]) throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try report.render(formats).map {
                ($0.name, String(decoding: $0.bytes, as: UTF8.self))
            })
    }

    @Test func doNowBeginsByDisablingEachSuspectKeyThenRevokesTheirSessions() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let keys = Set(
            report.actors.flatMap(\.credentials).map { String($0.prefix { $0 != " " }) }.filter { $0.hasPrefix("AKIA") }
        )
        #expect(keys.contains(Scenario.leaked))
        let stages = report.containment.map(\.stage)
        #expect(stages == stages.sorted(), "steps out of order: \(stages)")
        let disabling = report.containment.prefix { $0.stage == .disableKey }
        #expect(disabling.count == keys.count)
        for key in keys {
            let step = try #require(disabling.first { $0.entity.contains(key) }, "no step disables \(key)")
            #expect(step.commands.first?.hasPrefix("aws iam update-access-key ") == true)
            #expect(step.commands.first?.hasSuffix("--access-key-id \(key) --status Inactive") == true)
            #expect(!step.commands.contains { $0.contains("delete-access-key") })
        }
        let first = try #require(report.containment.first)
        #expect(first.entity.contains(Scenario.leaked), "the suspect key comes first: \(first.entity)")
        // Then the sessions, with the report's own time in the policy.
        let sessions = report.containment.dropFirst(disabling.count).prefix { $0.stage == .revokeSessions }
        #expect(!sessions.isEmpty)
        #expect(
            sessions.flatMap(\.commands).allSatisfy {
                $0.contains(#""aws:TokenIssueTime":"\#(report.generatedAt)""#)
            })
        // Instances come after the persistence, and nothing before the keys deletes or snapshots anything.
        if let instance = stages.firstIndex(of: .containInstance),
            let persistence = stages.lastIndex(of: .removePersistence)
        {
            #expect(persistence < instance)
        }
        let markdown = try #require(try Self.text(report, [.markdown])["report.md"])
        let doNow = try #require(markdown.range(of: "\n## Do now\n"))
        let summary = try #require(markdown.range(of: "\n## Summary\n"))
        let details = try #require(markdown.range(of: "\n## Timeline\n"))
        #expect(summary.lowerBound < doNow.lowerBound && doNow.lowerBound < details.lowerBound)
        let firstBlock = try #require(markdown[doNow.upperBound...].range(of: "\n```\n"))
        #expect(markdown[firstBlock.upperBound...].hasPrefix("aws iam update-access-key --user-name"))
    }

    @Test func noOutputAsksForSessionsIssuedBeforeNOW() async throws {
        for report in [try await BuilderTests.scenarioReport(try Scenario()), SyntheticReport.make()] {
            for (name, text) in try Self.text(report, ReportFormat.allCases) {
                #expect(!text.contains(#"TokenIssueTime":"NOW"#), "\(name)")
                #expect(!text.contains(Containment.currentTimePlaceholder), "\(name) left the time out")
            }
        }
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let policies = report.findings.flatMap(\.containment.commands).filter { $0.contains("aws:TokenIssueTime") }
        #expect(!policies.isEmpty && policies.allSatisfy { $0.contains(report.generatedAt) })
    }

    @Test func withoutAReportTheRevocationPolicyAsksForTheCurrentTime() {
        let advice = Containment(advice: "Revoke.", commands: [Containment.revokeSessions(role: "r")]).askingForTime()
        #expect(advice.commands[0].contains(#""aws:TokenIssueTime":"REPLACE-WITH-CURRENT-UTC-TIME""#))
        #expect(advice.advice.contains("put the current UTC time"))
        let pinned = advice.revokingSessions(issuedBefore: "2026-11-02T09:14:50Z")
        #expect(pinned.commands[0].contains(#""aws:TokenIssueTime":"2026-11-02T09:14:50Z""#))
        #expect(
            !pinned.advice.contains(Containment.currentTimePlaceholder)
                && pinned.advice.contains("2026-11-02T09:14:50Z"))
        #expect(advice.askingForTime() == advice, "the request is added once")
    }

    @Test func summaryNamesTheSuspectKeysAccountsAndWhatIsStillLive() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let summary = report.summary
        #expect(summary.contains(Scenario.leaked) && summary.contains(Scenario.account))
        #expect(summary.contains(Scenario.attackerIP))
        #expect(summary.contains(report.window.attackStart ?? "?"))
        #expect(summary.contains("Still live") || summary.contains("nothing of the intruder's is still live"))
        let sentences = summary.components(separatedBy: ". ").count
        #expect((3...5).contains(sentences), "\(sentences) sentences: \(summary)")
        let markdown = try #require(try Self.text(report, [.markdown])["report.md"])
        #expect(markdown.contains("## Summary\n\n" + TextEscaping.markdown(summary)))
    }

    @Test func indicatorsHoldTheKeyAddressAndUserAgentWithFirstAndLastSeen() async throws {
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let usage = try #require(report.keyUsage.first { $0.accessKeyId == Scenario.leaked })
        let key = try #require(report.indicators.first { $0.kind == .accessKeyId && $0.value == Scenario.leaked })
        #expect(key.firstSeen == usage.firstSeen && key.lastSeen != nil)
        let address = try #require(report.indicators.first { $0.kind == .ipv4 && $0.value == Scenario.attackerIP })
        let agent = try #require(report.indicators.first { $0.kind == .userAgent && $0.value == Scenario.hostileAgent })
        #expect(address.firstSeen != nil && address.lastSeen != nil && agent.firstSeen != nil)
        #expect(!report.indicators.contains { $0.value == Scenario.collectorKey || $0.value == Scenario.responderKey })
        let files = try Self.text(report, [.markdown, .iocs])
        let markdown = try #require(files["report.md"])
        let csv = try #require(files["iocs.csv"])
        let lines = IncidentReport.indicatorLines(report.indicators)
        for indicator in [key, address] {
            let line = try #require(lines.first { $0.hasSuffix("  " + indicator.value) })
            #expect(line.contains("\(indicator.firstSeen ?? "?")  \(indicator.lastSeen ?? "?")"))
            #expect(markdown.contains("\n" + line + "\n"), "\(line)")
            #expect(
                csv.contains(
                    "\"\(indicator.kind.rawValue)\",\"\(indicator.value)\",\"\(indicator.firstSeen ?? "")\",\"\(indicator.lastSeen ?? "")\","
                ))
        }
        #expect(csv.hasPrefix("\"type\",\"value\",\"first_seen\",\"last_seen\",\"source\"\r\n"))
        // The user agent holds a newline and an escape: it stays on one row, shown as escapes.
        #expect(csv.contains(IndicatorCSV.field(Scenario.hostileAgent)) && !csv.contains("\u{1b}"))
        #expect(csv.split(separator: "\r\n").count == report.indicators.count + 1)
    }

    @Test func csvFieldsAreQuotedAndNeverFormulas() throws {
        #expect(IndicatorCSV.field("=1+2") == "\"'=1+2\"")
        #expect(IndicatorCSV.field("+1") == "\"'+1\"" && IndicatorCSV.field("-1") == "\"'-1\"")
        #expect(IndicatorCSV.field("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(IndicatorCSV.field("a\"b,c") == "\"a\"\"b,c\"")
        #expect(IndicatorCSV.field("x\ny") == "\"x\\u000ay\"")
        let csv = String(
            decoding: try #require(try SyntheticReport.make().render([.iocs]).first).bytes, as: UTF8.self)
        #expect(csv.contains("\"'\(SyntheticReport.formula.replacingOccurrences(of: "\"", with: "\"\""))\""))
        // Python's csv module reads the same rows back.
        let folder = try TemporaryFolder()
        let path = try folder.write("iocs.csv", Array(csv.utf8))
        let run = try #require(ExternalTool.python3).run([
            "-c", "import csv,sys; rows=list(csv.reader(open(sys.argv[1], newline=''))); print(len(rows), rows[4][1])",
            path,
        ])
        #expect(run.text.hasPrefix("5 '=cmd"), "\(run.text) \(run.error)")
    }

    @Test func uuidsAreVersionFiveAsPythonMakesThem() {
        #expect(
            SHA1.digest(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
                == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            SHA1.digest(Array(repeating: 0x61, count: 1000)).map { String(format: "%02x", $0) }.joined()
                == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        #expect(
            UUIDv5.make(#"{"value":"203.0.113.66"}"#, in: UUIDv5.stixObservables)
                == "e17823ff-cd7d-55c9-8a58-6ff3c5c23bcb")
        #expect(UUIDv5.make("", in: UUIDv5.stixObservables) == "541cb4a8-fbf0-5832-816e-d17fd10b36c4")
    }

    @Test(.enabled(if: STIXValidator.tool != nil, STIXValidator.unavailable))
    func theSTIXBundleValidates() async throws {
        let validator = try #require(STIXValidator.tool)
        for report in [try await BuilderTests.scenarioReport(try Scenario()), SyntheticReport.make()] {
            let bytes = try #require(try report.render([.stix]).first).bytes
            let folder = try TemporaryFolder()
            let path = try folder.write("iocs.stix.json", bytes)
            let run = try validator.run([path])
            #expect(run.status == 0 && run.text.contains("[+] STIX JSON: Valid"), "\(run.text) \(run.error)")
            // The one warning allowed: ids are UUIDv5 of the values (reproducible), not random UUIDv4s.
            let warnings = run.text.split(separator: "\n").filter { $0.contains("Warning") }
            #expect(warnings.allSatisfy { $0.contains("{103}") }, "\(warnings)")
            let bundle = try JSONValue.parse(Data(bytes))
            let objects = bundle["objects"]?.arrayValue ?? []
            #expect(objects.filter { $0["type"]?.stringValue == "indicator" }.count == report.indicators.count)
        }
        let report = try await BuilderTests.scenarioReport(try Scenario())
        let text = String(decoding: try #require(try report.render([.stix]).first).bytes, as: UTF8.self)
        #expect(text.contains("[ipv4-addr:value = '\(Scenario.attackerIP)']"))
        #expect(text.contains("[user-account:account_login = '\(Scenario.leaked)']"))
        #expect(text.contains(#""id":"ipv4-addr--"#))
    }

    @Test func contentsLinkToEverySectionInMarkdownAndHTML() async throws {
        for report in [try await BuilderTests.scenarioReport(try Scenario()), SyntheticReport.make()] {
            let files = try report.render([.markdown, .html])
            let markdown = files[0].bytes
            // GitHub's anchors, as its slugger makes them, from the headings cmark-gfm parsed.
            let html = try Tools.gfm(markdown)
            var seen: [String: Int] = [:]
            var anchors: Set<String> = []
            for part in html.components(separatedBy: "<h").dropFirst() {
                guard let level = part.first, "123456".contains(level), let close = part.range(of: "</h\(level)>"),
                    let open = part.firstIndex(of: ">")
                else { continue }
                let text = Self.plain(String(part[part.index(after: open)..<close.lowerBound]))
                var base = ""
                for c in text.lowercased() {
                    if c == " " {
                        base += "-"
                    } else if c.isLetter || c.isNumber || c == "-" || c == "_" {
                        base.append(c)
                    }
                }
                var slug = base
                while seen[slug] != nil {
                    seen[base, default: 0] += 1
                    slug = base + "-\(seen[base] ?? 0)"
                }
                seen[slug] = 0
                anchors.insert(slug)
            }
            let contents = try #require(html.components(separatedBy: "<strong>Contents:</strong>").dropFirst().first)
            let links = contents.components(separatedBy: "</p>")[0].components(separatedBy: "href=\"#").dropFirst().map
            {
                String($0.prefix { $0 != "\"" })
            }
            let sections = html.components(separatedBy: "<h2>").count - 1
            #expect(links.count == sections && links.count >= 8, "\(links.count) links for \(sections) sections")
            for link in links { #expect(anchors.contains(link), "#\(link) names no heading") }
            #expect(links.prefix(3) == ["summary", "do-now", "indicators"])
            // The page: every link names an element's id.
            let page = String(decoding: files[1].bytes, as: UTF8.self)
            let nav = try #require(page.components(separatedBy: "<nav class=\"contents\"").dropFirst().first)
            let targets = nav.components(separatedBy: "</nav>")[0].components(separatedBy: "href=\"#").dropFirst().map {
                String($0.prefix { $0 != "\"" })
            }
            #expect(targets.count == sections)
            for target in targets { #expect(page.contains("<h2 id=\"\(target)\">"), "#\(target) names no section") }
        }
    }

    /// Text of cmark-gfm's HTML: tags dropped, entities decoded.
    static func plain(_ html: String) -> String {
        var out = ""
        var inTag = false
        for c in html {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#x27;", with: "'")
    }
}
