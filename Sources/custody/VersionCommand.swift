import ArgumentParser
import Collect
import CustodyJSON
import EvidenceArchive

extension Custody {
    /// `custody version`: the tool's version and the versions of the formats it reads and writes.
    struct VersionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "version",
            abstract: "Print custody's version and the archive format versions it reads and writes.",
            discussion: """
                The first line is what `custody --version` prints. The others say which archive format \
                (custody.json and manifest.json) this build writes and which versions it reads, and the \
                version of the CloudTrail import summary it writes. --json prints Schemas/version.schema.json.
                """
        )

        @OptionGroup var output: JSONOutput

        func run() throws {
            let versions = Versions()
            if output.isJSON {
                try JSONOutput.print(versions)
            } else {
                Console.print(versions.text)
            }
        }
    }

    /// What `custody version` prints.
    struct Versions: Codable, Equatable {
        /// A format and the versions of it this build handles.
        struct Format: Codable, Equatable {
            var format: String
            var writes: Int
            var reads: [Int]
        }

        var tool = "custody"
        var version = Custody.version
        var archive = Format(
            format: Manifest.formatName, writes: Manifest.currentVersion, reads: Array(Manifest.readableVersions))
        var cloudTrailImport = Format(
            format: CloudTrailImportSummary.formatName, writes: CloudTrailImportSummary.currentVersion,
            reads: [CloudTrailImportSummary.currentVersion])

        var text: String {
            [
                version,
                "archives: writes \(archive.format) version \(archive.writes), reads versions "
                    + archive.reads.map(String.init).joined(separator: ", "),
                "CloudTrail import summaries: writes \(cloudTrailImport.format) version \(cloudTrailImport.writes)",
            ].joined(separator: "\n")
        }
    }
}
