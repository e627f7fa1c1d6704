import Diff

extension IncidentReport {
    // MARK: Findings

    func findingsSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Findings", id: "findings")
        guard !findings.isEmpty else {
            doc.paragraph(.text("No findings."))
            return
        }
        doc.table(
            ["#", "Severity", "Rule", "Finding", "Account", "Region", "Time (UTC)", "By (principal, key)", "ATT&CK"],
            findings.enumerated().map { i, f in
                [
                    [.text("F\(i + 1)")], [Self.severity(f.severity.rawValue)] + Self.effect(f.effect),
                    [.value(f.rule.rawValue)],
                    [.text(f.title)], [.value(f.account)],
                    [.optional(f.region)], [Self.time(f.event?.eventTime)],
                    [.optional(f.event?.principal), .text(" "), .optional(f.event?.accessKeyId)],
                    Self.values(f.techniques.map { t in t.formerId.map { "\(t.id) (\($0))" } ?? t.id }),
                ]
            })
        for (i, f) in findings.enumerated() {
            doc.heading(
                3, "F\(i + 1) \(f.severity.rawValue)\(f.effect.map { " (\($0.rawValue))" } ?? ""): \(f.title)",
                id: "finding-\(i + 1)")
            doc.paragraph(.text(f.reason))
            var items: [[Inline]] = [
                [.strong("Rule: "), .value(f.rule.rawValue), .text(" (\(f.basis.rawValue))")],
                [.strong("ATT&CK: ")]
                    + Self.values(
                        f.techniques.map { "\($0.id) \($0.name)" + ($0.formerId.map { " (formerly \($0))" } ?? "") }),
                [.strong("Entity: "), .value(f.entity.kind.rawValue), .text(" "), .value(f.entity.id)]
                    + (f.entity.name.map { [.text(" named "), .value($0)] } ?? []),
            ]
            if let e = f.event {
                items.append(
                    [
                        .strong("Event: "), Self.time(e.eventTime), .text(" "), .optional(e.eventName), .text(" by "),
                        .optional(e.principal), .text(" with key "),
                        .optional(e.accessKeyId), .text(" from "), .optional(e.sourceIPAddress ?? e.vpcEndpointId),
                        .text(", user agent "), .optional(e.userAgent),
                    ])
            }
            if let x = f.exposure {
                items.append([
                    .strong("Exposure: "), .text("temporary key "), .optional(x.accessKeyId), .text(" issued "),
                    Self.time(x.issuedAt), .text(", usable until "), Self.time(x.expiresAt),
                ])
            }
            if let actor = f.actor { items.append([.strong("Actor: "), .value(actor)]) }
            if let effect = f.effect {
                items.append(
                    [.strong("Effect: "), .flag(effect.rawValue, style: "effect")]
                        + [
                            .text(
                                effect == .containment
                                    ? " (a defence restored or access taken away: not persistence)"
                                    : " (a thing deleted: not persistence)")
                        ])
            }
            for pointer in f.evidence.prefix(5) {
                var item: [Inline] = [
                    .strong("Evidence: "), .value(pointer.archive), .text(" "), .value(pointer.member),
                ]
                if let json = pointer.jsonPointer { item += [.text(" at "), .value(json)] }
                if let line = pointer.line { item.append(.text(" line \(line)")) }
                if let sha = pointer.sha256 { item += [.text(" sha256 "), .value(sha)] }
                items.append(item)
            }
            doc.list(items)
        }
    }

    // MARK: Keys and regions

    func keyUsageSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Access-key usage", id: "keys")
        if collectorEventCount > 0 {
            doc.paragraph(.text(collectorCallsLeftOut))
        }
        guard !keyUsage.isEmpty else {
            doc.paragraph(.text("No event names an access key."))
            return
        }
        doc.table(
            [
                "Access key", "Who", "Principals", "First seen", "Last seen", "Source IPs", "VPC endpoints",
                "User agents", "Regions", "Events", "Failed",
            ],
            keyUsage.map { k in
                [
                    [.value(k.accessKeyId)],
                    k.isCollector ? Self.collectorKeyCell(k) : [.optional(k.actor)],
                    Self.values(k.principals, limit: 3),
                    [Self.time(k.firstSeen)], [Self.time(k.lastSeen)], Self.values(k.sourceIPAddresses),
                    Self.values(k.vpcEndpoints),
                    Self.values(k.userAgents, limit: 3), Self.values(k.regions, limit: 8), [.text("\(k.eventCount)")],
                    [.text("\(k.errorCount)")],
                ]
            })
    }

    /// The sentence, said once before the tables, on the collector's calls they leave out.
    var collectorCallsLeftOut: String {
        let calls = collectorEventCount == 1 ? "1 call" : "\(collectorEventCount) calls"
        return [
            "\(calls) of the collector (custody's own read-only calls while collecting, with its user agent, within",
            "a collection's time) are not counted in these tables, the region chart or the CloudTrail queries;",
            "the overview counts them. Any other use of the collector's key is counted like anyone's.",
        ].joined(separator: " ")
    }

    /// The Who cell of a collector's key: that it is one, and who else used it.
    static func collectorKeyCell(_ usage: KeyUsage) -> [Inline] {
        let flag: Inline = .flag("collector", style: "collector")
        guard usage.eventCount > 0 else { return [flag, .text(" key; nothing else used it")] }
        guard let actor = usage.actor else { return [flag, .text(" key, also used by something other than custody")] }
        return [flag, .text(" key, also used by "), .value(actor)]
    }

    func regionSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Activity by region", id: "regions")
        doc.paragraph(
            .text(
                "Regions marked new were never used before the attack (or the snapshot diff found them first used). "
                    + "The collector's calls are not counted: it looks at every region."))
        doc.blocks.append(.chart(SVGCharts.regions(regions)))
        doc.table(
            [
                "Region", "Events", "Suspects' events", "Failed", "First seen", "Last seen", "Never used before",
            ],
            regions.map { r in
                [
                    [.value(r.region)], [.text("\(r.eventCount)")], [.text("\(r.actorEventCount)")],
                    [.text("\(r.errorCount)")],
                    [Self.time(r.firstSeen)], [Self.time(r.lastSeen)],
                    r.neverUsedBefore ? [.flag("new", style: "new"), .text(" " + (r.reason ?? ""))] : [.text("—")],
                ]
            })
    }

    // MARK: Queries

    func querySection(_ doc: inout ReportDocument) {
        doc.heading(2, "CloudTrail queries (Athena)", id: "cloudtrail-queries")
        doc.paragraph(
            .text(
                [
                    "Each table is what the SQL above it returns in Amazon Athena on the table",
                    "\(AthenaQueries.tableName), created for the trail's logs as AWS documents it (Athena User Guide,",
                    "\"Create a table for CloudTrail logs in Athena using manual partitioning\"); give your table's",
                    "name if it has another. Here the tables are computed over the verified CloudTrail slices",
                    "instead, so Athena finds more rows when the trail holds more time. The last condition of each",
                    "query leaves out the collector's own calls, as the tables do: custody's user agent, with a",
                    "collector's key or principal, within a collection's time. The column who, which Athena does",
                    "not have, names the suspect actor a call belongs to (by identity: the actors some of its calls",
                    "belong to, with how many).",
                ].joined(separator: " ")))
        for query in queries {
            doc.heading(3, query.title, id: "query-\(query.id)")
            doc.paragraph(.text(query.purpose))
            doc.code(query.sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            if query.rows.isEmpty {
                doc.paragraph(.text("No rows."))
            } else {
                doc.table(query.columns, query.rows.map { $0.map { [.optional($0)] } })
                if query.totalRows > query.rows.count {
                    doc.paragraph(.text("Showing the first \(query.rows.count) of \(query.totalRows) rows."))
                }
            }
        }
    }

    // MARK: Evidence

    func evidenceSection(_ doc: inout ReportDocument) {
        doc.heading(2, "Evidence index", id: "evidence")
        doc.paragraph(
            .text(
                "Every archive of the accounts, verified as custody verify does: member hashes, member set and order, the signature under a trusted key, and the chain. Only archives that verify were read."
            ))
        doc.table(
            [
                "Archive", "Account", "Seq", "Kind", "Manifest SHA-256", "Signer fingerprint", "Verification",
                "Coverage gaps",
            ],
            evidence.map { e in
                [
                    [.value(e.path)], [.optional(e.account)], [.text(e.sequence.map(String.init) ?? "—")],
                    [.optional(e.kind?.rawValue)], [.optional(e.manifestSHA256)],
                    [.optional(e.signerFingerprint)],
                    e.ok
                        ? [.flag("ok", style: "ok")]
                        : [.flag("failed", style: "fail"), .text(" ")] + Self.values(e.problems, limit: 10),
                    Self.values(e.coverageGaps, limit: 10),
                ]
            })
        let problems = evidence.filter { !$0.ok }.flatMap { e in e.problemMessages.map { (e.path, $0) } }
        doc.list(problems.map { [.value($0.0), .text(": " + $0.1)] })
    }

    func appendix(_ doc: inout ReportDocument) {
        doc.heading(2, "Appendix: verifying this report and the evidence by hand", id: "appendix")
        doc.paragraph(
            .text(
                "The report bundle is report.tar beside these files: an archive sealed like evidence, of kind report, whose signed manifest names the manifest SHA-256 of every evidence archive listed above. Verify it, and the evidence, with Custody:"
            ))
        doc.code(["custody verify report.tar --trust <signer public key>", "custody verify \(caseFolder)"])
        doc.paragraph(
            .text("Or without Custody, with tar, sha256sum and openssl alone, as "),
            .link("Docs/verifying-by-hand.md", target: verificationGuide),
            .text(
                " in the Custody sources shows. In short, with ARCHIVE the archive and FINGERPRINT the signer fingerprint you trust, obtained out of band:"
            ))
        doc.code([
            "tar -xf \"$ARCHIVE\"",
            "openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum   # must equal $FINGERPRINT",
            "openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in manifest.json -sigfile manifest.json.sig",
            "sha256sum SHA256SUMS   # must be the SHA256SUMS entry of manifest.json",
            "sha256sum --strict -c SHA256SUMS",
            "sha256sum manifest.json   # the manifest SHA-256 the evidence index lists",
        ])
        doc.paragraph(
            .text(
                "The manifest SHA-256 of each archive in the evidence index is the SHA-256 of its exact manifest.json; a chain's archive n names archive n−1's manifest SHA-256, so the newest manifest SHA-256 vouches for the whole chain. A tampered report or archive fails these checks."
            ))
    }
}
