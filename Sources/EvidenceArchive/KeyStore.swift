public import CustodyCrypto
import Foundation

/// Where the private keys of case folders live: outside every case, so copying or handing over a
/// case folder never hands over the power to re-sign its evidence.
///
/// ```
/// $XDG_CONFIG_HOME/custody/keys/            0700 (~/.config/custody/keys without XDG_CONFIG_HOME)
/// $XDG_CONFIG_HOME/custody/keys/<fp>.key    0600, PKCS#8 PEM, named by the key's fingerprint
/// ```
public struct KeyStore: Sendable {
    /// The folder.
    public let root: String

    /// A store at `root`.
    public init(root: String) {
        self.root = root
    }

    /// The user's store: `$XDG_CONFIG_HOME/custody/keys`, or `$HOME/.config/custody/keys`.
    /// - Throws: `ArchiveError.Code.caseFolderUnusable` when neither variable says where that is.
    public static func user(environment: [String: String]? = nil) throws -> KeyStore {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return KeyStore(root: joinPath(config, "custody", "keys"))
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw ArchiveError(
                .caseFolderUnusable,
                "Neither XDG_CONFIG_HOME nor HOME is set, so there is no key store for the case's private key; pass --sign-key KEY."
            )
        }
        return KeyStore(root: joinPath(home, ".config", "custody", "keys"))
    }

    /// Where the private key with `fingerprint` is kept.
    public func path(for fingerprint: String) -> String {
        joinPath(root, fingerprint.lowercased() + ".key")
    }

    /// The private key with `fingerprint`, or `nil` when the store does not hold it.
    /// - Throws: when the file is there but cannot be read as a key.
    public func key(fingerprint: String) throws -> PrivateKey? {
        let path = path(for: fingerprint)
        guard pathExists(path) else { return nil }
        return try KeyFiles.readPrivateKey(at: path)
    }

    /// Keeps `key`, 0600 in a 0700 folder; a key already kept is left as it is.
    /// - Returns: the key file's path.
    @discardableResult
    public func keep(_ key: PrivateKey) throws -> String {
        try makeDirectories(root, mode: 0o700)
        // An existing folder keeps its mode unless told: a key folder must not be readable by others.
        chmod(root, 0o700)
        let path = path(for: key.publicKey.fingerprint)
        // Named by its fingerprint: a public key left beside it can only be the same key's.
        if !pathExists(path) { try KeyFiles.write(key, to: path, force: true) }
        return path
    }
}
