/// Plain-text rendering of verification results, one line per archive and per problem.
extension VerificationReport {
    /// Writes the report for a person to read.
    public func render(into output: inout some TextOutputStream) {
        for entry in trusted {
            output.write("trusted signer \(entry.fingerprint): \(entry.reason)\n")
        }
        if trusted.isEmpty {
            output.write("no signer is trusted: pass --trust KEY.pub or --trust-fingerprint HEX\n")
        }
        for chain in chains {
            output.write("\naccount \(chain.account) (\(chain.folder)): \(chain.archives.count) archive(s)\n")
            for archive in chain.archives { archive.render(into: &output, indent: "  ") }
            for problem in chain.problems { output.write("  chain problem \(problem)\n") }
            for note in chain.notes { output.write("  note: \(note)\n") }
            if chain.ok, let tip = chain.tipManifestSHA256 {
                output.write(
                    "  chain ok; newest manifest SHA-256 \(tip) (record it to detect removal of the newest archive)\n")
            }
        }
        if !archives.isEmpty { output.write("\n") }
        for archive in archives { archive.render(into: &output, indent: "") }
        for problem in problems { output.write("problem \(problem)\n") }
        output.write(
            "\n\(ok ? "OK" : "FAILED"): \(archiveCount) archive(s) verified, \(problemCount) problem(s) found\n")
    }
}

extension ArchiveVerification {
    /// Writes one archive's line and its problems.
    public func render(into output: inout some TextOutputStream, indent: String) {
        let status = ok ? "ok    " : "FAILED"
        var line = "\(indent)\(status) \(path)"
        if let sequence { line += " #\(sequence)" }
        if let manifestSHA256 { line += " manifest \(manifestSHA256)" }
        output.write(line + "\n")
        if let signerFingerprint {
            let trust = signerTrustedBecause == nil ? "not trusted" : "trusted"
            output.write("\(indent)       signed by \(signerFingerprint) (\(trust))\n")
        }
        if let windows = cloudTrailWindows, !windows.isEmpty {
            for line in Manifest.CloudTrailWindow.summaryLines(windows) {
                output.write("\(indent)       CloudTrail \(line)\n")
            }
        } else if let window = cloudTrailWindow {
            output.write("\(indent)       CloudTrail \(window.from) to \(window.to)\n")
        }
        for gap in coverageGaps {
            let region = gap.region.map { " \($0)" } ?? ""
            output.write(
                "\(indent)       coverage gap: \(gap.source)\(region) \(gap.item) \(gap.status)\(gap.error.map { ": \($0)" } ?? "")\n"
            )
        }
        if let evidenceCheck {
            output.write("\(indent)       report: \(evidenceCheck)\n")
        }
        for problem in problems {
            output.write("\(indent)       \(problem)\n")
        }
    }
}
