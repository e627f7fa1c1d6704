import Foundation

/// Deterministic JSON: sorted keys, no insignificant white space, unescaped slashes, a final newline.
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [0x0a]
    }
}
