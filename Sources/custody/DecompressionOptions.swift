import ArgumentParser
import EvidenceArchive

/// `--max-decompressed-size`, for the commands that read CloudTrail from gzip files.
struct DecompressionOptions: ParsableArguments {
    @Option(
        name: .customLong("max-decompressed-size"),
        help: ArgumentHelp(
            "The most one gzip CloudTrail file may expand to, such as 8GiB or 500MB (default 4GiB); reading a file stops there and says so.",
            valueName: "SIZE"),
        transform: Self.parse)
    var limit = DecompressedSizeLimit.standard

    static func parse(_ text: String) throws -> DecompressedSizeLimit {
        guard let limit = DecompressedSizeLimit(parsing: text) else {
            throw ValidationError(
                "give a size: a number with KiB, MiB, GiB or TiB (or kB, MB, GB, TB), such as 8GiB.")
        }
        return limit
    }
}
