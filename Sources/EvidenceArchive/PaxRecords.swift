/// The records of a pax extended header (`x`): `LENGTH key=value\n`, in order.
struct PaxRecords {
    /// Each record's key and value bytes, in the order they appear.
    var records: [(key: String, value: [UInt8])] = []

    /// No records.
    init() {}

    /// Parses the data of an extended header.
    /// - Throws: `ArchiveError` `.readFailed` when a record is malformed.
    init(_ data: [UInt8]) throws {
        var start = 0
        // The data is padded to its block with NULs only when the writer was careless; records end at the first.
        let end = data.firstIndex(of: 0) ?? data.count
        while start < end {
            guard let space = data[start..<end].firstIndex(of: UInt8(ascii: " ")), space > start,
                space - start <= 19,
                data[start..<space].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let length = Int(String(decoding: data[start..<space], as: UTF8.self)),
                length > space - start + 1, start + length <= end, data[start + length - 1] == UInt8(ascii: "\n"),
                let equals = data[(space + 1)..<(start + length - 1)].firstIndex(of: UInt8(ascii: "="))
            else {
                throw ArchiveError(
                    .readFailed, "a pax extended header record at byte \(start) of its data is malformed")
            }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            records.append((key, Array(data[(equals + 1)..<(start + length - 1)])))
            start += length
        }
    }

    /// The last value given for `key`, as later records override earlier ones.
    subscript(key: String) -> [UInt8]? {
        records.last { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    /// A decimal value (`size`, `mtime`), or `nil` when absent or not a whole non-negative number.
    func number(_ key: String) -> Int64? {
        guard let value = self[key], !value.isEmpty, value.count <= 18,
            value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int64(String(decoding: value, as: UTF8.self))
    }
}
