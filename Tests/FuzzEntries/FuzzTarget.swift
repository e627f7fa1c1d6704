import Diff
import Evidence

/// What each fuzz target feeds its input to. `Fuzz/<name>/` builds a libFuzzer executable around
/// one of them (`Scripts/fuzz`), and `FuzzCorpusTests` replays `Tests/FuzzCorpus/<name>/`
/// through the same call in every test run. No input may crash any of them.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `CloudTrailReader` in every way it is fed, and every record it returns looked into.
    case cloudTrailReader = "cloudtrail-reader"
    /// The input read as a CloudTrail file as `hunt` reads one, then every rule over it: slower
    /// than the reader alone, so a target of its own.
    case cloudTrailHunt = "cloudtrail-hunt"
    /// The JSON scanner the reader is made of, and the tree parser and tape it writes, which must
    /// accept and read the same texts.
    case jsonScanner = "json-scanner"
    /// The snapshot members read from their tapes (`SnapshotReading`), and from Foundation's
    /// decoder where the tape gives up.
    case snapshotTape = "snapshot-tape"
    /// Archive verification, which reads the tar entry by entry.
    case tarReader = "tar-reader"
    /// Manifest decoding, and what is worked out from a manifest.
    case manifest
    /// CloudTrail's digest files, their chain and the log files they list.
    case digestValidator = "digest-validator"

    /// Feeds `bytes` to the target.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .cloudTrailReader: CloudTrailFuzzing.read(bytes)
        case .cloudTrailHunt: CloudTrailFuzzing.hunt(bytes)
        case .jsonScanner: JSONScannerFuzzing.scan(bytes)
        case .snapshotTape: SnapshotTapeFuzzing.decode(bytes)
        case .tarReader: ArchiveFuzzing.verify(bytes)
        case .manifest: ArchiveFuzzing.manifest(bytes)
        case .digestValidator: ArchiveFuzzing.digests(bytes)
        }
    }
}
