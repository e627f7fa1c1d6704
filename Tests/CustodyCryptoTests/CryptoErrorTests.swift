import CustodyCrypto
import Testing

/// A crypto error says what went wrong, what to do, and then OpenSSL's reasons.
@Suite struct CryptoErrorTests {
    @Test func encryptedKeySaysHowToDecryptACopy() {
        let pem =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGbMFcGCSqGSIb3DQEFDTBK\n-----END ENCRYPTED PRIVATE KEY-----\n"
        let error = #expect(throws: CryptoError(.keyEncrypted, "")) {
            try PrivateKey(pem: Array(pem.utf8), source: "case.key")
        }
        #expect(error?.message == "case.key is encrypted with a passphrase; Custody does not ask for passphrases.")
        #expect(
            error?.description
                == "case.key is encrypted with a passphrase; Custody does not ask for passphrases. Decrypt a copy with "
                + "`openssl pkey -in KEY -out KEY.plain` and keep it protected, or make a new key with `custody keygen`."
        )
    }

    @Test func openSSLReasonsFollowWhatToDo() {
        let error = CryptoError(
            .signingFailed, "Signing failed.", remedy: "Check the key.", openSSLErrors: ["error:1", "error:2"])
        #expect(error.description == "Signing failed. Check the key. (OpenSSL: error:1; error:2)")
        #expect(error == CryptoError(.signingFailed, "Another message."))
        #expect(error != CryptoError(.digestFailed, "Signing failed."))
    }
}
