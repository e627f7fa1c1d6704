import COpenSSL

/// A private signing key: Ed25519, ECDSA P-256/P-384 or RSA of at least 2048 bits.
///
/// Keys are read from PEM (PKCS#8 or the traditional RSA/EC forms `openssl genpkey` and older
/// tools write) and written as PKCS#8 PEM. Encrypted keys are refused: Custody never asks for a
/// passphrase. Nothing about the key's secret part ever reaches a description or an error.
public struct PrivateKey: Sendable {
    private let key: EVPKey
    /// The key's type.
    public let type: KeyType
    /// The matching public key.
    public let publicKey: PublicKey

    private init(key: EVPKey) throws {
        self.key = key
        self.type = try key.keyType()
        self.publicKey = try PublicKey(key: key)
    }

    /// Generates a new key.
    /// - Parameter type: `.ed25519`, `.ecdsaP256`, `.ecdsaP384`, or `.rsa` (3072 bits).
    public static func generate(_ type: KeyType) throws -> PrivateKey {
        let id: Int32 =
            switch type {
            case .ed25519: EVP_PKEY_ED25519
            case .ecdsaP256, .ecdsaP384: EVP_PKEY_EC
            case .rsa: EVP_PKEY_RSA
            }
        guard let ctx = EVP_PKEY_CTX_new_id(id, nil) else {
            throw CryptoError.openSSL(.keyGenerationFailed, "OpenSSL cannot make \(type.rawValue) keys.")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else {
            throw CryptoError.openSSL(.keyGenerationFailed, "OpenSSL cannot make \(type.rawValue) keys.")
        }
        let configured: Int32 =
            switch type {
            case .ed25519: 1
            case .ecdsaP256: EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1)
            case .ecdsaP384: EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_secp384r1)
            case .rsa: EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 3072)
            }
        var made: OpaquePointer?
        guard configured > 0, EVP_PKEY_keygen(ctx, &made) == 1, let made else {
            throw CryptoError.openSSL(.keyGenerationFailed, "OpenSSL failed to generate a \(type.rawValue) key.")
        }
        return try PrivateKey(key: EVPKey(takingOwnershipOf: made))
    }

    /// Reads a private key from PEM text.
    /// - Parameters:
    ///   - pem: the file's bytes.
    ///   - source: how to name the key in errors, such as its path.
    /// - Throws: `CryptoError` with `.keyEncrypted`, `.keyIsPublic`, `.keyMalformed` or `.keyUnsupported`.
    public init(pem: [UInt8], source: String = "the key") throws {
        let text = String(decoding: pem, as: UTF8.self)
        if text.contains("-----BEGIN PUBLIC KEY-----") && !text.contains("PRIVATE KEY-----") {
            throw CryptoError(
                .keyIsPublic, "\(source) is a public key; signing needs the private key (the file without .pub).")
        }
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
            throw CryptoError(
                .keyEncrypted,
                "\(source) is encrypted with a passphrase; Custody does not ask for passphrases.",
                remedy:
                    "Decrypt a copy with `openssl pkey -in KEY -out KEY.plain` and keep it protected, or make a new "
                    + "key with `custody keygen`.")
        }
        var askedForPassphrase = false
        let loaded = try withReadBIO(pem) { bio -> OpaquePointer? in
            withUnsafeMutablePointer(to: &askedForPassphrase) { flag in
                // Any passphrase prompt means the key is encrypted; answer with none, so loading fails.
                PEM_read_bio_PrivateKey(
                    bio, nil,
                    { _, _, _, userdata in
                        userdata?.assumingMemoryBound(to: Bool.self).pointee = true
                        return 0
                    }, flag)
            }
        }
        if askedForPassphrase {
            _ = drainOpenSSLErrors()
            throw CryptoError(
                .keyEncrypted,
                "\(source) is encrypted with a passphrase; Custody does not ask for passphrases.",
                remedy:
                    "Decrypt a copy with `openssl pkey -in KEY -out KEY.plain`, or make a new key with `custody keygen`."
            )
        }
        guard let loaded else {
            throw CryptoError.openSSL(
                .keyMalformed,
                "\(source) holds no private key Custody can read; expected PEM such as -----BEGIN PRIVATE KEY----- "
                    + "(make one with `custody keygen` or `openssl genpkey -algorithm ed25519`).")
        }
        try self.init(key: EVPKey(takingOwnershipOf: loaded))
    }

    /// The key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public func pkcs8PEM() throws -> String {
        try key.pem("private key") { bio in
            PEM_write_bio_PKCS8PrivateKey(bio, key.handle, nil, nil, 0, nil, nil)
        }
    }

    /// Signs exactly `message` with the key's scheme (`type.signatureAlgorithm`).
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.openSSL(.signingFailed, "OpenSSL is out of memory.") }
        defer { EVP_MD_CTX_free(ctx) }
        // Ed25519 signs the message itself, one-shot, and takes no digest.
        let digest = type == .ed25519 ? nil : EVP_sha256()
        guard EVP_DigestSignInit(ctx, nil, digest, nil, key.handle) == 1 else {
            throw CryptoError.openSSL(.signingFailed, "OpenSSL could not start a \(type.rawValue) signature.")
        }
        var length = 0
        let sized = message.withUnsafeBufferPointer { msg in
            EVP_DigestSign(ctx, nil, &length, msg.baseAddress, msg.count)
        }
        guard sized == 1 else { throw CryptoError.openSSL(.signingFailed, "OpenSSL could not size the signature.") }
        var out = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBufferPointer { msg in
            out.withUnsafeMutableBufferPointer { sig in
                EVP_DigestSign(ctx, sig.baseAddress, &length, msg.baseAddress, msg.count)
            }
        }
        guard signed == 1 else { throw CryptoError.openSSL(.signingFailed, "OpenSSL could not sign.") }
        return Array(out.prefix(length))
    }
}

extension PrivateKey: CustomStringConvertible {
    /// Type and public fingerprint only.
    public var description: String { "PrivateKey(\(type.rawValue), public \(publicKey.fingerprint))" }
}
