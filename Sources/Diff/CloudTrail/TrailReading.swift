import Evidence
import EvidenceArchive
import Foundation

/// Reads CloudTrail members into an `EventLog`: one streaming pass per member, members in
/// parallel, the record of an event parsed whole only when a rule will look into it.
enum TrailReading {
    /// The events whose whole record is kept: every event a rule or the actor graph looks into.
    static let detailNames: Set<String> = {
        var names = Set(Rule.all.flatMap(\.eventNames))
        names.formUnion([
            "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetSessionToken", "GetFederationToken",
            "CreateAccessKey", "CreateUser", "CreateRole", "CreateLoginProfile", "RunInstances", "CreateVpcEndpoint",
            "CreateInstanceProfile", "ConsoleLogin", "DeleteAccessKey", "CreateTags",
        ])
        return names
    }()

    /// Reads every member (path on disk, description) into one log.
    static func read(_ members: [(path: String, source: TrailSource)]) async -> EventLog {
        var parts = await withTaskGroup(of: (Int, EventLog).self) { group in
            var results = [EventLog?](repeating: nil, count: members.count)
            var next = 0
            func start() {
                guard next < members.count else { return }
                let index = next
                let member = members[index]
                next += 1
                group.addTask { (index, readMember(path: member.path, source: member.source)) }
            }
            for _ in 0..<max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4)) { start() }
            while let (index, log) = await group.next() {
                results[index] = log
                start()
            }
            return results.compactMap { $0 }
        }
        guard !parts.isEmpty else { return EventLog() }
        // Each part is let go once merged, so the parts and the whole are not all held at once.
        var log = parts[0]
        parts[0] = EventLog()
        for index in parts.indices.dropFirst() {
            log.append(parts[index])
            parts[index] = EventLog()
        }
        return log
    }

    /// Reads one member.
    static func readMember(path: String, source: TrailSource) -> EventLog {
        var log = EventLog()
        var source = source
        let byteSource: any CloudTrailByteSource
        do {
            byteSource = try FileBytes.open(path)
        } catch {
            source.issues = 1
            log.sources = [source]
            return log
        }
        let reader = CloudTrailReader(source: byteSource, file: source.member)
        var wanted: [Int8] = []  // by interned eventName: 1 keep the record, 0 not, -1 not yet decided
        while let record = reader.next() {
            var row = EventRow()
            row.time = record.eventTimeSeconds ?? .min
            row.record = Int32(clamping: record.position.record)
            row.line = Int32(clamping: record.position.line)
            record.json.withUnsafeBufferPointer { bytes in
                let fields = EventScanner.scan(bytes)
                func id(_ span: EventScanner.Span?) -> Int32 {
                    guard let span else { return 0 }
                    let slice = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
                    guard span.escaped else { return log.table.intern(slice) }
                    return EventScanner.unescape(slice).withUnsafeBufferPointer { log.table.intern($0) }
                }
                row.eventID = id(fields.eventID)
                row.eventTime = id(fields.eventTime)
                row.name = id(fields.eventName)
                row.source = id(fields.eventSource)
                row.region = id(fields.awsRegion)
                row.identityType = id(fields.identityType)
                row.principal = id(fields.arn)
                row.principalId = id(fields.principalId)
                row.identityAccount = id(fields.accountId)
                row.accessKey = id(fields.accessKeyId)
                row.userName = id(fields.userName)
                row.invokedBy = id(fields.invokedBy)
                row.issuerArn = id(fields.issuerArn)
                row.issuerType = id(fields.issuerType)
                row.sessionCreated = id(fields.sessionCreationDate)
                row.sourceIP = id(fields.sourceIPAddress)
                row.userAgent = id(fields.userAgent)
                row.vpcEndpoint = id(fields.vpcEndpointId)
                row.errorCode = id(fields.errorCode)
                row.recipient = id(fields.recipientAccountId)
                row.eventType = id(fields.eventType)
                row.readOnly = fields.readOnly.map { $0 ? 1 : 0 } ?? -1
                row.mfa = fields.mfaAuthenticated.map { $0 ? 1 : 0 } ?? -1
            }
            let name = Int(row.name)
            if name >= wanted.count { wanted += [Int8](repeating: -1, count: name - wanted.count + 64) }
            if wanted[name] < 0 { wanted[name] = detailNames.contains(log.table[row.name]) ? 1 : 0 }
            if wanted[name] == 1, let event = try? record.event() {
                row.detail = Int32(log.details.count)
                log.details.append(event)
            }
            log.rows.append(row)
        }
        source.shape = reader.shape
        source.records = reader.recordCount
        source.issues = reader.issueCount
        log.sources = [source]
        return log
    }
}

/// A file's bytes, decompressed when it is gzip.
struct FileBytes: CloudTrailByteSource {
    private let handle: FileHandle?
    private let gzip: Gzip.Reader?

    static func open(_ path: String) throws -> FileBytes {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let magic = try handle.read(upToCount: 3) ?? Data()
        if Gzip.hasMagic(Array(magic)) {
            try handle.close()
            return FileBytes(handle: nil, gzip: try Gzip.Reader(path: path))
        }
        try handle.seek(toOffset: 0)
        return FileBytes(handle: handle, gzip: nil)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let gzip { return try gzip.read(into: buffer) }
        guard let handle else { return 0 }
        let count = Foundation.read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
        if count < 0 { throw CocoaError(.fileReadUnknown) }
        return count
    }
}
