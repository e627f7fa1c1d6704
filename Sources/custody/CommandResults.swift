import Collect
import EvidenceArchive
import Report

/// What `--json` prints for the commands that seal, make keys, extract or report. Each has its
/// schema in `Schemas/`: `seal`, `keygen`, `extract`, `import-cloudtrail`, `report` and `demo`
/// `.schema.json`.
enum CommandResults {
    /// A sealed archive: `Schemas/seal.schema.json`, and part of the others.
    struct Sealed: Codable, Equatable {
        var archive: String
        var account: String
        var sequence: Int
        var manifestSha256: String
        var signerFingerprint: String

        init(_ result: SealResult) {
            archive = result.archivePath
            account = result.manifest.account
            sequence = result.sequence
            manifestSha256 = result.manifestSHA256
            signerFingerprint = result.manifest.signer.fingerprint
        }
    }

    /// `custody keygen --json`: where the key went and its fingerprint, never the key.
    struct Key: Codable, Equatable {
        var privateKey: String
        var publicKey: String
        var type: String
        var fingerprint: String
    }

    /// `custody extract --json`.
    struct Extracted: Codable, Equatable {
        var archive: String
        var folder: String
        var files: [String]
    }

    /// `custody import-cloudtrail --json`: the archive and the summary sealed into it.
    struct Imported: Codable {
        var sealed: Sealed
        var summary: CloudTrailImportSummary
        var complete: Bool
        var changedFiles: [String]
    }

    /// `custody report --json`: the files written and the sealed report.
    struct Reported: Codable, Equatable {
        var files: [String]
        var sealed: Sealed
        var evidenceArchives: Int
        var findings: SeverityCounts
        var events: Int
        var incompleteEvents: Int
    }

    /// `custody demo --json`: where the report and the evidence are, and whether they verified.
    struct Demo: Codable, Equatable {
        var folder: String
        var report: String
        var caseFolder: String
        var findings: SeverityCounts
        var verified: Bool
    }
}
