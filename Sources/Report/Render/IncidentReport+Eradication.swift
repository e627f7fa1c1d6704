import Diff

extension IncidentReport {
    // MARK: Eradication: what of the incident is still there

    /// The verdict of each account's eradication check, what remains with its commands, and a table
    /// of every result; for an account with one snapshot only, how to get a check.
    func eradicationSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Eradication", id: "eradication")
        doc.paragraph(
            .text(
                "Whether what each finding found is still there in the newest snapshot of its account: the findings "
                    + "of the comparison of the oldest and newest snapshots, judged against the newest, and so are the "
                    + "suspect actors' keys and temporary credentials. A key disabled, a trust reset or sessions revoked "
                    + "count as done (contained: still there, to delete once the case is closed); events with no state "
                    + "(a burst of calls, a refused attempt) leave nothing to eradicate. Custody never runs the commands."
            ))
        let checked = Set(eradication.map(\.account))
        let unchecked = accounts.filter { !checked.contains($0) }
        for (index, check) in eradication.enumerated() {
            eradicationCheck(check, number: index + 1, &doc)
        }
        guard !unchecked.isEmpty else { return }
        doc.paragraph(
            [
                .strong("No check for " + (unchecked.count == 1 ? "account " : "accounts "))
            ] + Self.values(unchecked, limit: 50)
                + [
                    .text(
                        ": the case holds fewer than two snapshots of "
                            + (unchecked.count == 1 ? "it" : "each")
                            + ", so nothing collected after containment says what is left. After containing, collect "
                            + "again with the same targets and regions as the first collection, then make the report "
                            + "again (or compare the two archives with custody diff, whose exit code says whether "
                            + "anything remains):")
                ])
        doc.code([
            "custody collect --case \(caseFolder) --profile PROFILE --regions REGIONS",
            "custody report --case \(caseFolder) --out REPORT_FOLDER",
            "custody diff \(caseFolder)/ACCOUNT/000001-….tar \(caseFolder)/ACCOUNT/00000N-….tar",
        ])
    }

    private func eradicationCheck(_ check: Eradication, number: Int, _ doc: inout ReportDocument) {
        let verdict: String
        switch check.verdict {
        case .complete: verdict = "complete"
        case .remains: verdict = "not complete"
        case .unknown: verdict = "not known"
        }
        doc.heading(3, "Account \(check.account): \(verdict)", id: "eradication-\(number)")
        var sentence: [Inline] = [
            .strong(check.summary.prefix(1).uppercased() + check.summary.dropFirst() + "."), .text(" Judged against "),
            .optional(check.archive), .text(", taken "), Self.time(check.takenAt), .text("."),
        ]
        if check.verdict != .complete {
            sentence.append(
                .text(
                    " What was done after it was taken is not in it: once the steps below are done, collect again and "
                        + "make the report again."))
        }
        doc.paragraph(sentence)
        let open = check.results.filter { !$0.status.isDone }
        for result in open {
            doc.blocks.append(
                .checklist([
                    [Self.eradicationFlag(result.status), .text(" ")] + label(result)
                        + [.text(": " + result.reason)]
                ]))
            if !result.commands.isEmpty { doc.code(result.commands) }
        }
        doc.table(
            ["Status", "Finding", "Entity", "What the newest snapshot shows"],
            check.results.map { result in
                [
                    [Self.eradicationFlag(result.status)], label(result),
                    [.value(result.entity.kind.rawValue), .text(" "), .value(result.entity.id)]
                        + (result.entity.region.map { [.text(" in "), .value($0)] } ?? []),
                    [.text(result.reason)],
                ]
            })
    }

    /// The finding's number and title, or what the actor's credential is.
    private func label(_ result: EradicationResult) -> [Inline] {
        guard let index = result.finding else { return [.text(result.title)] }
        return [.strong("F\(index + 1)"), .text(" " + result.title)]
    }

    /// A status as a coloured marker: what remains red, what cannot be told orange, contained blue,
    /// gone green, not a state grey.
    static func eradicationFlag(_ status: EradicationStatus) -> Inline {
        let style: String
        switch status {
        case .remains: style = "fail"
        case .unknown: style = "medium"
        case .contained: style = "effect"
        case .removed, .expired: style = "ok"
        case .notApplicable: style = "low"
        }
        return .flag(status.rawValue, style: style)
    }
}
