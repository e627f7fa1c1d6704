import COpenSSL

/// SHA-1, only to name files as other tools name them (the AWS CLI's IAM Identity Center token cache is
/// `<SHA-1 hex of the start URL or session name>.json`). Never for integrity: SHA-1 is broken for that.
public enum SHA1 {
    /// The lowercase hex SHA-1 of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        var out = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        let result = input.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, EVP_sha1(), nil)
        }
        precondition(result == 1 && length == 20, "OpenSSL SHA-1 failed: \(drainOpenSSLErrors())")
        return Hex.encode(out)
    }
}
