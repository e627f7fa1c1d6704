public import CustodyErrors

/// An error from a cryptographic operation: a key that cannot be used, a signature that cannot be made.
///
/// Two errors are equal when their codes are, so tests can compare against an error they build.
/// No secret material ever reaches `description`: only what the caller named (a path, a key type).
public struct CryptoError: CustodyError {
    /// What went wrong, as a value to compare.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The key is protected by a passphrase, which Custody never asks for.
        public static let keyEncrypted = Code(name: "keyEncrypted")
        /// The file holds no key OpenSSL can read.
        public static let keyMalformed = Code(name: "keyMalformed")
        /// The key is of a type or size Custody does not sign with.
        public static let keyUnsupported = Code(name: "keyUnsupported")
        /// A public key was given where a private key is needed.
        public static let keyIsPublic = Code(name: "keyIsPublic")
        /// Generating a key failed inside OpenSSL.
        public static let keyGenerationFailed = Code(name: "keyGenerationFailed")
        /// Signing failed inside OpenSSL.
        public static let signingFailed = Code(name: "signingFailed")
        /// Serialising a key failed inside OpenSSL.
        public static let encodingFailed = Code(name: "encodingFailed")
        /// A digest or MAC operation failed inside OpenSSL.
        public static let digestFailed = Code(name: "digestFailed")
        /// A key file could not be read.
        public static let keyFileUnreadable = Code(name: "keyFileUnreadable")
        /// A key file could not be written.
        public static let keyFileUnwritable = Code(name: "keyFileUnwritable")
        /// A key file exists and replacing it was not asked for.
        public static let keyFileExists = Code(name: "keyFileExists")
        /// A hex string is not an even number of hex digits.
        public static let invalidHex = Code(name: "invalidHex")

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A full sentence saying what went wrong.
    public let message: String
    /// A full sentence saying what to do, when `message` does not already say.
    public let remedy: String?
    /// The OpenSSL error queue at the time, outermost first.
    public let openSSLErrors: [String]
    /// The error that caused this one, when there is one.
    public let underlying: (any Error)?
    /// Where the error was raised.
    public let fileID: String
    /// Where the error was raised.
    public let line: Int

    /// Makes an error.
    public init(
        _ code: Code, _ message: String, remedy: String? = nil, openSSLErrors: [String] = [],
        underlying: (any Error)? = nil, fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.openSSLErrors = openSSLErrors
        self.underlying = underlying
        self.fileID = fileID
        self.line = line
    }

    /// The explanation, followed by OpenSSL's reasons when it gave any.
    public var description: String {
        openSSLErrors.isEmpty ? explanation : "\(explanation) (OpenSSL: \(openSSLErrors.joined(separator: "; ")))"
    }
}
