import Diff

extension IncidentReport {
    // MARK: What a responder reads in the first minute

    func summarySection(_ doc: inout ReportDocument) {
        doc.heading(2, "Summary", id: "summary")
        doc.paragraph(.text(summary.isEmpty ? verdict : summary))
    }

    func doNowSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Do now", id: "do-now")
        guard !containment.isEmpty else {
            doc.paragraph(.text("Nothing to contain: no finding asks for an action."))
            return
        }
        doc.paragraph(
            .text(
                "Custody never runs these commands. Work from the top: disable the keys (never delete them first: a "
                    + "deleted key no longer shows the intruder's attempts), revoke the sessions they made, remove what "
                    + "the intruder left behind, then snapshot and isolate the instances. Record every id you remove."
            ))
        for (i, step) in containment.enumerated() {
            doc.blocks.append(
                .checklist([
                    [
                        .text("\(i + 1). "), .strong(step.stage.title + ": "), .text(step.entity + " "),
                        Self.severity(step.severity), .text(" " + step.advice),
                    ] + (step.findings.isEmpty ? [] : [.text(" For: ")] + Self.values(step.findings, limit: 8))
                ]))
            if !step.commands.isEmpty { doc.code(step.commands) }
        }
    }

    func indicatorsSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Indicators", id: "indicators")
        guard !indicators.isEmpty else {
            doc.paragraph(.text("No indicator: no suspect actor and no finding names one."))
            return
        }
        doc.paragraph(
            .text(
                "Every access key, source address, user agent, other account, ARN, instance, VPC endpoint and key pair "
                    + "of the suspect actors and the findings, with the first and last time the evidence shows it (UTC). "
                    + "The same list is in iocs.csv and, as STIX 2.1 indicators, in iocs.stix.json."
            ))
        doc.code(Self.indicatorLines(indicators))
    }

    /// One line per indicator, aligned: kind, first seen, last seen, value (last, since it may hold spaces).
    static func indicatorLines(_ indicators: [Indicator]) -> [String] {
        let width = max(4, indicators.map(\.kind.rawValue.count).max() ?? 0)
        func pad(_ text: String, _ to: Int) -> String { text + String(repeating: " ", count: max(0, to - text.count)) }
        let dash = "-"
        return [pad("type", width) + "  " + pad("first seen", 20) + "  " + pad("last seen", 20) + "  value"]
            + indicators.map {
                pad($0.kind.rawValue, width) + "  " + pad($0.firstSeen ?? dash, 20) + "  "
                    + pad($0.lastSeen ?? dash, 20)
                    + "  " + $0.value
            }
    }
}
