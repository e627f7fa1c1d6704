extension Eradication {
    /// The verdict in words, with the counts: `complete`, what remains, or what cannot be told.
    public var summary: String {
        let counts = EradicationStatus.allCases.compactMap { status -> String? in
            let n = count(status)
            return n == 0 ? nil : "\(n) \(status.rawValue)"
        }
        let tally = counts.isEmpty ? "nothing to check" : counts.joined(separator: ", ")
        switch verdict {
        case .complete:
            return "complete: nothing of the incident remains in the newest snapshot (\(tally))"
                + (count(.contained) > 0 ? "; what is contained is still there, to delete once the case is closed" : "")
        case .remains:
            return
                "not complete: \(count(.remains)) thing\(count(.remains) == 1 ? "" : "s") of the incident remain\(count(.remains) == 1 ? "s" : "") (\(tally))"
        case .unknown:
            return
                "not known: nothing is known to remain, but the newest snapshot cannot tell about \(count(.unknown)) (\(tally))"
        }
    }

    /// Writes the check: the verdict, then each result, what remains first with its commands.
    public func render(into output: inout some TextOutputStream) {
        output.write("\neradication, judged against the snapshot taken \(takenAt)")
        if let archive { output.write(" (\(archive))") }
        output.write(":\n\(summary)\n")
        for result in results {
            output.write("  \(result.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) ")
            output.write(result.rule.map { "\($0) " } ?? "")
            output.write("\(result.entity.kind.rawValue) \(result.entity.id)")
            output.write(result.entity.name.map { " (\($0))" } ?? "")
            output.write(result.entity.region.map { " in \($0)" } ?? "")
            output.write("\n      \(result.reason)\n")
            for command in result.commands { output.write("    $ \(command)\n") }
        }
    }
}
