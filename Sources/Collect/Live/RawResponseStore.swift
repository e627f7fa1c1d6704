import AWSClient
import CustodyCrypto
import CustodyJSON
import EvidenceArchive
import Foundation

/// Every response body exactly as received, spooled to a staging folder while collection runs and
/// sealed from there, with `raw/index.jsonl` saying what each one was.
///
/// Bodies go to disk at once, so memory stays bounded and nothing collected is lost if sealing
/// fails: the staging folder is kept until the archive is in place.
///
/// Pinned for reproducible sealing: numbers count per `raw/<service>/<region>/` folder and
/// `members()` lists the index by path, so parallel calls that finish in another order (IAM
/// alongside the regions) name nothing differently; `receivedAt` comes from the collector's
/// injected clock (`SOURCE_DATE_EPOCH`), as the manifest's times do.
actor RawResponseStore {
    /// One line of `raw/index.jsonl`.
    struct IndexEntry: Codable, Sendable {
        var path: String
        var service: String
        var region: String
        var action: String
        var parameters: JSONValue
        var receivedAt: String
        var status: Int
        var requestId: String?
        var attempts: Int?
        var size: Int
        var sha256: String
        var errorCode: String?
    }

    let folder: String
    /// The collector's clock: what `receivedAt` records.
    let now: @Sendable () -> Date
    private var sequences: [String: Int] = [:]
    private var index: [IndexEntry] = []
    private(set) var callCount = 0

    init(folder: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.folder = folder
        self.now = now
    }

    /// Stores a successful response; `region` is `global` for global services.
    func record(_ raw: RawResponse, region: String) throws {
        try store(
            service: raw.service, region: region, action: raw.action, parameters: raw.parameters,
            receivedAt: now(), status: raw.statusCode, requestId: raw.requestId, attempts: raw.attempts,
            body: Array(raw.body), contentType: raw.headers["content-type"], errorCode: nil)
    }

    /// Stores the body of an error response.
    func record(_ error: AWSServiceError, region: String) throws {
        try store(
            service: error.service, region: region, action: error.operation, parameters: .object([:]),
            receivedAt: now(),
            status: error.statusCode, requestId: error.requestId, attempts: nil, body: error.body, contentType: nil,
            errorCode: error.code)
    }

    private func store(
        service: String, region: String, action: String, parameters: JSONValue, receivedAt: Date,
        status: Int, requestId: String?, attempts: Int?, body: [UInt8], contentType: String?, errorCode: String?
    ) throws {
        let directory = "raw/\(service)/\(region)"
        let sequence = sequences[directory, default: 0] + 1
        sequences[directory] = sequence
        callCount += 1
        let kind = Self.fileExtension(contentType: contentType, body: body)
        let name = String(format: "%06d", sequence) + "-" + action + "." + kind
        let relative = directory + "/" + name
        let path = folder + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(body)) else {
            throw CollectError(.stagingFailed, "Cannot write \(path) while collecting; check the case folder's disk.")
        }
        index.append(
            IndexEntry(
                path: relative, service: service, region: region, action: action, parameters: parameters,
                receivedAt: Timestamp.iso8601(receivedAt), status: status, requestId: requestId, attempts: attempts,
                size: body.count, sha256: SHA256.hash(body).hex, errorCode: errorCode))
    }

    /// The members to seal: every body by path (in the order received within each folder), then
    /// `raw/index.jsonl` in the same order.
    func members() throws -> [SealMember] {
        let ordered = index.sorted { $0.path < $1.path }
        var members = ordered.map { SealMember(path: $0.path, source: .file(folder + "/" + $0.path)) }
        var lines: [UInt8] = []
        for entry in ordered { lines += try CanonicalJSON.encode(entry) }
        members.append(SealMember(path: "raw/index.jsonl", source: .bytes(lines)))
        return members
    }

    private static func fileExtension(contentType: String?, body: [UInt8]) -> String {
        if let contentType {
            if contentType.contains("json") { return "json" }
            if contentType.contains("xml") { return "xml" }
        }
        switch body.first(where: { $0 != 0x20 && $0 != 0x0a && $0 != 0x0d && $0 != 0x09 }) {
        case UInt8(ascii: "<"): return "xml"
        case UInt8(ascii: "{"), UInt8(ascii: "["): return "json"
        default: return "bin"
        }
    }
}
