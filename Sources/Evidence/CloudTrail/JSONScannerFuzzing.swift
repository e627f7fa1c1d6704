/// The scans `CloudTrailReader` makes, run over any bytes, for the fuzz targets (`Fuzz/`) and
/// the corpus replay in the tests: whatever the bytes, each scan must end in a value or an error.
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
                    if let token = try? text.scanString() {
                        _ = text.string(token)
                        _ = text.token(token, equals: "eventTime")
                        _ = RecordFields.Name.named(token, in: text)
                    }
                    var decoding = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                    _ = try? decoding.scanString(decodingInto: decoded)
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    var number = JSONScanner(bytes: base, count: count, atEnd: atEnd)
                    _ = try? number.scanNumber()
                default: break
                }
            }
            let buffer = UnsafeBufferPointer(start: base, count: count)
            _ = try? JSONScanner.parseDocument(buffer)
            if count > 0, bytes[0] == UInt8(ascii: "{"), (try? JSONScanner.parseDocument(buffer)) != nil {
                _ = try? JSONScanner.parseMembers(
                    buffer, named: ["requestParameters", "responseElements", "eventTime"])
            }
        }
    }
}
