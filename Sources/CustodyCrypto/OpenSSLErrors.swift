import COpenSSL

/// Drains the whole thread-local OpenSSL error queue into readable lines, so that no stale
/// error is left behind to be blamed on a later call.
func drainOpenSSLErrors() -> [String] {
    var lines: [String] = []
    while true {
        let code = ERR_get_error_all(nil, nil, nil, nil, nil)
        if code == 0 { break }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return lines
}

extension CryptoError {
    /// An error carrying the OpenSSL error queue.
    static func openSSL(_ code: Code, _ message: String, fileID: String = #fileID, line: Int = #line) -> CryptoError {
        CryptoError(code, message, openSSLErrors: drainOpenSSLErrors(), fileID: fileID, line: line)
    }
}
