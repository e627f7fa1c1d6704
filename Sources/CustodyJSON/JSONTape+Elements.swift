extension JSONTape {
    /// The element nodes of an array, in order, each found from the one before (`Node.next`):
    /// nothing is allocated. Mapped over in the module of the type it makes
    /// (`try elements.map { try T(tape: tape, node: $0) }`), the loop is compiled for that type.
    package struct Elements: Sequence {
        /// The tape.
        let tape: JSONTape
        /// The first element's node.
        let first: Int
        /// How many elements there are.
        let count: Int

        /// How many elements there are.
        package var underestimatedCount: Int { count }

        /// An iterator from the first element.
        package func makeIterator() -> Iterator { Iterator(tape: tape, node: first, remaining: count) }

        /// Walks the elements.
        package struct Iterator: IteratorProtocol {
            let tape: JSONTape
            var node: Int
            var remaining: Int

            /// The next element's node, or nil after the last.
            package mutating func next() -> Int? {
                guard remaining > 0 else { return nil }
                defer {
                    node = Int(tape.nodes[node].next)
                    remaining -= 1
                }
                return node
            }
        }
    }
}
