import COpenSSL

/// A SHA-256 digest: 32 bytes.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 digest bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes")
        self.bytes = bytes
    }

    /// Lowercase hex, as `sha256sum` prints it.
    public var hex: String { Hex.encode(bytes) }

    /// Lowercase hex.
    public var description: String { hex }
}

/// Streaming SHA-256 over OpenSSL's EVP interface.
///
/// A value type: copying a hasher and feeding both copies gives two independent digests.
public struct SHA256: Sendable {
    private var context: DigestContext

    /// A hasher with nothing fed to it yet.
    public init() {
        context = DigestContext()
    }

    /// Feeds `buffer` to the hash.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        // EVP_DigestUpdate on an initialised SHA-256 context cannot fail short of memory corruption.
        EVP_DigestUpdate(context.handle, buffer.baseAddress, buffer.count)
    }

    /// Feeds `bytes` to the hash.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if handled == nil {
            let array = Array(bytes)
            array.withUnsafeBytes { update($0) }
        }
    }

    /// The digest of everything fed so far. The hasher itself is left unchanged.
    public func finalize() -> SHA256Digest {
        let copy = context.copy()
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(copy.handle, &out, &length)
        return SHA256Digest(bytes: out)
    }

    /// The SHA-256 of `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// Owns one `EVP_MD_CTX` initialised for SHA-256.
final class DigestContext: @unchecked Sendable {
    // The pointer never changes after init; mutation goes through SHA256's copy-on-write.
    let handle: OpaquePointer

    init() {
        guard let ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            fatalError("OpenSSL could not initialise SHA-256: \(drainOpenSSLErrors())")
        }
        handle = ctx
    }

    init(takingOwnershipOf handle: OpaquePointer) {
        self.handle = handle
    }

    func copy() -> DigestContext {
        guard let ctx = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(ctx, handle) == 1 else {
            fatalError("OpenSSL could not copy a SHA-256 context: \(drainOpenSSLErrors())")
        }
        return DigestContext(takingOwnershipOf: ctx)
    }

    deinit { EVP_MD_CTX_free(handle) }
}
