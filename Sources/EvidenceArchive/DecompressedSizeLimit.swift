import Foundation

/// The most bytes one gzip file may expand to when CloudTrail is read from it.
///
/// A few megabytes of gzip can expand to gigabytes (a gzip bomb), and reading them costs minutes
/// of CPU in every later command that reads the case. Reading stops at the limit and says so,
/// naming the file. The default, 4 GiB, is far above any CloudTrail file: CloudTrail delivers a
/// log file per region every five minutes, a few to some tens of megabytes even for busy
/// accounts, and a LookupEvents export of a whole day rarely reaches one gigabyte. It keeps the
/// worst case of one file to seconds of decompression, never more memory than one record.
public struct DecompressedSizeLimit: Hashable, Sendable, CustomStringConvertible {
    /// The limit in bytes.
    public var bytes: Int64

    /// A limit of `bytes`.
    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// 4 GiB per file.
    public static let standard = DecompressedSizeLimit(bytes: 4 << 30)

    /// Units, by name in lowercase: binary (`KiB`, `MiB`, `GiB`, `TiB`) and decimal (`kB`, `MB`,
    /// `GB`, `TB`); a bare number counts bytes.
    private static let units: [String: Int64] = [
        "": 1, "b": 1, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40, "kb": 1_000, "mb": 1_000_000,
        "gb": 1_000_000_000, "tb": 1_000_000_000_000, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40,
    ]

    /// A size such as `8GiB`, `512 MiB`, `4GB` or `1000000`; `nil` for anything else, zero, or
    /// more than `Int64` holds.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let count = Int64(digits), count > 0, let scale = Self.units[unit] else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self.bytes = bytes
    }

    /// The limit in the largest binary unit that divides it: `4 GiB`, `1536 MiB`, `1000 bytes`.
    public var description: String {
        for (name, scale) in [("TiB", Int64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes % scale == 0 {
            return "\(bytes / scale) \(name)"
        }
        return "\(bytes) bytes"
    }
}
