import Evidence
import EvidenceArchive

/// What reading one file of an import found.
struct ImportFileScan: Sendable {
    /// The file on disk.
    var source: String
    /// Its name relative to the path it was given by.
    var name: String
    var size: Int64 = 0
    var sha256 = ""
    var compressed = false
    var shape = CloudTrailShape.unrecognised
    var records = 0
    var issueCount = 0
    var issues: [CloudTrailParseIssue] = []
    var earliest: Int64?
    var latest: Int64?
    var recipientAccounts: [String: Int] = [:]
    var regions: [String: Int] = [:]
    var otherAccountRecords = 0
    var recordsWithoutEventTime = 0
    var recordsOutsideWindow = 0
    /// Records lacking an essential member (`CloudTrailRecord.missingEssentials`), all counted.
    var incompleteCount = 0
    /// The first `maximumIncomplete` of them, naming the file on disk.
    var incomplete: [CloudTrailIncompleteRecord] = []
    /// Why the file is left out, or `nil` when it is imported.
    var skipReason: String?

    /// Extensions whose files are always imported; others only when their content is CloudTrail.
    static let cloudTrailExtensions = [".json", ".json.gz", ".jsonl", ".jsonl.gz"]

    /// How much is read ahead to decide whether a file of another extension is JSON at all.
    static let sniffSize = 4096

    /// Incomplete records named at most per file; all are counted.
    static let maximumIncomplete = 1000

    /// Reads the file at `source`, counting its records, noting its issues and hashing its bytes.
    /// - Parameters:
    ///   - account: the archive's account; records for others are counted.
    ///   - window: seconds `[from, to)`; records outside are counted.
    ///   - limit: the most gzip may expand to; reading stops there with an `unreadable` issue.
    /// - Throws: `CollectError.inputUnreadable` when the file cannot be read at all.
    static func read(
        source: String, name: String, account: String, window: Range<Int64>?,
        limit: DecompressedSizeLimit = .standard
    ) throws -> ImportFileScan {
        var scan = ImportFileScan(source: source, name: name)
        let known = cloudTrailExtensions.contains { name.lowercased().hasSuffix($0) }
        let file = try HashedFile(path: source)
        let head = try ReplayingInput.readAhead(64 << 10, from: file.read)
        scan.compressed = Gzip.hasMagic(head)
        let raw = ReplayingInput(prefix: head, rest: file.read)
        var read: (UnsafeMutableRawBufferPointer) throws -> Int = raw.read
        if scan.compressed {
            do {
                read = try Gzip.Reader(name: source, limit: limit, input: raw.read).read
            } catch {
                guard known else {
                    scan.skipReason = "gzip data that cannot be read (\(error))"
                    return scan
                }
                // The bytes are still evidence: seal them, and say why nothing could be read.
                scan.issueCount = 1
                scan.issues = [
                    CloudTrailParseIssue(
                        file: source, position: CloudTrailPosition(record: 1, line: 1, byte: 0), kind: .unreadable,
                        reason: "\(error)")
                ]
                scan.sha256 = try file.finish()
                scan.size = file.count
                return scan
            }
        }
        if !known {
            let start = try ReplayingInput.readAhead(sniffSize, from: read)
            guard startsLikeJSON(start) else {
                scan.skipReason = start.isEmpty ? "empty" : "not JSON"
                return scan
            }
            read = ReplayingInput(prefix: start, rest: read).read
        }

        let reader = CloudTrailReader(source: ClosureSource(read: read), file: source)
        for record in reader {
            scan.count(record, file: source, account: account, window: window)
        }
        scan.shape = reader.shape
        scan.issueCount = reader.issueCount
        scan.issues = reader.issues
        if scan.records == 0 && scan.shape == .unrecognised && reader.issueCount == reader.issues.count
            && reader.issues.allSatisfy({ $0.kind == .notARecord })
        {
            scan.skipReason = "JSON that holds no CloudTrail record"
            return scan
        }
        if !known && scan.shape == .empty {
            scan.skipReason = "no content"
            return scan
        }
        scan.sha256 = try file.finish()
        scan.size = file.count
        return scan
    }

    /// Notes one record's time, account and region, and what it lacks.
    mutating func count(_ record: CloudTrailRecord, file: String, account: String, window: Range<Int64>?) {
        records += 1
        let missing = record.missingEssentials
        if !missing.isEmpty {
            incompleteCount += 1
            if incomplete.count < Self.maximumIncomplete {
                incomplete.append(CloudTrailIncompleteRecord(file: file, position: record.position, missing: missing))
            }
        }
        if let seconds = record.eventTimeSeconds {
            if earliest.map({ seconds < $0 }) ?? true { earliest = seconds }
            if latest.map({ seconds > $0 }) ?? true { latest = seconds }
            if let window, !window.contains(seconds) { recordsOutsideWindow += 1 }
        } else {
            recordsWithoutEventTime += 1
        }
        if let recipient = record.recipientAccountId {
            recipientAccounts[recipient, default: 0] += 1
            if recipient != account { otherAccountRecords += 1 }
        }
        if let region = record.awsRegion { regions[region, default: 0] += 1 }
    }

    /// Whether the first non-blank character (after a byte order mark) opens an object or array.
    static func startsLikeJSON(_ bytes: [UInt8]) -> Bool {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[index]) { index += 1 }
        return index < bytes.count && (bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "["))
    }
}

/// Whatever a closure reads, as a source of CloudTrail bytes.
struct ClosureSource: CloudTrailByteSource {
    let read: (UnsafeMutableRawBufferPointer) throws -> Int

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try read(buffer)
    }
}
