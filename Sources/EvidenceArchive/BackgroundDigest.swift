import CustodyCrypto
import Dispatch

/// SHA-256 computed on another thread while the caller writes the same bytes, so sealing costs
/// the slower of hashing and writing rather than their sum.
///
/// The caller hands over a chunk with `hash(_:)`, writes it, then calls `wait()` before reusing
/// the buffer: until then the chunk is read on the digest's queue.
final class BackgroundDigest: @unchecked Sendable {
    // Mutated only on `queue`; read after `wait()`.
    private var hasher = SHA256()
    private let queue = DispatchQueue(label: "custody.seal.sha256")
    private let group = DispatchGroup()

    /// Starts hashing `chunk`; it must stay valid and unchanged until `wait()` returns.
    func hash(_ chunk: UnsafeRawBufferPointer) {
        let borrowed = BorrowedBuffer(chunk)
        queue.async(group: group) { self.hasher.update(borrowed.buffer) }
    }

    /// Waits until every chunk handed over is hashed.
    func wait() { group.wait() }

    /// The digest of every chunk.
    func finalize() -> SHA256Digest {
        wait()
        return hasher.finalize()
    }
}

/// A buffer lent to another thread for the time the lender waits for it.
private struct BorrowedBuffer: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
}
