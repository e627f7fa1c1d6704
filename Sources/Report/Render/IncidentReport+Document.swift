import CustodyJSON
import Diff

extension IncidentReport {
    /// The report's sections as blocks, in reading order.
    func document() -> ReportDocument {
        var doc = ReportDocument(title: title)
        overview(&doc)
        summarySection(&doc)
        doNowSection(&doc)
        indicatorsSection(&doc)
        eradicationSection(&doc)
        verdictSection(&doc)
        actorsSection(&doc)
        timelineSection(&doc)
        findingsSection(&doc)
        keyUsageSection(&doc)
        regionSection(&doc)
        querySection(&doc)
        evidenceSection(&doc)
        appendix(&doc)
        // The contents come right under the line on how the report was made, before the key figures.
        doc.blocks.insert(
            .contents(
                doc.blocks.compactMap {
                    if case .heading(2, let text, let id) = $0 { return ReportDocument.Entry(text: text, id: id) }
                    return nil
                }), at: min(1, doc.blocks.count))
        return doc
    }

    typealias Inline = ReportDocument.Inline

    static func time(_ text: String?) -> Inline { .optional(UTCTimestamp.display(text)) }

    static func severity(_ severity: String) -> Inline { .flag(severity, style: severity) }

    /// The label of a containment or clean-up, after its severity; nothing for other findings.
    static func effect(_ effect: Finding.Effect?) -> [Inline] {
        effect.map { [.text(" "), .flag($0.rawValue, style: "effect")] } ?? []
    }

    static func values(_ list: [String], limit: Int = 5) -> [Inline] {
        guard !list.isEmpty else { return [.text("—")] }
        var cell: [Inline] = []
        for (i, value) in list.prefix(limit).enumerated() {
            if i > 0 { cell.append(.text(", ")) }
            cell.append(.value(value))
        }
        if list.count > limit { cell.append(.text(" and \(list.count - limit) more")) }
        return cell
    }

    // MARK: Overview and verdict

    /// The line on how the report was made and the table of its key figures, under the title.
    func overview(_ doc: inout ReportDocument) {
        doc.paragraph(
            .text("Generated \(generatedAt) by Custody from the case folder "), .value(caseFolder),
            .text(
                ". Every time is UTC. Values taken from the evidence are shown verbatim as text; control characters appear as escapes such as \\u001b."
            ))
        let counts = severityCounts
        let verified = evidence.filter(\.ok).count
        doc.table(
            ["Item", "Value"],
            [
                [[.text("Accounts")], Self.values(accounts, limit: 50)],
                [[.text("CloudTrail windows")], [Self.time(window.from), .text(" to "), Self.time(window.to)]],
                [[.text("Events seen")], [Self.time(window.firstEvent), .text(" to "), Self.time(window.lastEvent)]],
                [[.text("Attack first seen")], [Self.time(window.attackStart)]],
                [
                    [.text("Findings")],
                    [
                        Self.severity("high"), .text(" \(counts.high)  "), Self.severity("medium"),
                        .text(" \(counts.medium)  "),
                        Self.severity("low"), .text(" \(counts.low)"),
                    ],
                ],
                [[.text("Suspect keys")], Self.values(suspectKeys, limit: 20)],
                [
                    [.text("CloudTrail events read")],
                    [
                        .text(
                            "\(eventCount) (of which \(collectorEventCount) the collector's own calls"
                                + (incompleteEvents.count > 0
                                    ? "; \(incompleteEvents.count) incomplete, see the notes)" : ")"))
                    ],
                ],
                [[.text("Archives")], [.text("\(evidence.count), \(verified) verified")]],
            ])
    }

    func verdictSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Verdict", id: "verdict")
        doc.paragraph(.text(verdict))
        doc.heading(3, "How each account was analysed", id: "analyses")
        doc.table(
            ["Account", "Method", "Baseline", "Current", "Archives", "Events", "Findings"],
            analyses.map { a in
                [
                    [.value(a.account)], [.text(a.method.rawValue)], [.optional(a.baseline)], [.optional(a.current)],
                    [.text("\(a.archives)")],
                    [.text("\(a.eventCount)")], [.text("\(a.findingCount)")],
                ]
            })
        if !notes.isEmpty {
            doc.heading(3, "Notes", id: "notes")
            doc.list(notes.map { [.text($0)] })
        }
    }

    // MARK: Actors and timeline

    func actorsSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Suspect actors", id: "actors")
        guard !actors.isEmpty else {
            doc.paragraph(.text("No suspect actor: no key was given as suspect and no high finding names one."))
            return
        }
        doc.paragraph(
            .text(
                "Everything reachable from a suspect key is one actor: the temporary credentials it obtained, the keys, users and roles it created, and their events."
            ))
        doc.table(
            [
                "Actor", "Account", "Credentials", "Principals", "Source IPs", "VPC endpoints", "User agents",
                "Regions", "First seen", "Last seen", "Events",
            ],
            actors.map { a in
                [
                    [.value(a.id)], [.value(a.account)], Self.values(a.credentials, limit: 10),
                    Self.values(a.principals), Self.values(a.sourceIPAddresses),
                    Self.values(a.vpcEndpoints), Self.values(a.userAgents, limit: 3), Self.values(a.regions, limit: 10),
                    [Self.time(a.firstSeen)],
                    [Self.time(a.lastSeen)], [.text("\(a.eventCount)")],
                ]
            })
    }

    func timelineSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Timeline", id: "timeline")
        doc.paragraph(
            .text(
                "Events of the suspect actors, events findings cite, and the responder's containment after the attack started, in one table, oldest first (events of the same second in the order of the evidence), each with its phase and who made it. The collector's own calls are left out of the chart and the table (the overview counts them); timeline.jsonl holds every event read, theirs included."
            ))
        doc.blocks.append(.chart(SVGCharts.activity(activity)))
        guard !timeline.isEmpty else {
            doc.paragraph(.text("No event belongs to a suspect actor or is cited by a finding."))
            return
        }
        doc.table(
            [
                "Time (UTC)", "Phase", "Actor", "Account", "Principal", "Access key", "Source IP or VPC endpoint",
                "Region", "Event", "Target", "Finding", "Evidence",
            ],
            timeline.map(Self.timelineRow))
        if timelineOmitted > 0 {
            doc.paragraph(
                .text(
                    "\(timelineOmitted) more rows that no finding cites (reconnaissance first) are left out of this table; timeline.jsonl holds every event."
                ))
        }
    }

    static func timelineRow(_ row: TimelineEntry) -> [ReportDocument.Cell] {
        var event: [Inline] = [.optional(row.eventName)]
        if let error = row.errorCode {
            event += [.text(" "), .flag("failed", style: "fail"), .text(" "), .value(error)]
        }
        var finding: [Inline] = [.text("—")]
        if let title = row.findingTitle {
            finding = [.text(title), .text(" (")] + values(row.findings, limit: 3) + [.text(")")]
        }
        return [
            [time(row.time)], [.text(row.phase?.title ?? "—")], [.optional(row.actor)], [.optional(row.account)],
            [.optional(row.principal)], [.optional(row.accessKeyId)], [.optional(row.origin)],
            [.optional(row.region)], event, [.optional(row.target)], finding, [.optional(row.evidence)],
        ]
    }
}
