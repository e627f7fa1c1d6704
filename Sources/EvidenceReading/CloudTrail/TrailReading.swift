import Evidence
package import EvidenceArchive
import Foundation

/// Reads CloudTrail members into an `EventLog`: one streaming pass per member, members in
/// parallel, the record of an event parsed whole only when a rule will look into it.
package enum TrailReading {
    /// Reads every member (path on disk, description) into one log, the calls of the collections
    /// `collectors` marked (`EventLog.init(merging:…)`), the whole record kept (`detailMembers`)
    /// for the events named `names`.
    package static func read(
        _ members: [(path: String, source: TrailSource)], keeping names: Set<String>, collectors: [CollectorSpan],
        limit: DecompressedSizeLimit = .standard
    ) async -> EventLog {
        let parts = await withTaskGroup(of: (Int, EventLog).self) { group in
            var results = [EventLog?](repeating: nil, count: members.count)
            var next = 0
            func start() {
                guard next < members.count else { return }
                let index = next
                let member = members[index]
                next += 1
                group.addTask {
                    (index, readMember(path: member.path, source: member.source, keeping: names, limit: limit))
                }
            }
            for _ in 0..<max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4)) { start() }
            while let (index, log) = await group.next() {
                results[index] = log
                start()
            }
            return results.compactMap { $0 }
        }
        return EventLog(merging: parts, collectors: collectors)
    }

    /// The members of a kept record that rules and reports read: what the call asked and got,
    /// and the two strings rules check besides the row's. The row holds the caller, the time and
    /// the other top-level strings; transport details (`tlsDetails`, `requestID` …) are read by no
    /// rule. Building only these keeps reading fast and the log small.
    package static let detailMembers = [
        "requestParameters", "responseElements", "additionalEventData", "serviceEventDetails", "resources",
        "errorMessage", "eventSource", "userAgent",
    ]

    /// The interned caller of an event: what `userIdentity` gives a row.
    private struct Caller {
        var type, principal, principalId, account, accessKey, userName, invokedBy, issuerArn, issuerType,
            sessionCreated: Int32
        var mfa: Int8

        /// No `userIdentity` object.
        static let none = Caller(
            type: 0, principal: 0, principalId: 0, account: 0, accessKey: 0, userName: 0, invokedBy: 0, issuerArn: 0,
            issuerType: 0, sessionCreated: 0, mfa: -1)
    }

    /// Reads one member, gzip expanding to at most `limit`, the records of `names` kept.
    package static func readMember(
        path: String, source: TrailSource, keeping names: Set<String>, limit: DecompressedSizeLimit = .standard
    ) -> EventLog {
        var log = EventLog()
        var source = source
        let byteSource: FileBytes
        do {
            byteSource = try FileBytes.open(path, name: source.member, limit: limit)
        } catch {
            source.issues = 1
            log.sources = [source]
            return log
        }
        let reader = CloudTrailReader(source: byteSource, file: source.member)
        var wanted: [Int8] = []  // by interned eventName: 1 keep the record, 0 not, -1 not yet decided
        // Callers by the bytes of their `userIdentity`: most events repeat one of a few hundred,
        // so their ten members are interned once per distinct caller, not once per event.
        var identities = StringTable()
        var callers = [Caller.none]  // by id in `identities`; 0 is never used
        while let record = reader.next() {
            var row = EventRow()
            row.time = record.eventTimeSeconds ?? .min
            // Of the archive after a diff's later one, only what is known to come before its snapshot.
            if let before = source.before, !row.hasTime || row.time >= before { continue }
            row.record = Int32(clamping: record.position.record)
            row.line = Int32(clamping: record.position.line)
            record.json.withUnsafeBufferPointer { bytes in
                func bytesOf(_ member: CloudTrailRecord.Member) -> (UnsafeBufferPointer<UInt8>, escaped: Bool)? {
                    guard let location = record.location(of: member), location.isString else { return nil }
                    return (UnsafeBufferPointer(rebasing: bytes[location.range]), location.hasEscapes)
                }
                func intern(_ value: UnsafeBufferPointer<UInt8>, escaped: Bool) -> Int32 {
                    guard escaped else { return log.table.intern(value) }
                    return EventScanner.unescape(value).withUnsafeBufferPointer { log.table.intern($0) }
                }
                func id(_ member: CloudTrailRecord.Member) -> Int32 {
                    guard let (value, escaped) = bytesOf(member) else { return 0 }
                    return intern(value, escaped: escaped)
                }
                if let (value, escaped) = bytesOf(.eventID) {
                    row.eventID =
                        escaped
                        ? EventScanner.unescape(value).withUnsafeBufferPointer { log.eventIDs.append($0) }
                        : log.eventIDs.append(value)
                }
                row.eventTime = id(.eventTime)
                row.name = id(.eventName)
                row.source = id(.eventSource)
                row.region = id(.awsRegion)
                row.sourceIP = id(.sourceIPAddress)
                row.userAgent = id(.userAgent)
                row.vpcEndpoint = id(.vpcEndpointId)
                row.errorCode = id(.errorCode)
                row.recipient = id(.recipientAccountId)
                row.eventType = id(.eventType)
                row.readOnly = record.readOnly.map { $0 ? 1 : 0 } ?? -1
                guard let identity = record.location(of: .userIdentity), !identity.isString,
                    bytes[identity.range.lowerBound] == UInt8(ascii: "{")
                else { return }
                let identityBytes = UnsafeBufferPointer(rebasing: bytes[identity.range])
                let key = Int(identities.intern(identityBytes))
                if key == callers.count {
                    let fields = EventScanner.scanIdentity(identityBytes)
                    func id(_ span: EventScanner.Span?) -> Int32 {
                        guard let span else { return 0 }
                        return intern(
                            UnsafeBufferPointer(rebasing: identityBytes[span.start..<span.end]), escaped: span.escaped)
                    }
                    callers.append(
                        Caller(
                            type: id(fields.identityType), principal: id(fields.arn),
                            principalId: id(fields.principalId),
                            account: id(fields.accountId), accessKey: id(fields.accessKeyId),
                            userName: id(fields.userName),
                            invokedBy: id(fields.invokedBy), issuerArn: id(fields.issuerArn),
                            issuerType: id(fields.issuerType),
                            sessionCreated: id(fields.sessionCreationDate),
                            mfa: fields.mfaAuthenticated.map { $0 ? 1 : 0 } ?? -1))
                }
                let who = callers[key]
                row.identityType = who.type
                row.principal = who.principal
                row.principalId = who.principalId
                row.identityAccount = who.account
                row.accessKey = who.accessKey
                row.userName = who.userName
                row.invokedBy = who.invokedBy
                row.issuerArn = who.issuerArn
                row.issuerType = who.issuerType
                row.sessionCreated = who.sessionCreated
                row.mfa = who.mfa
            }
            let name = Int(row.name)
            if name >= wanted.count { wanted += [Int8](repeating: -1, count: name - wanted.count + 64) }
            if wanted[name] < 0 { wanted[name] = names.contains(log.table[row.name]) ? 1 : 0 }
            if wanted[name] == 1, let event = try? record.event(members: detailMembers) {
                row.detail = Int32(log.details.count)
                log.details.append(event)
            }
            if !log.missingEssentials(row).isEmpty { source.incompleteRecords += 1 }
            log.rows.append(row)
        }
        source.shape = reader.shape
        source.records = reader.recordCount
        source.issues = reader.issueCount
        if byteSource.limitReached {
            log.notes.append(
                "\(source.member) of \((source.archive as NSString).lastPathComponent) expands to more than \(limit) when decompressed: only the "
                    + "records before that point were read; raise --max-decompressed-size if the file is genuine.")
        }
        log.sources = [source]
        return log
    }
}

/// A file's bytes, decompressed when it is gzip.
package struct FileBytes: CloudTrailByteSource {
    private let handle: FileHandle?
    private let gzip: Gzip.Reader?

    /// The file at `path`, named `name` in messages; gzip expands to at most `limit`.
    package static func open(_ path: String, name: String? = nil, limit: DecompressedSizeLimit = .standard) throws
        -> FileBytes
    {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let magic = try handle.read(upToCount: 3) ?? Data()
        if Gzip.hasMagic(Array(magic)) {
            try handle.close()
            return FileBytes(handle: nil, gzip: try Gzip.Reader(path: path, name: name, limit: limit))
        }
        try handle.seek(toOffset: 0)
        return FileBytes(handle: handle, gzip: nil)
    }

    /// Whether the gzip data expanded beyond the limit, so reading stopped there.
    package var limitReached: Bool { gzip?.limitReached ?? false }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let gzip { return try gzip.read(into: buffer) }
        guard let handle else { return 0 }
        let count = Foundation.read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
        if count < 0 { throw CocoaError(.fileReadUnknown) }
        return count
    }
}
