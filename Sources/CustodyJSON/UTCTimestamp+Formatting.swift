extension UTCTimestamp {
    /// `2024-01-02T03:04:05Z`: whole seconds (the fraction dropped), in UTC. A time beyond
    /// ``writableSeconds`` (only forged evidence holds one) is written as the nearest of its ends.
    package var iso8601: String { text(separated: true) }

    /// `20240102T030405Z`: ``iso8601`` without its dashes and colons, as archive names use it.
    package var compact: String { text(separated: false) }

    private func text(separated: Bool) -> String {
        let clamped = min(max(seconds, Self.writableSeconds.lowerBound), Self.writableSeconds.upperBound)
        var days = clamped / 86400
        var secondOfDay = clamped % 86400
        if secondOfDay < 0 {
            secondOfDay += 86400
            days -= 1
        }
        let date = Self.civil(days: days)
        return String(unsafeUninitializedCapacity: 20) { buffer in
            var index = 0
            func put(_ value: Int64, width: Int) {
                var value = value
                for position in (index..<(index + width)).reversed() {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                index += width
            }
            func mark(_ character: Unicode.Scalar, always: Bool = false) {
                guard separated || always else { return }
                buffer[index] = UInt8(ascii: character)
                index += 1
            }
            put(date.year, width: 4)
            mark("-")
            put(date.month, width: 2)
            mark("-")
            put(date.day, width: 2)
            mark("T", always: true)
            put(secondOfDay / 3600, width: 2)
            mark(":")
            put(secondOfDay / 60 % 60, width: 2)
            mark(":")
            put(secondOfDay % 60, width: 2)
            mark("Z", always: true)
            return index
        }
    }
}
