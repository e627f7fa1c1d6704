import COpenSSL

/// A public key that verifies Custody signatures, and whose fingerprint is what trust is placed in.
///
/// The fingerprint is the lowercase hex SHA-256 of the SubjectPublicKeyInfo DER: the value
/// `openssl pkey -pubin -in KEY.pub -outform DER | sha256sum` prints.
public struct PublicKey: Sendable, Hashable {
    private let key: EVPKey
    /// The key's type.
    public let type: KeyType
    /// The SubjectPublicKeyInfo DER.
    public let der: [UInt8]

    init(key: EVPKey) throws {
        self.key = key
        self.type = try key.keyType()
        self.der = try key.publicKeyDER()
    }

    /// Reads a SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    /// - Throws: `CryptoError` with `.keyMalformed` or `.keyUnsupported`, naming `source`.
    public init(pem: [UInt8], source: String = "the public key") throws {
        let loaded = try withReadBIO(pem) { bio -> OpaquePointer? in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
        guard let loaded else {
            throw CryptoError.openSSL(
                .keyMalformed, "\(source) is not a PEM public key (expected -----BEGIN PUBLIC KEY-----).")
        }
        try self.init(key: EVPKey(takingOwnershipOf: loaded))
    }

    /// Reads a SubjectPublicKeyInfo DER.
    public init(der: [UInt8], source: String = "the public key") throws {
        let loaded = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let loaded else { throw CryptoError.openSSL(.keyMalformed, "\(source) is not a DER public key.") }
        try self.init(key: EVPKey(takingOwnershipOf: loaded))
    }

    /// Lowercase hex SHA-256 of the DER.
    public var fingerprint: String { SHA256.hash(der).hex }

    /// The key as SubjectPublicKeyInfo PEM.
    public func pemString() throws -> String {
        try key.pem("public key") { PEM_write_bio_PUBKEY($0, key.handle) }
    }

    /// Whether `signature` is this key's signature over exactly `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(ctx)
            _ = drainOpenSSLErrors()
        }
        let digest = type == .ed25519 ? nil : EVP_sha256()
        guard EVP_DigestVerifyInit(ctx, nil, digest, nil, key.handle) == 1 else { return false }
        return signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(ctx, sig.baseAddress, sig.count, msg.baseAddress, msg.count) == 1
            }
        }
    }

    /// Keys are equal when their DER is.
    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.der == rhs.der }

    /// Hashes the DER.
    public func hash(into hasher: inout Hasher) { hasher.combine(der) }
}
