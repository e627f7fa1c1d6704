extension Finding {
    /// Writes the finding for a responder: what, who, when, from where, evidence, what to do.
    public func render(into output: inout some TextOutputStream) {
        output.write("[\(severity.rawValue.uppercased())\(effect.map { " " + $0.rawValue } ?? "")] \(rule)  \(title)\n")
        output.write("  why:      \(reason)\n")
        output.write("  seen in:  \(basis == .snapshotDiff ? "snapshot diff" : "CloudTrail only")")
        output.write(
            "; ATT&CK \(techniques.map { t in t.formerId.map { "\(t.id) (\($0))" } ?? t.id }.joined(separator: ", "))\n"
        )
        output.write(
            "  entity:   \(entity.kind.rawValue) \(entity.id)\(entity.name.map { " (\($0))" } ?? "")\(region.map { " in \($0)" } ?? "")\n"
        )
        if let event {
            output.write("  event:    \(event.eventTime ?? "?") \(event.eventName ?? "?") by \(event.principal ?? "?")")
            output.write(" key \(event.accessKeyId ?? "-") from \(event.sourceIPAddress ?? "-")")
            if let endpoint = event.vpcEndpointId { output.write(" via \(endpoint)") }
            output.write("\n            agent \(event.userAgent ?? "-"); eventID \(event.eventID ?? "-")\n")
        }
        if let actor { output.write("  actor:    \(actor)\n") }
        if let exposure {
            output.write(
                "  exposure: \(exposure.accessKeyId ?? "credentials") usable from \(exposure.issuedAt) to \(exposure.expiresAt ?? "unknown")\n"
            )
        }
        for pointer in evidence {
            output.write("  evidence: \(pointer.archive.isEmpty ? "" : pointer.archive + " ")\(pointer.member)")
            if let json = pointer.jsonPointer { output.write(" \(json)") }
            if let line = pointer.line { output.write(" line \(line)") }
            if let sha = pointer.sha256 { output.write(" sha256 \(sha)") }
            output.write("\n")
        }
        output.write("  contain:  \(containment.advice)\n")
        for command in containment.commands { output.write("    $ \(command)\n") }
    }
}

extension SuspectActor {
    /// Writes the actor: its credentials, where it acted from, how much it did.
    public func render(into output: inout some TextOutputStream) {
        output.write(
            "\(id): \(eventCount) event(s) from \(firstSeen ?? "?") to \(lastSeen ?? "?"), seeded by \(seeds.joined(separator: ", "))\n"
        )
        for credential in credentials {
            output.write("  key \(credential.accessKeyId) (\(credential.origin))")
            if let principal = credential.principal { output.write(" as \(principal)") }
            if let by = credential.obtainedBy { output.write(", obtained by \(by)") }
            if let expires = credential.exposure?.expiresAt { output.write(", usable until \(expires)") }
            output.write("\n")
        }
        if !sourceIPAddresses.isEmpty { output.write("  from: \(sourceIPAddresses.joined(separator: ", "))\n") }
        if !vpcEndpoints.isEmpty { output.write("  through VPC endpoints: \(vpcEndpoints.joined(separator: ", "))\n") }
        if !regions.isEmpty { output.write("  regions: \(regions.joined(separator: ", "))\n") }
        if !created.isEmpty {
            output.write("  made: \(created.map { "\($0.kind.rawValue) \($0.id)" }.joined(separator: ", "))\n")
        }
    }
}

extension DiffReport {
    /// Writes the diff and the findings as text.
    public func render(into output: inout some TextOutputStream) {
        output.write("account \(account)")
        if let before, let after {
            output.write(": \(before.path) (#\(before.sequence)) → \(after.path) (#\(after.sequence))")
        }
        output.write("\n")
        for note in notes { output.write("note: \(note)\n") }
        output.write("\n\(diff.addedCount) added, \(diff.removedCount) removed, \(diff.changedCount) changed\n")
        for change in diff.changes {
            let sign = change.change == .added ? "+" : change.change == .removed ? "-" : "~"
            output.write(
                "\(sign) \(change.entity.kind.rawValue) \(change.entity.id)\(change.entity.name.map { " (\($0))" } ?? "")"
            )
            output.write(change.entity.region.map { " \($0)" } ?? "")
            output.write("\n")
            for field in change.fields.prefix(20) {
                output.write("    \(field.path): \(field.old?.description ?? "∅") → \(field.new?.description ?? "∅")\n")
            }
        }
        renderFindings(findings, actors: actors, into: &output)
    }
}

extension HuntReport {
    /// Writes the findings as text.
    public func render(into output: inout some TextOutputStream) {
        output.write(
            "\(eventCount) event(s) in \(cloudTrail.count) CloudTrail member(s) of \(archives.count) archive(s)")
        output.write(", account(s) \(accounts.joined(separator: ", "))")
        if incompleteEvents.count > 0 { output.write("; \(incompleteEvents.count) incomplete (see the note)") }
        output.write("\n")
        for note in notes { output.write("note: \(note)\n") }
        renderFindings(findings, actors: actors, into: &output)
    }
}

func renderFindings(_ findings: [Finding], actors: [SuspectActor], into output: inout some TextOutputStream) {
    let counts = Severity.allCases.reversed().map { severity in
        "\(findings.count { $0.severity == severity }) \(severity.rawValue)"
    }
    output.write("\n\(findings.count) finding(s): \(counts.joined(separator: ", "))\n")
    for finding in findings {
        output.write("\n")
        finding.render(into: &output)
    }
    if !actors.isEmpty { output.write("\n\(actors.count) suspect actor(s)\n") }
    for actor in actors {
        output.write("\n")
        actor.render(into: &output)
    }
}
