/// Names the fields in which a member's tar headers differ from the ones Custody writes.
enum TarHeaderDifference {
    /// One header block and, for an extension header, its data.
    private struct Part {
        var block: TarHeaderBlock
        var data: [UInt8]
        var isPax: Bool { block.type == UInt8(ascii: "x") }
    }

    /// Each difference between `actual` and `expected` header bytes (as `RawTarEntry.header` and
    /// `TarWriter.header` hold them), in a phrase: `mode '000755 ', where Custody writes '000644 '`.
    static func describe(actual: [UInt8], expected: [UInt8]) -> [String] {
        let actualParts = parts(actual)
        let expectedParts = parts(expected)
        guard let actualEntry = actualParts.last, let expectedEntry = expectedParts.last else {
            return ["the headers cannot be read"]
        }
        var phrases: [String] = []
        let actualExtensions = actualParts.dropLast()
        for part in actualExtensions where !part.isPax {
            phrases.append("an extended header of type '\(show([part.block.type]))', which Custody never writes")
        }
        let actualPax = actualExtensions.filter(\.isPax)
        let expectedPax = expectedParts.dropLast().first(where: \.isPax)
        if actualPax.count > 1 {
            phrases.append("\(actualPax.count) pax extended headers, where Custody writes at most one")
        }
        switch (actualPax.first, expectedPax) {
        case (nil, nil): break
        case (let actual?, nil):
            let keys = ((try? PaxRecords(actual.data))?.records.map(\.key) ?? []).joined(separator: ", ")
            phrases.append("a pax extended header (\(keys)), which Custody does not write for this member")
        case (nil, let expected?):
            let keys = ((try? PaxRecords(expected.data))?.records.map(\.key) ?? []).joined(separator: ", ")
            phrases.append("no pax extended header, where Custody writes one (\(keys))")
        case (let actual?, let expected?):
            phrases += fields(actual.block, expected.block, in: "pax header's ")
            phrases += records(actual.data, expected.data)
        }
        phrases += fields(actualEntry.block, expectedEntry.block, in: "")
        if phrases.isEmpty && actual != expected { phrases.append("bytes the fields do not show (padding)") }
        return phrases
    }

    private static func parts(_ bytes: [UInt8]) -> [Part] {
        var parts: [Part] = []
        var index = 0
        while index + TarHeaderBlock.size <= bytes.count {
            let block = TarHeaderBlock(Array(bytes[index..<(index + TarHeaderBlock.size)]))
            index += TarHeaderBlock.size
            var data: [UInt8] = []
            if index < bytes.count, let size = block.number(124..<136), size < Int64(bytes.count) {
                let count = Int(size)
                data = Array(bytes[index..<min(bytes.count, index + count)])
                index += (count + TarHeaderBlock.size - 1) / TarHeaderBlock.size * TarHeaderBlock.size
            }
            parts.append(Part(block: block, data: data))
        }
        return parts
    }

    /// The ustar fields that differ; the checksum only when nothing else does.
    private static func fields(_ actual: TarHeaderBlock, _ expected: TarHeaderBlock, in prefix: String) -> [String] {
        var phrases: [String] = []
        var checksumDiffers = false
        for field in TarHeaderBlock.fields where actual.bytes[field.range] != expected.bytes[field.range] {
            if field.name == "checksum" {
                checksumDiffers = true
                continue
            }
            phrases.append(
                "\(prefix)\(field.name) '\(show(actual.bytes[field.range]))', where Custody writes "
                    + "'\(show(expected.bytes[field.range]))'")
        }
        if phrases.isEmpty && checksumDiffers { phrases.append("\(prefix)checksum") }
        return phrases
    }

    private static func records(_ actual: [UInt8], _ expected: [UInt8]) -> [String] {
        guard let actualRecords = try? PaxRecords(actual) else { return ["pax records that cannot be read"] }
        let expectedRecords = (try? PaxRecords(expected)) ?? PaxRecords()
        var phrases: [String] = []
        for record in actualRecords.records {
            guard let value = expectedRecords[record.key] else {
                phrases.append("pax key '\(record.key)', which Custody does not write")
                continue
            }
            if value != record.value {
                phrases.append("pax key '\(record.key)' '\(show(record.value))', where Custody writes '\(show(value))'")
            }
        }
        for record in expectedRecords.records where actualRecords[record.key] == nil {
            phrases.append("no pax key '\(record.key)', which Custody writes")
        }
        if phrases.isEmpty && actual != expected { phrases.append("pax records in another order or form") }
        return phrases
    }

    /// Bytes as text: up to the trailing NULs, anything unprintable as `\xNN`, at most 80 characters.
    private static func show(_ bytes: some Collection<UInt8>) -> String {
        var trimmed = Array(bytes)
        while trimmed.last == 0 { trimmed.removeLast() }
        let text = trimmed.prefix(80).map { byte -> String in
            (0x20..<0x7f).contains(byte) && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "\\")
                ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(2)
        }.joined()
        return trimmed.count > 80 ? text + "…" : text
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
