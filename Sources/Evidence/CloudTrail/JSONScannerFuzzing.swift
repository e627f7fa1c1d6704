import CustodyJSON

/// The scans `CloudTrailReader` makes, run over any bytes, for the fuzz targets (`Fuzz/`) and
/// the corpus replay in the tests: whatever the bytes, each scan must end in a value or an error,
/// and the tree parser and the tape, both written by the one scanner, must accept the same texts
/// and read them to the same value.
/// Every call keeps to what the reader does first (a string scanned from its quote, an object's
/// fields from its brace, only scanned strings unescaped).
package enum JSONScannerFuzzing {
    /// Runs every scan over `bytes`, as the whole input and as input that may continue.
    package static func scan(_ bytes: [UInt8]) {
        var padded = bytes
        padded.append(0)  // a base address even for no bytes; never counted
        padded.withUnsafeMutableBufferPointer { whole in
            let base = UnsafePointer(whole.baseAddress!)
            let count = bytes.count
            let decoded = UnsafeMutablePointer<UInt8>.allocate(capacity: count + 1)
            defer { decoded.deallocate() }
            for atEnd in [true, false] {
                var values = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                values.skipWhitespace()
                _ = try? values.skipValue(depth: 0)
                guard count > 0 else { continue }
                switch bytes[0] {
                case UInt8(ascii: "{"):
                    var fields = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                    _ = try? fields.scanObjectFields(decodingCloudTrailEventInto: decoded)
                    var plain = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                    _ = try? plain.scanObjectFields()
                case UInt8(ascii: "\""):
                    var text = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                    let token = try? text.scanString()
                    if let token {
                        _ = text.string(token)
                        _ = text.token(token, equals: "eventTime")
                        _ = RecordFields.Name.named(token, in: text)
                    }
                    var decoding = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                    let scanned = try? decoding.scanString(decodingInto: decoded)
                    precondition((token == nil) == (scanned == nil), "the two string scans disagree")
                    if let token, let scanned {
                        let content = UnsafeBufferPointer(start: base + token.start, count: token.end - token.start)
                        let unescaped = token.hasEscapes ? JSONEscape.decode(content) : Array(content)
                        precondition(
                            unescaped.elementsEqual(UnsafeBufferPointer(start: decoded, count: scanned.decoded)),
                            "a string decodes two ways")
                    }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    var number = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                    _ = try? number.scanNumber()
                default: break
                }
            }
            let buffer = UnsafeBufferPointer(start: base, count: count)
            let document = try? JSONScanner.parseDocument(buffer)
            let tape = JSONTape.parse(bytes)
            precondition((tape == nil) == (document == nil), "the tape and the tree parser disagree on what is JSON")
            if let tape, let document { precondition(tape.value(0) == document, "the tape reads another value") }
            if count > 0, bytes[0] == UInt8(ascii: "{"), document != nil {
                _ = try? JSONScanner.parseMembers(
                    buffer, named: ["requestParameters", "responseElements", "eventTime"])
            }
        }
    }
}
