/// A value decoded straight from a `JSONTape`. The entities a snapshot holds by the ten thousand
/// (users and their credentials, roles, instances) write `init(tape:node:)` by hand with a
/// `TapeObject`: the value `TapeDecoder` makes through `Decodable`, with the same errors for a
/// missing or mistyped member, without its generic containers. Any other `Decodable` type
/// conforms with `TapeDecoder` doing the work.
package protocol TapeDecodable {
    /// Decodes the value at `node` of `tape`.
    /// - Throws: `DecodingError` when the value does not have the shape of this type.
    init(tape: JSONTape, node: Int) throws
}

extension TapeDecodable where Self: Decodable {
    /// Decodes the value through `Decodable`, with `TapeDecoder`.
    package init(tape: JSONTape, node: Int) throws {
        self = try Self(from: TapeDecoder(tape: tape, node: node))
    }
}
