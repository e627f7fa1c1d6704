import CustodyTestSupport
import Diff
import Foundation
import Testing

/// `Docs/rules.md` gives every rule's ATT&CK techniques as `Rule.all` has them: one row per rule,
/// in the order of `Rule.all`, in the table of its section "ATT&CK and containment per rule".
@Suite struct RuleDocumentationTests {
    /// The heading of the section whose table is checked.
    static let heading = "## ATT&CK and containment per rule"

    /// One row of the table: the rule id (without its backticks) and the ATT&CK cell.
    struct Row: Equatable {
        var rule: String
        var techniques: String
    }

    /// How techniques are written in the table: the v19 id, the id before v19 in brackets when it
    /// changed, and the name (`T1685.002 (T1562.008) Disable or Modify Cloud Logs`); several
    /// separated by `; `.
    static func cell(_ techniques: [Technique]) -> String {
        techniques.map { technique in
            [technique.id, technique.formerId.map { "(\($0))" }, technique.name].compactMap { $0 }
                .joined(separator: " ")
        }
        .joined(separator: "; ")
    }

    /// The cells of the first table under `heading`, before the next section; `nil` without one.
    /// The first two lines of the table (its header and the line under it) are not rows.
    static func table(in text: String) -> (header: [String], rows: [Row])? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let start = lines.firstIndex(of: heading) else { return nil }
        let section = lines[(start + 1)...].prefix { !$0.hasPrefix("## ") }
        guard let first = section.firstIndex(where: { $0.hasPrefix("|") }) else { return nil }
        let table = section[first...].prefix { $0.hasPrefix("|") }.map { line in
            // A line that starts with "|" splits into "" and at least one more cell.
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        let rows = table.dropFirst(2).map { cells in
            Row(
                rule: cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                techniques: cells.count > 1 ? cells[1] : "")
        }
        return (table[0], rows)
    }

    /// What is wrong with the table of `text` against `rules`, each problem naming the rule and
    /// the row it expects; empty when every rule has its row, in order, with its techniques.
    static func problems(in text: String, rules: [Rule] = Rule.all) -> [String] {
        guard let found = table(in: text) else { return ["no table under \"\(heading)\" in Docs/rules.md"] }
        let (header, rows) = found
        var problems: [String] = []
        if Array(header.prefix(2)) != ["Rule", "ATT&CK"] {
            problems.append("the table's header is \(header), not | Rule | ATT&CK | … |")
        }
        for (index, rule) in rules.enumerated() {
            let expected = cell(rule.techniques)
            let wanted = "row \(index + 1) should be | `\(rule.id)` | \(expected) | … |"
            guard index < rows.count else {
                problems.append("`\(rule.id)` is missing: \(wanted), but the table ends before it")
                continue
            }
            let row = rows[index]
            if row.rule != rule.id.rawValue {
                let place = rows.firstIndex { $0.rule == rule.id.rawValue }
                problems.append(
                    "`\(rule.id)` "
                        + (place.map { "is row \($0 + 1), out of order" } ?? "is missing")
                        + ": \(wanted), found `\(row.rule)`")
            } else if row.techniques != expected {
                problems.append("`\(rule.id)` has other techniques: \(wanted), found \"\(row.techniques)\"")
            }
        }
        let known = Set(rules.map(\.id.rawValue))
        for (index, row) in rows.enumerated() {
            if !known.contains(row.rule) {
                problems.append("row \(index + 1), `\(row.rule)`, is no rule of Rule.all")
            } else if index >= rules.count {
                problems.append("row \(index + 1), `\(row.rule)`, repeats a rule beyond the \(rules.count) of Rule.all")
            }
        }
        return problems
    }

    @Test func everyRuleIsDocumentedWithItsTechniques() throws {
        let text = try String(contentsOfFile: LabServer.repositoryRoot + "/Docs/rules.md", encoding: .utf8)
        let problems = Self.problems(in: text)
        #expect(problems.isEmpty, "Docs/rules.md, \"\(Self.heading)\":\n\(problems.joined(separator: "\n"))")
    }

    /// A page with the section's table holding `rows`, and another table after it that is not read.
    static func page(_ rows: [String]) -> String {
        (["# Rules", "", heading, "", "| Rule | ATT&CK | Containment the finding advises |", "|---|---|---|"] + rows
            + ["", "## After", "", "| Rule | ATT&CK | |", "|---|---|---|", "| `made.up` | T0000 Nothing | |"])
            .joined(separator: "\n")
    }

    /// The row of `rule`, with its own techniques unless `techniques` is given.
    static func row(_ rule: Rule, techniques: String? = nil) -> String {
        "| `\(rule.id)` | \(techniques ?? cell(rule.techniques)) | Contain it. |"
    }

    @Test func aMissingMisplacedChangedOrExtraRowIsNamedWithItsExpectedCell() throws {
        let rules = [Rule.named(.userCreated), Rule.named(.trailImpaired), Rule.named(.enumeration)]
        let (a, b, c) = (rules[0], rules[1], rules[2])
        #expect(Self.cell(b.techniques) == "T1685.002 (T1562.008) Disable or Modify Cloud Logs")
        #expect(
            Self.cell(c.techniques)
                == "T1087.004 Account Discovery: Cloud Account; T1580 Cloud Infrastructure Discovery")
        #expect(Self.problems(in: Self.page([a, b, c].map { Self.row($0) }), rules: rules).isEmpty)

        let missing = Self.problems(in: Self.page([a, c].map { Self.row($0) }), rules: rules)
        #expect(missing.contains { $0.contains("`\(b.id)` is missing") && $0.contains(Self.cell(b.techniques)) })

        let swapped = Self.problems(in: Self.page([b, a, c].map { Self.row($0) }), rules: rules)
        #expect(
            swapped.contains { $0.contains("`\(a.id)` is row 2, out of order") && $0.contains(Self.cell(a.techniques)) }
        )

        let changed = Self.problems(
            in: Self.page([Self.row(a), Self.row(b, techniques: "T1562.008 Disable Cloud Logs"), Self.row(c)]),
            rules: rules)
        #expect(changed.count == 1)
        #expect(changed.first?.contains("`\(b.id)` has other techniques") == true)
        #expect(changed.first?.contains(Self.cell(b.techniques)) == true)

        let extra = Self.problems(
            in: Self.page([a, b, c].map { Self.row($0) } + ["| `made.up` | T0000 |  |"]), rules: rules)
        #expect(extra == ["row 4, `made.up`, is no rule of Rule.all"])

        #expect(Self.problems(in: "# Rules\n\nNo table.", rules: rules).count == 1)
    }
}
