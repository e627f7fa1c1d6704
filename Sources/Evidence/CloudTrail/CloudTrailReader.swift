import CustodyJSON
import Foundation

/// Reads CloudTrail records from a stream of bytes, whatever shape holds them, one record at a time.
///
/// The shape is detected from the content: CloudTrail log files (`{"Records":[…]}`, also several
/// concatenated), `aws cloudtrail lookup-events` output (`{"Events":[…]}`), JSON Lines of records or
/// of LookupEvents events, a JSON array of records, or a single record. Records inside a
/// LookupEvents event (`CloudTrailEvent`, a JSON string) or an envelope (`log`, `detail`) are
/// taken out of it. A UTF-8 byte order mark is skipped.
///
/// Reading is one streaming pass: memory holds one chunk and the record being read, never the
/// file, and no byte is examined more than a few times. A record that cannot be read becomes a
/// `CloudTrailParseIssue` with its position, and reading goes on after it: inside an array, at the
/// end of the broken element; between top-level values, at the next line that starts with `{`
/// or `[`.
public final class CloudTrailReader: IteratorProtocol, Sequence {
    /// The name issues carry.
    public let file: String
    /// Records larger than this are reported as `tooLarge` and skipped without holding them.
    public let maximumRecordSize: Int
    /// How many issues are kept in `issues`; `issueCount` counts them all.
    public let maximumIssues: Int

    /// Records returned so far.
    public private(set) var recordCount = 0
    /// Issues found so far, including those beyond `maximumIssues`.
    public private(set) var issueCount = 0
    /// The first `maximumIssues` issues, in the order found.
    public private(set) var issues: [CloudTrailParseIssue] = []
    /// Digest files seen (objects with `digestStartTime`); they hold no records and are no issue.
    public private(set) var digestCount = 0
    /// Bytes taken from the source so far.
    public var bytesRead: Int64 { storageOffset + Int64(end) }

    private var source: any CloudTrailByteSource
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Where a LookupEvents event's `CloudTrailEvent` string is decoded while it is checked; as
    /// large as `storage`, so any string in it fits.
    private var decoded: UnsafeMutablePointer<UInt8>
    /// The unread bytes are `storage[start..<end]`.
    private var start = 0
    private var end = 0
    /// The offset in the stream of `storage[0]`.
    private var storageOffset: Int64 = 0
    private var sourceEnded = false
    private var readFailure: (offset: Int64, message: String)?
    /// Newlines before `lineCursor` (an offset in the stream) are counted in `lineNumber`.
    private var lineCursor: Int64 = 0
    private var lineNumber = 1
    private var slot = 0
    private var place = Place.start
    private var finished = false
    private var lastIssueKind: CloudTrailParseIssue.Kind?

    private var topLevelValues = 0
    private var sawLogContainer = false
    private var sawEventsContainer = false
    private var sawTopLevelArray = false
    private var lookupRecords = 0

    private static let chunkSize = 1 << 20

    /// Where in the structure of the file reading stands.
    private enum Place {
        /// Before anything; a byte order mark may come.
        case start
        /// Between top-level values.
        case topLevel
        /// Inside a `{"Records":…}` or `{"Events":…}` container, expecting a member name or `}`.
        case containerKey
        /// Inside a container after a member, expecting `,` or `}`.
        case containerNext
        /// Inside an array of records (top-level, or a container's).
        case array(nested: Bool, expectingElement: Bool, first: Bool)
    }

    /// A reader of `source`, naming `file` in issues.
    public init(
        source: any CloudTrailByteSource, file: String, maximumRecordSize: Int = 16 << 20, maximumIssues: Int = 1000
    ) {
        self.source = source
        self.file = file
        self.maximumRecordSize = Swift.max(maximumRecordSize, 1024)
        self.maximumIssues = maximumIssues
        capacity = Swift.min(Self.chunkSize, self.maximumRecordSize)
        storage = .allocate(capacity: capacity)
        decoded = .allocate(capacity: capacity)
    }

    /// A reader of bytes in memory.
    public convenience init(bytes: [UInt8], file: String) {
        self.init(source: CloudTrailBytes(bytes), file: file)
    }

    deinit {
        storage.deallocate()
        decoded.deallocate()
    }

    /// The reader itself: reading is one pass.
    public func makeIterator() -> CloudTrailReader { self }

    /// The shape of what has been read so far; final once `next()` has returned `nil`.
    public var shape: CloudTrailShape {
        if sawLogContainer { return .cloudTrailLog }
        if sawEventsContainer { return .lookupEvents }
        if recordCount == 0 {
            if digestCount > 0 && issueCount == 0 { return .digest }
            if topLevelValues == 0 && issueCount == 0 { return .empty }
            if sawTopLevelArray && issueCount == 0 { return .jsonArray }
            return .unrecognised
        }
        if sawTopLevelArray { return .jsonArray }
        if lookupRecords > 0 { return .lookupEventsLines }
        return topLevelValues == 1 ? .singleRecord : .jsonLines
    }

    /// The next record, or `nil` at the end. Problems on the way become `issues`.
    public func next() -> CloudTrailRecord? {
        while !finished {
            switch place {
            case .start:
                place = .topLevel
                if ensure(3) && storage[start] == 0xEF && storage[start + 1] == 0xBB && storage[start + 2] == 0xBF {
                    start += 3
                }
            case .topLevel:
                guard let byte = peekSkippingWhitespace() else {
                    finish()
                    return nil
                }
                topLevelValues += 1
                if byte == UInt8(ascii: "[") {
                    start += 1
                    sawTopLevelArray = true
                    place = .array(nested: false, expectingElement: true, first: true)
                } else if byte == UInt8(ascii: "{") && startsContainer() {
                    start += 1
                    place = .containerKey
                } else if let record = readRecord(inArray: false) {
                    return record
                }
            case .containerKey:
                readContainerMember()
            case .containerNext:
                guard let byte = peekSkippingWhitespace() else {
                    endedInside("the object around the records")
                    continue
                }
                if byte == UInt8(ascii: ",") {
                    start += 1
                    place = .containerKey
                } else if byte == UInt8(ascii: "}") {
                    start += 1
                    place = .topLevel
                } else {
                    structureBroken("expected ',' or '}' after the records but found \(describe(byte))", at: start)
                }
            case .array(let nested, let expectingElement, let first):
                guard let byte = peekSkippingWhitespace() else {
                    endedInside("the array of records")
                    continue
                }
                if expectingElement {
                    if first && byte == UInt8(ascii: "]") {
                        start += 1
                        place = nested ? .containerNext : .topLevel
                        continue
                    }
                    place = .array(nested: nested, expectingElement: false, first: false)
                    if let record = readRecord(inArray: true) { return record }
                } else if byte == UInt8(ascii: ",") {
                    start += 1
                    place = .array(nested: nested, expectingElement: true, first: false)
                } else if byte == UInt8(ascii: "]") {
                    start += 1
                    place = nested ? .containerNext : .topLevel
                } else if byte == UInt8(ascii: "{") {
                    // A missing comma between two records: say so, and read the record anyway.
                    addIssue(.invalidJSON, at: start, record: slot + 1, "expected ',' between records but found '{'")
                    place = .array(nested: nested, expectingElement: true, first: false)
                } else {
                    structureBroken("expected ',' or ']' after a record but found \(describe(byte))", at: start)
                }
            }
        }
        return nil
    }

    // MARK: - Records

    /// Reads the value at `start` as a record, or reports why it is not one.
    private func readRecord(inArray: Bool) -> CloudTrailRecord? {
        slot += 1
        let position = self.position(at: start)
        guard storage[start] == UInt8(ascii: "{") else {
            switch scan({ scanner throws(JSONScanStop) in try scanner.skipValue(depth: 0) }) {
            case .done(_, let length):
                let kind = describeValue(storage[start])
                start += length
                addIssue(.notARecord, position, "\(kind) is not a CloudTrail record")
            case .invalid(let reason, let at, let truncated):
                addIssue(truncated ? .truncated : .invalidJSON, position, "\(reason) (byte \(offset(of: at)))")
                recover(inArray: inArray)
            case .tooLarge:
                addIssue(.tooLarge, position, "the value is larger than \(maximumRecordSize) bytes")
                recover(inArray: inArray)
            }
            return nil
        }
        // `decoded` is read at each attempt: a refill between attempts may have replaced it.
        switch scan({ scanner throws(JSONScanStop) in
            try scanner.scanObjectFields(decodingCloudTrailEventInto: self.decoded)
        }) {
        case .done((let fields, let decodedCount), let length):
            if !inArray && !fields.isRecord && fields.cloudTrailEvent == nil && isArray(fields.records ?? fields.events)
            {
                // A container whose records do not come first: read it as a container after all.
                slot -= 1
                start += 1
                place = .containerKey
                return nil
            }
            let bytes = UnsafeBufferPointer(start: storage + start, count: length)
            start += length
            return record(
                bytes, fields, position,
                decoded: decodedCount.map { UnsafeBufferPointer(start: self.decoded, count: $0) })
        case .invalid(let reason, let at, let truncated):
            addIssue(truncated ? .truncated : .invalidJSON, position, "\(reason) (byte \(offset(of: at)))")
            recover(inArray: inArray)
        case .tooLarge:
            addIssue(.tooLarge, position, "the record is larger than \(maximumRecordSize) bytes")
            recover(inArray: inArray)
        }
        return nil
    }

    /// The record an object holds: itself, or the one inside its envelope (`decoded`: the text
    /// of its `CloudTrailEvent` string, when the scan decoded it).
    private func record(
        _ bytes: UnsafeBufferPointer<UInt8>, _ fields: RecordFields, _ position: CloudTrailPosition,
        decoded: UnsafeBufferPointer<UInt8>?
    ) -> CloudTrailRecord? {
        if fields.isRecord {
            recordCount += 1
            return CloudTrailRecord(position: position, envelope: .none, json: Array(bytes), fields: fields)
        }
        if let span = fields.cloudTrailEvent {
            let inner = bytes.extracting(span.start..<span.end)
            switch span.kind {
            case .string(let hasEscapes):
                if let decoded { return enclosed(Array(decoded), .lookupEvents, position) }
                return enclosed(hasEscapes ? JSONEscape.decode(inner) : Array(inner), .lookupEvents, position)
            case .object:
                return enclosed(Array(inner), .lookupEvents, position)
            case .other:
                addIssue(
                    .invalidEnvelope, position,
                    "the LookupEvents event's CloudTrailEvent is not a record in a JSON string")
                return nil
            }
        }
        for (name, span) in [("log", fields.log), ("detail", fields.detail)] {
            if let span, span.kind == .object {
                return enclosed(Array(bytes.extracting(span.start..<span.end)), .member(name), position)
            }
        }
        if fields.digestStartTime != nil {
            digestCount += 1
            return nil
        }
        addIssue(
            .notARecord, position,
            "an object without eventVersion, eventTime, eventSource, eventName or eventID is not a CloudTrail record")
        return nil
    }

    /// The record inside an envelope, checked on its own.
    private func enclosed(_ json: [UInt8], _ envelope: CloudTrailRecord.Envelope, _ position: CloudTrailPosition)
        -> CloudTrailRecord?
    {
        let what = envelope == .lookupEvents ? "the CloudTrailEvent string" : "the envelope's record"
        let outcome: Result<RecordFields, JSONScanStop> = json.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            scanner.skipWhitespace()
            guard scanner.index < scanner.count, scanner.bytes[scanner.index] == UInt8(ascii: "{") else {
                return .failure(.invalid("it is not a JSON object", at: scanner.index))
            }
            do throws(JSONScanStop) {
                let fields = try scanner.scanObjectFields()
                scanner.skipWhitespace()
                guard scanner.index == scanner.count else {
                    return .failure(
                        scanner.invalid("unexpected \(scanner.describe(scanner.bytes[scanner.index])) after the record")
                    )
                }
                return .success(fields)
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let fields) where fields.isRecord:
            recordCount += 1
            if envelope == .lookupEvents { lookupRecords += 1 }
            return CloudTrailRecord(position: position, envelope: envelope, json: json, fields: fields)
        case .success:
            addIssue(.invalidEnvelope, position, "\(what) holds an object that is not a CloudTrail record")
        case .failure(.invalid(let reason, let at)):
            addIssue(.invalidEnvelope, position, "\(what) is not a JSON record: \(reason) (byte \(at) of it)")
        case .failure(.needMore):
            addIssue(.invalidEnvelope, position, "\(what) is not a JSON record")
        }
        return nil
    }

    private func isArray(_ span: FieldSpan?) -> Bool {
        guard let span, span.kind == .other else { return false }
        return storage[start + span.start] == UInt8(ascii: "[")
    }

    // MARK: - Containers

    /// Whether the object at `start` is a container: its first member is `Records`, `Events` or `NextToken`.
    private func startsContainer() -> Bool {
        let outcome = scan { scanner throws(JSONScanStop) -> Bool in
            scanner.index += 1
            scanner.skipWhitespace()
            guard scanner.index < scanner.count else { throw scanner.ranOut("an object") }
            guard scanner.bytes[scanner.index] == UInt8(ascii: "\"") else { return false }
            let key = try scanner.scanString()
            let name = RecordFields.Name.named(key, in: scanner)
            return name == .records || name == .events || scanner.token(key, equals: "NextToken")
        }
        if case .done(let isContainer, _) = outcome { return isContainer }
        return false
    }

    /// Reads one member name of a container, then enters its records or skips its value.
    private func readContainerMember() {
        guard let byte = peekSkippingWhitespace() else {
            endedInside("the object around the records")
            return
        }
        if byte == UInt8(ascii: "}") {
            start += 1
            place = .topLevel
            return
        }
        let header = scan { scanner throws(JSONScanStop) -> (RecordFields.Name?, UInt8) in
            guard scanner.bytes[scanner.index] == UInt8(ascii: "\"") else {
                throw scanner.invalid(
                    "expected a member name in quotes but found \(scanner.describe(scanner.bytes[scanner.index]))")
            }
            let key = try scanner.scanString()
            scanner.skipWhitespace()
            try scanner.expect(UInt8(ascii: ":"), "after a member name")
            scanner.skipWhitespace()
            guard scanner.index < scanner.count else { throw scanner.ranOut("an object") }
            return (RecordFields.Name.named(key, in: scanner), scanner.bytes[scanner.index])
        }
        switch header {
        case .done((let name, let next), let length):
            start += length
            if (name == .records || name == .events) && next == UInt8(ascii: "[") {
                start += 1
                if name == .records { sawLogContainer = true } else { sawEventsContainer = true }
                place = .array(nested: true, expectingElement: true, first: true)
                return
            }
            switch scan({ scanner throws(JSONScanStop) in try scanner.skipValue(depth: 1) }) {
            case .done(_, let length):
                start += length
                place = .containerNext
            case .invalid(let reason, let at, _): structureBroken(reason, at: start + at)
            case .tooLarge:
                structureBroken(
                    "a member of the object around the records is larger than \(maximumRecordSize) bytes", at: start)
            }
        case .invalid(let reason, let at, _): structureBroken(reason, at: start + at)
        case .tooLarge: structureBroken("a member name is larger than \(maximumRecordSize) bytes", at: start)
        }
    }

    // MARK: - Recovery

    /// Goes on after a broken value at `start` (where a failed scan leaves it, even after the
    /// buffer moved): to the end of the array element, or to the next line that starts a value.
    private func recover(inArray: Bool) {
        if inArray { skipBrokenElement() } else { skipToNextLineStartingAValue() }
    }

    /// Skips to the end of an array element by counting brackets outside strings, without checking anything.
    private func skipBrokenElement() {
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            while start < end {
                let byte = storage[start]
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 { return }
                        depth -= 1
                        if depth == 0 {
                            start += 1
                            return
                        }
                    case UInt8(ascii: ","):
                        if depth == 0 { return }
                    default: break
                    }
                }
                start += 1
            }
            if !refill() { return }
        }
    }

    /// Skips to the next line that starts with `{` or `[`: the next JSON Lines record or concatenated file.
    private func skipToNextLineStartingAValue() {
        place = .topLevel
        start += 1
        while true {
            while start < end {
                guard let newline = memchr(storage + start, 0x0a, end - start) else {
                    start = end
                    break
                }
                let index = newline.assumingMemoryBound(to: UInt8.self) - storage
                guard index + 1 < end else {
                    start = index
                    break
                }
                start = index + 1
                if storage[start] == UInt8(ascii: "{") || storage[start] == UInt8(ascii: "[") { return }
            }
            if !refill() {
                start = end
                return
            }
        }
    }

    /// The structure around the records is broken: report it and look for the next value at the start of a line.
    private func structureBroken(_ reason: String, at index: Int) {
        addIssue(
            .invalidJSON, at: index, record: slot + 1,
            "\(reason) (byte \(storageOffset + Int64(index))); the rest of the value is skipped")
        start = index
        skipToNextLineStartingAValue()
    }

    /// The input ended inside a container: the file was cut short after its last complete record.
    private func endedInside(_ what: String) {
        // A record cut short has been reported already; the unclosed container is the same problem.
        if lastIssueKind != .truncated {
            addIssue(.truncated, at: end, record: slot + 1, "the text ends before \(what) is closed")
        }
        finish()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        if let failure = readFailure {
            let line = countLines(upTo: storageOffset + Int64(end))
            addIssue(
                CloudTrailParseIssue(
                    file: file, position: CloudTrailPosition(record: slot + 1, line: line, byte: failure.offset),
                    kind: .unreadable, reason: failure.message))
        }
    }

    // MARK: - Buffer

    private enum ScanOutcome<T> {
        case done(T, length: Int)
        case invalid(String, at: Int, truncated: Bool)
        case tooLarge
    }

    /// Runs `body` over the unread bytes, reading more and retrying while it needs more.
    private func scan<T>(_ body: (inout JSONScanner) throws(JSONScanStop) -> T) -> ScanOutcome<T> {
        while true {
            var scanner = JSONScanner(bytes: storage + start, count: end - start, atEnd: sourceEnded)
            do {
                let value = try body(&scanner)
                return .done(value, length: scanner.index)
            } catch {
                switch error {
                case .needMore:
                    if !refill() { return .tooLarge }
                case .invalid(let reason, let at):
                    return .invalid(reason, at: at, truncated: sourceEnded && at >= scanner.count)
                }
            }
        }
    }

    /// Makes room and reads more; `false` when nothing more can come (end of input, or no room for a larger record).
    private func refill() -> Bool {
        guard !sourceEnded else { return false }
        if start > 0 {
            _ = countLines(upTo: storageOffset + Int64(start))
            if end > start { memmove(storage, storage + start, end - start) }
            storageOffset += Int64(start)
            end -= start
            start = 0
        }
        if end == capacity {
            guard capacity < maximumRecordSize else { return false }
            let larger = Swift.min(capacity * 2, maximumRecordSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
            grown.update(from: storage, count: end)
            storage.deallocate()
            storage = grown
            decoded.deallocate()
            decoded = .allocate(capacity: larger)
            capacity = larger
        }
        do {
            let count = try source.read(
                into: UnsafeMutableRawBufferPointer(
                    start: storage + end, count: Swift.min(capacity - end, Self.chunkSize)))
            if count == 0 { sourceEnded = true } else { end += count }
        } catch {
            readFailure = (storageOffset + Int64(end), "the input cannot be read from here on: \(error)")
            sourceEnded = true
        }
        return true
    }

    /// Makes at least `count` unread bytes available, if the input has them.
    private func ensure(_ count: Int) -> Bool {
        while end - start < count {
            if !refill() { return false }
        }
        return true
    }

    private func peekSkippingWhitespace() -> UInt8? {
        while true {
            while start < end {
                switch storage[start] {
                case 0x20, 0x0a, 0x0d, 0x09: start += 1
                default: return storage[start]
                }
            }
            if !refill() { return nil }
        }
    }

    // MARK: - Positions and issues

    private func offset(of relative: Int) -> Int64 { storageOffset + Int64(start + relative) }

    private func position(at index: Int) -> CloudTrailPosition {
        let absolute = storageOffset + Int64(index)
        return CloudTrailPosition(record: slot, line: countLines(upTo: absolute), byte: absolute)
    }

    /// The line number at `absolute`, counting newlines up to it (offsets only ever grow).
    private func countLines(upTo absolute: Int64) -> Int {
        guard absolute > lineCursor else { return lineNumber }
        var cursor = storage + Int(lineCursor - storageOffset)
        let stop = storage + Int(absolute - storageOffset)
        var newlines = 0
        while cursor < stop, let found = memchr(cursor, 0x0a, stop - cursor) {
            newlines += 1
            cursor = found.assumingMemoryBound(to: UInt8.self) + 1
        }
        lineNumber += newlines
        lineCursor = absolute
        return lineNumber
    }

    private func addIssue(_ kind: CloudTrailParseIssue.Kind, _ position: CloudTrailPosition, _ reason: String) {
        addIssue(CloudTrailParseIssue(file: file, position: position, kind: kind, reason: reason))
    }

    private func addIssue(_ kind: CloudTrailParseIssue.Kind, at index: Int, record: Int, _ reason: String) {
        let absolute = storageOffset + Int64(index)
        addIssue(
            CloudTrailParseIssue(
                file: file,
                position: CloudTrailPosition(record: record, line: countLines(upTo: absolute), byte: absolute),
                kind: kind, reason: reason))
    }

    private func addIssue(_ issue: CloudTrailParseIssue) {
        issueCount += 1
        lastIssueKind = issue.kind
        if issues.count < maximumIssues { issues.append(issue) }
    }

    private func describe(_ byte: UInt8) -> String {
        JSONScanner(bytes: storage, count: 0, atEnd: true).describe(byte)
    }

    private func describeValue(_ first: UInt8) -> String {
        switch first {
        case UInt8(ascii: "\""): "a JSON string"
        case UInt8(ascii: "["): "a JSON array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a JSON boolean"
        case UInt8(ascii: "n"): "JSON null"
        default: "a JSON number"
        }
    }
}
