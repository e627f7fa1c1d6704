extension SnapshotReading {
    /// Holds what parallel work produces, each slot written by one task.
    package final class Slots<T>: @unchecked Sendable {
        /// How many slots there are.
        package let count: Int
        private let storage: UnsafeMutablePointer<T?>

        /// `count` empty slots.
        package init(_ count: Int) {
            self.count = count
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil, count: count)
        }

        deinit {
            storage.deinitialize(count: count)
            storage.deallocate()
        }

        /// Slot `index`; tasks write disjoint slots.
        package subscript(index: Int) -> T? {
            get { storage[index] }
            set { storage[index] = newValue }
        }

        /// Every slot, in order.
        package var values: [T?] { Array(UnsafeBufferPointer(start: storage, count: count)) }
    }
}
