/// Writes LookupEvents events as JSON Lines, the content of `cloudtrail/<region>/events.jsonl.gz`.
///
/// Each line is one compact object with the members in the order LookupEvents returns them
/// (`EventId`, `EventName`, `ReadOnly`, `AccessKeyId`, `EventTime`, `EventSource`, `Username`,
/// `Resources`, `CloudTrailEvent`), absent ones left out, `/` not escaped, non-ASCII written as
/// UTF-8. The same events always give the same bytes. `CloudTrailReader` reads the lines back.
public struct LookupEventsWriter {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var pending: [UInt8] = []
    /// Lines are handed to the sink in blocks of about this many bytes.
    private static let blockSize = 64 << 10

    /// A writer that hands its bytes to `sink` (a gzip writer, a file) in blocks.
    public init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
    }

    /// Writes one event as one line.
    /// - Throws: what the sink throws.
    public mutating func write(_ record: LookupEventsRecord) throws {
        Self.appendLine(record, to: &pending)
        if pending.count >= Self.blockSize { try flush() }
    }

    /// Hands every pending byte to the sink.
    /// - Throws: what the sink throws.
    public mutating func finish() throws {
        try flush()
    }

    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try pending.withUnsafeBytes { try sink($0) }
        pending.removeAll(keepingCapacity: true)
    }

    /// The JSON Lines text of `records`.
    public static func lines(_ records: [LookupEventsRecord]) -> [UInt8] {
        var output: [UInt8] = []
        for record in records { appendLine(record, to: &output) }
        return output
    }

    /// Appends one event's line, newline included.
    public static func appendLine(_ record: LookupEventsRecord, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        var first = true
        func member(_ name: String, _ value: String?) {
            guard let value else { return }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            appendJSONString(name, to: &output)
            output.append(UInt8(ascii: ":"))
            appendJSONString(value, to: &output)
        }
        member("EventId", record.eventId)
        member("EventName", record.eventName)
        member("ReadOnly", record.readOnly)
        member("AccessKeyId", record.accessKeyId)
        member("EventTime", record.eventTime)
        member("EventSource", record.eventSource)
        member("Username", record.username)
        if !first { output.append(UInt8(ascii: ",")) }
        first = false
        output.append(contentsOf: #""Resources":["#.utf8)
        for (index, resource) in record.resources.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "{"))
            var firstMember = true
            for (name, value) in [("ResourceType", resource.resourceType), ("ResourceName", resource.resourceName)] {
                guard let value else { continue }
                if !firstMember { output.append(UInt8(ascii: ",")) }
                firstMember = false
                appendJSONString(name, to: &output)
                output.append(UInt8(ascii: ":"))
                appendJSONString(value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        member("CloudTrailEvent", record.cloudTrailEvent)
        output.append(contentsOf: "}\n".utf8)
    }
}

/// Appends `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\t` … or `\u00XX`.
func appendJSONString(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
        case 0x0a: output.append(contentsOf: #"\n"#.utf8)
        case 0x0d: output.append(contentsOf: #"\r"#.utf8)
        case 0x09: output.append(contentsOf: #"\t"#.utf8)
        case 0x08: output.append(contentsOf: #"\b"#.utf8)
        case 0x0c: output.append(contentsOf: #"\f"#.utf8)
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            output.append(contentsOf: #"\u00"#.utf8)
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0x0f)])
        default: output.append(byte)
        }
    }
    output.append(UInt8(ascii: "\""))
}
