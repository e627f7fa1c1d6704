/// A string token: the bytes between its quotes.
package struct JSONStringToken: Sendable {
    /// Offset of the first byte after the opening quote.
    package var start: Int
    /// Offset of the closing quote.
    package var end: Int
    /// Whether a backslash occurs, so the bytes need decoding (`JSONEscape`).
    package var hasEscapes: Bool

    /// A token for the string content at `start..<end`.
    package init(start: Int, end: Int, hasEscapes: Bool) {
        self.start = start
        self.end = end
        self.hasEscapes = hasEscapes
    }
}
