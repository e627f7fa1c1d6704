public import CustodyCrypto

/// The signers whose archives verify, each with the reason it is trusted.
///
/// Trust is placed in a fingerprint; the copy of the key inside an archive only lets the
/// signature be checked, it never makes the signer trusted. When the user names whom to trust
/// (`isNamed`), nothing else is trusted: not even the key of the case an archive lies in.
public struct TrustStore: Sendable {
    /// One trusted signer.
    public struct Entry: Codable, Hashable, Sendable {
        /// Lowercase hex SHA-256 of the signer's SubjectPublicKeyInfo DER.
        public var fingerprint: String
        /// Where trust came from: a file, the command line, or a case folder.
        public var source: String
        /// Why it is trusted, in a sentence.
        public var reason: String
    }

    /// The trusted signers.
    public private(set) var entries: [Entry] = []
    /// Whether the user named the trusted signers (`--trust`, `--trust-fingerprint`): then they
    /// are the only ones, and no case key is added.
    public var isNamed = false

    /// An empty store: nothing is trusted.
    public init() {}

    /// Trusts `key`.
    public mutating func trust(_ key: PublicKey, source: String, reason: String) {
        trust(fingerprint: key.fingerprint, source: source, reason: reason)
    }

    /// Trusts the key with `fingerprint` (any case; stored lowercase).
    public mutating func trust(fingerprint: String, source: String, reason: String) {
        let normalised = fingerprint.lowercased()
        guard !entries.contains(where: { $0.fingerprint == normalised }) else { return }
        entries.append(Entry(fingerprint: normalised, source: source, reason: reason))
    }

    /// The entry trusting `fingerprint`, if any.
    public func entry(for fingerprint: String) -> Entry? {
        entries.first { $0.fingerprint == fingerprint.lowercased() }
    }

    /// The store to verify `path` with (an archive, an account folder or a case folder): when the
    /// user named no signer and `path` lies in a case folder as Custody lays one out
    /// (`CASE/ACCOUNT/NNNNNN-….tar`), the case's public key is trusted too, and returned so the
    /// caller can say so. A key anywhere else, in or above a folder, is never trusted.
    /// - Throws: when the case's public key cannot be read.
    public func adding(caseKeyFor path: String) throws -> (store: TrustStore, caseKey: Entry?) {
        guard !isNamed, let caseFolder = CaseFolder.owning(path), let key = try caseFolder.casePublicKey() else {
            return (self, nil)
        }
        var store = self
        store.trust(key, source: caseFolder.caseKeyPublicPath, reason: CaseFolder.caseKeyReason(caseFolder.root))
        return (store, store.entry(for: key.fingerprint))
    }
}
