/// The key types Custody generates and signs with.
public enum KeyType: String, CaseIterable, Sendable, Codable {
    /// Ed25519 (RFC 8032), the default: small keys, deterministic signatures.
    case ed25519 = "ed25519"
    /// ECDSA on NIST P-256 with SHA-256.
    case ecdsaP256 = "ecdsa-p256"
    /// ECDSA on NIST P-384 with SHA-256 (accepted when loaded; `keygen` makes P-256).
    case ecdsaP384 = "ecdsa-p384"
    /// RSA, PKCS#1 v1.5 signatures with SHA-256, at least 2048 bits.
    case rsa = "rsa"

    /// The signature scheme this key type signs with, as recorded in manifests.
    ///
    /// Every scheme hashes with SHA-256 where it hashes at all, which is what
    /// `openssl pkeyutl -verify -rawin` uses by default, so the same command checks any of them.
    public var signatureAlgorithm: String {
        switch self {
        case .ed25519: "ed25519"
        case .ecdsaP256: "ecdsa-p256-sha256"
        case .ecdsaP384: "ecdsa-p384-sha256"
        case .rsa: "rsa-pkcs1v15-sha256"
        }
    }
}
