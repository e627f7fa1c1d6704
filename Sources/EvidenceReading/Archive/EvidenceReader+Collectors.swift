import EvidenceArchive
import Foundation

extension CollectorSpan {
    /// The collection a manifest records.
    init(_ manifest: Manifest) {
        self.init(
            accessKeyId: manifest.collector.accessKeyId, principal: manifest.collector.callerArn,
            startedAt: manifest.startedAt, finishedAt: manifest.finishedAt)
    }
}

extension EvidenceReader {
    /// The collections whose calls the CloudTrail of `archives` may hold: each archive's own, and
    /// the one before each archive whose predecessor is not among them. A collection's calls come
    /// after its own window closes, so they are in the next archive's slice: the previous archive's
    /// manifest, found beside the archive under the name its chain link gives and trusted only when
    /// its SHA-256 is the one that link records, says when the calls it holds were the collector's.
    /// A predecessor that is missing or differs adds nothing: its calls are then judged like anyone's.
    package static func collectors(of archives: [VerifiedArchive]) -> [CollectorSpan] {
        var spans = archives.map(\.collector)
        let read = Set(archives.compactMap { $0.manifestSHA256?.lowercased() })
        var looked = Set<String>()
        for archive in archives {
            guard let previous = archive.manifest.chain.previous,
                case let digest = previous.manifestSHA256.lowercased(), !read.contains(digest),
                looked.insert(digest).inserted
            else { continue }
            // The link names a file beside the archive, never a path elsewhere.
            let name = (previous.name as NSString).lastPathComponent
            let path = ((archive.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
            guard !name.isEmpty, let summary = try? ArchiveSummary.read(path),
                summary.manifestSHA256?.lowercased() == digest, let manifest = summary.manifest,
                manifest.account == archive.manifest.account
            else { continue }
            spans.append(CollectorSpan(manifest))
        }
        return spans
    }
}
