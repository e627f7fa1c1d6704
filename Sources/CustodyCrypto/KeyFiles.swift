#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading and writing key files with the permissions a private key needs.
public enum KeyFiles {
    /// Reads a private key from a PEM file.
    /// - Throws: `CryptoError` naming `path` when the file is missing, unreadable, or not a key Custody signs with.
    public static func readPrivateKey(at path: String) throws -> PrivateKey {
        try PrivateKey(pem: readFile(path, what: "key file"), source: "key file \(path)")
    }

    /// Reads a public key from a PEM file (`-----BEGIN PUBLIC KEY-----`).
    public static func readPublicKey(at path: String) throws -> PublicKey {
        try PublicKey(pem: readFile(path, what: "public key file"), source: "public key file \(path)")
    }

    /// Writes `key` as PKCS#8 PEM with mode 0600 and its public key as PEM at `path + ".pub"`.
    /// - Parameter force: replace existing files; without it an existing file is an error.
    /// - Throws: `CryptoError` with `.keyFileExists` or `.keyFileUnwritable`.
    public static func write(_ key: PrivateKey, to path: String, force: Bool) throws {
        let publicPath = path + ".pub"
        if !force {
            for existing in [path, publicPath] where access(existing, F_OK) == 0 {
                throw CryptoError(
                    .keyFileExists, "\(existing) already exists; choose another path or pass --force to replace it.")
            }
        }
        try writeAtomically(Array(key.pkcs8PEM().utf8), to: path, mode: 0o600)
        try writeAtomically(Array(key.publicKey.pemString().utf8), to: publicPath, mode: 0o644)
    }

    /// Writes `key` as PEM with mode 0644 at `path`, replacing what is there.
    /// - Throws: `CryptoError` with `.keyFileUnwritable`.
    public static func writePublicKey(_ key: PublicKey, to path: String) throws {
        try writeAtomically(Array(key.pemString().utf8), to: path, mode: 0o644)
    }

    /// Writes bytes to a sibling temporary file with `mode`, then renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw unwritable(path) }
        // The mode passed to open is filtered by the umask; a private key must end up 0600 regardless.
        fchmod(fd, mode)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 {
                close(fd)
                unlink(temporary)
                throw unwritable(path)
            }
            offset += written
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw unwritable(path)
        }
    }

    static func readFile(_ path: String, what: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CryptoError(.keyFileUnreadable, "Cannot read \(what) \(path): \(reason).")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 {
                throw CryptoError(
                    .keyFileUnreadable, "Cannot read \(what) \(path): \(String(cString: strerror(errno))).")
            }
            if count == 0 { break }
            bytes += buffer.prefix(count)
            if bytes.count > 1 << 20 {
                throw CryptoError(.keyMalformed, "\(what) \(path) is larger than 1 MiB; it is not a key.")
            }
        }
        return bytes
    }

    private static func unwritable(_ path: String) -> CryptoError {
        CryptoError(.keyFileUnwritable, "Cannot write \(path): \(String(cString: strerror(errno))).")
    }
}
