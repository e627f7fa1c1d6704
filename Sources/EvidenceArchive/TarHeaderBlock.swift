/// One 512-byte tar header block, read field by field as POSIX ustar lays it out.
package struct TarHeaderBlock {
    /// The size of a tar block.
    package static let size = 512

    /// The ustar fields, by name and byte range: for reading, and for naming a field that differs.
    package static let fields: [(name: String, range: Range<Int>)] = [
        ("name", 0..<100), ("mode", 100..<108), ("uid", 108..<116), ("gid", 116..<124), ("size", 124..<136),
        ("mtime", 136..<148), ("checksum", 148..<156), ("type", 156..<157), ("linkname", 157..<257),
        ("magic", 257..<263), ("version", 263..<265), ("uname", 265..<297), ("gname", 297..<329),
        ("devmajor", 329..<337), ("devminor", 337..<345), ("prefix", 345..<500), ("padding", 500..<512),
    ]

    /// The block's bytes.
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        precondition(bytes.count == Self.size)
        self.bytes = bytes
    }

    /// Whether every byte is zero: half of the end-of-archive marker.
    var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// The type flag (`0` regular file, `x` pax extended header …).
    var type: UInt8 { bytes[156] }

    /// Whether the checksum field matches the block (unsigned sum, the field counted as spaces;
    /// the signed sum some old writers used is accepted too).
    var hasValidChecksum: Bool {
        guard let stored = number(148..<156) else { return false }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in bytes.enumerated() {
            let value = (148..<156).contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        return stored == unsigned || stored == signed
    }

    /// Whether the block is POSIX ustar (`ustar\0` `00`), whose `prefix` field extends the name.
    var isPOSIX: Bool { Array(bytes[257..<265]) == Array("ustar\u{0}00".utf8) }

    /// The name: `prefix/name` for POSIX ustar with a prefix, else `name`.
    var name: [UInt8] {
        let name = text(0..<100)
        let prefix = isPOSIX ? text(345..<500) : []
        return prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
    }

    /// The link target field.
    var linkName: [UInt8] { text(157..<257) }

    /// A text field's bytes, up to its first NUL.
    func text(_ range: Range<Int>) -> [UInt8] {
        Array(bytes[range].prefix { $0 != 0 })
    }

    /// A numeric field: octal digits (leading spaces allowed, ended by a space or NUL) or
    /// base-256 (the first byte's high bit set); `nil` when it is neither or does not fit.
    func number(_ range: Range<Int>) -> Int64? {
        let field = bytes[range]
        if let first = field.first, first & 0x80 != 0 {
            // Base-256, big-endian; 0xff starts a negative number, which no field here may hold.
            guard first == 0x80 else { return nil }
            var value: Int64 = 0
            for byte in field.dropFirst() {
                guard value <= Int64.max >> 8 else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var digits = field.drop { $0 == UInt8(ascii: " ") }
        while let byte = digits.first, byte != 0, byte != UInt8(ascii: " ") {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7"), value <= Int64.max >> 3 else { return nil }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
            digits = digits.dropFirst()
        }
        return value
    }
}
