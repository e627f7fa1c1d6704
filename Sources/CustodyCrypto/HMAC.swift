import COpenSSL

/// HMAC-SHA256, as SigV4 needs it.
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(key: some Sequence<UInt8>, message: some Sequence<UInt8>) -> [UInt8] {
        let keyBytes = Array(key)
        let messageBytes = Array(message)
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            messageBytes.withUnsafeBytes { messageBuffer in
                out.withUnsafeMutableBufferPointer { outBuffer in
                    HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
                        messageBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBuffer.count,
                        outBuffer.baseAddress, &length)
                }
            }
        }
        precondition(result != nil && length == 32, "OpenSSL HMAC-SHA256 failed: \(drainOpenSSLErrors())")
        return out
    }
}
