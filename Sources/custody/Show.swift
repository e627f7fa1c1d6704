import CustodyJSON
import ArgumentParser
import EvidenceArchive
import Foundation

extension Custody {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an archive's manifest and members without extracting it.",
            discussion: """
                Reads the manifest and lists every member with its size. It does not check hashes or the \
                signature: use custody verify for that.

                --json prints Schemas/show.schema.json.

                Example: custody show ./incident-42/111122223333/000001-20261129T001200Z.tar
                """)

        @OptionGroup var output: JSONOutput

        @Argument(help: ArgumentHelp("The archive to show.", valueName: "ARCHIVE"))
        var archive: String

        func run() async throws {
            let summary = try ArchiveSummary.read(archive)
            if output.isJSON {
                try JSONOutput.print(summary)
                return
            }
            var lines: [String] = ["archive \(summary.path)  (not verified: run custody verify)"]
            if let manifest = summary.manifest {
                lines.append(
                    "account     \(manifest.account)   case \(manifest.caseId)   kind \(manifest.kind)\(manifest.kind.isKnown ? "" : " (a kind this version does not know)")"
                )
                lines.append(
                    "sequence    \(manifest.chain.sequence)"
                        + (manifest.chain.previous.map { " after \($0.name) (manifest \($0.manifestSHA256))" }
                            ?? " (first of the chain)"))
                lines.append(
                    "collected   \(manifest.startedAt) to \(manifest.finishedAt) by \(manifest.collector.tool) \(manifest.collector.version)"
                        + (manifest.collector.callerArn.map { " as \($0)" } ?? ""))
                if let window = manifest.cloudTrailWindow { lines.append("cloudtrail  \(window.from) to \(window.to)") }
                for line in Manifest.CloudTrailWindow.summaryLines(manifest.regionWindows) {
                    lines.append("  window    " + line)
                }
                if !manifest.regions.isEmpty { lines.append("regions     \(manifest.regions.joined(separator: ", "))") }
                lines.append("signer      \(manifest.signer.fingerprint) (\(manifest.signer.algorithm))")
                lines.append("manifest    sha256 \(summary.manifestSHA256 ?? "?")")
                let complete = manifest.coverage.filter { $0.status == .complete }
                let regions = Set(complete.compactMap(\.region))
                lines.append(
                    "coverage    \(complete.count) of \(manifest.coverage.count) item(s) complete, in \(regions.count) region(s) and globally"
                )
                for entry in manifest.coverage where entry.status != .complete {
                    lines.append(
                        "  gap       \(entry.source)\(entry.region.map { " " + $0 } ?? "") \(entry.item): \(entry.status)\(entry.error.map { " (\($0))" } ?? "")"
                    )
                }
            } else {
                lines.append("no readable manifest.json")
            }
            lines.append("members:")
            let hashes = Dictionary(
                (summary.manifest?.members ?? []).map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            for entry in summary.entries {
                let kind = entry.type == "regular" ? "" : " [\(entry.type)]"
                let hash = hashes[entry.path].map { "  \($0)" } ?? ""
                lines.append(String(format: "%12lld  ", entry.size) + entry.path + kind + hash)
            }
            Console.print(lines.joined(separator: "\n"))
        }
    }
}
