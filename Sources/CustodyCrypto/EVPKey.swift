import COpenSSL

/// Owns one `EVP_PKEY`.
final class EVPKey: @unchecked Sendable {
    // Immutable after init; OpenSSL keys are safe to use from several threads for sign and verify.
    let handle: OpaquePointer

    init(takingOwnershipOf handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { EVP_PKEY_free(handle) }

    /// The key's type, or an error naming what it is when Custody does not sign with it.
    func keyType() throws -> KeyType {
        switch EVP_PKEY_get_base_id(handle) {
        case EVP_PKEY_ED25519:
            return .ed25519
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(handle, &name, name.count, &length) == 1 else {
                throw CryptoError.openSSL(
                    .keyUnsupported, "The EC key names no curve Custody knows; use P-256 or P-384.")
            }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            switch curve {
            case "prime256v1", "P-256", "secp256r1": return .ecdsaP256
            case "secp384r1", "P-384": return .ecdsaP384
            default:
                throw CryptoError(
                    .keyUnsupported, "EC keys on curve \(curve) are not supported; use P-256 or P-384 (or Ed25519).")
            }
        case EVP_PKEY_RSA:
            let bits = EVP_PKEY_get_bits(handle)
            guard bits >= 2048 else {
                throw CryptoError(.keyUnsupported, "RSA keys of \(bits) bits are too weak; use at least 2048 bits.")
            }
            return .rsa
        case EVP_PKEY_RSA_PSS:
            throw CryptoError(
                .keyUnsupported,
                "RSA-PSS restricted keys are not supported; use a plain RSA key (openssl genpkey -algorithm RSA).")
        default:
            let name = EVP_PKEY_get0_type_name(handle).map { String(cString: $0) } ?? "unknown"
            throw CryptoError(
                .keyUnsupported, "\(name) keys are not supported; use Ed25519, ECDSA P-256/P-384 or RSA ≥ 2048.")
        }
    }

    /// The SubjectPublicKeyInfo DER of the key.
    func publicKeyDER() throws -> [UInt8] {
        let length = i2d_PUBKEY(handle, nil)
        guard length > 0 else { throw CryptoError.openSSL(.encodingFailed, "The public key could not be encoded.") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(handle, &cursor)
        }
        guard written == length else {
            throw CryptoError.openSSL(.encodingFailed, "The public key could not be encoded.")
        }
        return out
    }

    /// PEM text written by `body` into a memory BIO.
    func pem(_ what: String, _ body: (OpaquePointer) -> Int32) throws -> String {
        try withMemoryBIO { bio in
            guard body(bio) == 1 else {
                throw CryptoError.openSSL(.encodingFailed, "The \(what) could not be written as PEM.")
            }
            return bioContents(bio)
        }
    }
}

/// Runs `body` with a fresh memory BIO, freed afterwards.
func withMemoryBIO<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
    guard let bio = BIO_new(BIO_s_mem()) else {
        throw CryptoError.openSSL(.encodingFailed, "OpenSSL is out of memory.")
    }
    defer { BIO_free(bio) }
    return try body(bio)
}

/// Runs `body` with a read-only memory BIO over `bytes`.
func withReadBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> T) throws -> T {
    try bytes.withUnsafeBytes { buffer in
        guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
            throw CryptoError.openSSL(.keyMalformed, "OpenSSL is out of memory.")
        }
        defer { BIO_free(bio) }
        return try body(bio)
    }
}

/// Everything written to a memory BIO, as text.
func bioContents(_ bio: OpaquePointer) -> String {
    var pointer: UnsafeMutableRawPointer?
    // BIO_get_mem_data is a macro over BIO_ctrl(BIO_CTRL_INFO).
    let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
    guard let pointer, length > 0 else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
}
