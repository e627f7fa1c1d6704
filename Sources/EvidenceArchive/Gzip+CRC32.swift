/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as gzip trailers carry it, sixteen bytes per step.
struct CRC32 {
    private(set) var value: UInt32 = 0

    /// Sixteen 256-entry tables: table k gives the CRC of a byte followed by k zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 16 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            for k in 1..<16 {
                let previous = tables[(k - 1) * 256 + byte]
                tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xff)]
            }
        }
        return tables
    }()

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        var crc = ~value
        Self.tables.withUnsafeBufferPointer { t in
            @inline(__always) func lookup(_ table: Int, _ word: UInt32, _ shift: UInt32) -> UInt32 {
                t[table &* 256 &+ Int((word &>> shift) & 0xff)]
            }
            while remaining >= 16 {
                let a = UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)) ^ crc
                let b = UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                let c = UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
                let d = UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
                crc =
                    lookup(15, a, 0) ^ lookup(14, a, 8) ^ lookup(13, a, 16) ^ lookup(12, a, 24)
                    ^ lookup(11, b, 0) ^ lookup(10, b, 8) ^ lookup(9, b, 16) ^ lookup(8, b, 24)
                    ^ lookup(7, c, 0) ^ lookup(6, c, 8) ^ lookup(5, c, 16) ^ lookup(4, c, 24)
                    ^ lookup(3, d, 0) ^ lookup(2, d, 8) ^ lookup(1, d, 16) ^ lookup(0, d, 24)
                pointer += 16
                remaining -= 16
            }
            while remaining > 0 {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xff)]
                pointer += 1
                remaining -= 1
            }
        }
        value = ~crc
    }
}
