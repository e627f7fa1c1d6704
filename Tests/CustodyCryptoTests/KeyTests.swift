import CustodyCrypto
import CustodyTestSupport
import Foundation
import Testing

@Suite struct KeyGenerationTests {
    @Test(arguments: [KeyType.ed25519, .ecdsaP256, .ecdsaP384, .rsa])
    func generatedKeysSignAndVerify(type: KeyType) throws {
        let key = try PrivateKey.generate(type)
        #expect(key.type == type)
        let message = Array("manifest bytes".utf8)
        let signature = try key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0x0a]))
    }

    @Test(arguments: [KeyType.ed25519, .ecdsaP256, .rsa])
    func pemRoundTripKeepsTheKey(type: KeyType) throws {
        let key = try PrivateKey.generate(type)
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try PrivateKey(pem: Array(pem.utf8))
        #expect(loaded.publicKey == key.publicKey)
        let publicPEM = try key.publicKey.pemString()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try PublicKey(pem: Array(publicPEM.utf8)) == key.publicKey)
    }

    @Test func descriptionShowsNoSecret() throws {
        let key = try PrivateKey.generate(.ed25519)
        let pem = try key.pkcs8PEM()
        let body = pem.split(separator: "\n")[1]
        #expect(!"\(key)".contains(body))
        #expect("\(key)".contains(key.publicKey.fingerprint))
    }
}

@Suite
struct OpenSSLInteropTests {
    let openssl = ExternalTool.openssl!

    static let genpkeyArguments: [(String, [String])] = [
        ("ed25519", ["genpkey", "-algorithm", "ed25519"]),
        ("ec-p256", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
        ("ec-p384", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]),
        ("rsa-2048", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
        ("rsa-2048-traditional", ["genrsa", "-traditional", "-out", "{out}", "2048"]),
        ("ec-p256-traditional", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "{out}"]),
    ]

    @Test(arguments: genpkeyArguments.map(\.0))
    func acceptsKeysMadeByOpenSSL(name: String) throws {
        let folder = try TemporaryFolder()
        let arguments = Self.genpkeyArguments.first { $0.0 == name }!.1
        let keyPath = folder.file("key.pem")
        let made = try openssl.run(
            arguments.contains("{out}")
                ? arguments.map { $0 == "{out}" ? keyPath : $0 } : arguments + ["-out", keyPath])
        #expect(made.status == 0, "\(made.error)")
        let key = try KeyFiles.readPrivateKey(at: keyPath)

        // The fingerprint is what `openssl pkey -pubout -outform DER | sha256sum` gives.
        let der = try openssl.run(["pkey", "-in", keyPath, "-pubout", "-outform", "DER"])
        #expect(key.publicKey.fingerprint == SHA256.hash(Array(der.output)).hex)

        // The signature verifies with `openssl pkeyutl -verify -rawin`, the documented manual check.
        let message = Array("{\"format\":\"custody-manifest\"}\n".utf8)
        let messagePath = folder.file("manifest.json")
        let signaturePath = folder.file("manifest.json.sig")
        let publicPath = folder.file("signer.pub.pem")
        _ = FileManager.default.createFile(atPath: messagePath, contents: Data(message))
        _ = FileManager.default.createFile(atPath: signaturePath, contents: Data(try key.signature(for: message)))
        _ = FileManager.default.createFile(atPath: publicPath, contents: Data(try key.publicKey.pemString().utf8))
        let verified = try openssl.run([
            "pkeyutl", "-verify", "-pubin", "-inkey", publicPath, "-rawin", "-in", messagePath, "-sigfile",
            signaturePath,
        ])
        #expect(verified.status == 0, "\(verified.error)")
    }

    @Test func writtenKeysAreWhatOpenSSLReads() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("k")
        let key = try PrivateKey.generate(.ecdsaP256)
        try KeyFiles.write(key, to: path, force: false)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let checked = try openssl.run(["pkey", "-in", path, "-noout"])
        #expect(checked.status == 0)
        let der = try openssl.run(["pkey", "-pubin", "-in", path + ".pub", "-outform", "DER"])
        #expect(SHA256.hash(Array(der.output)).hex == key.publicKey.fingerprint)
        #expect(throws: CryptoError(.keyFileExists, "")) { try KeyFiles.write(key, to: path, force: false) }
        try KeyFiles.write(try PrivateKey.generate(.ed25519), to: path, force: true)
    }

    @Test func refusesEncryptedKeys() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("enc.pem")
        let made = try openssl.run([
            "genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "pass:secret", "-out", path,
        ])
        #expect(made.status == 0)
        #expect(throws: CryptoError(.keyEncrypted, "")) { try KeyFiles.readPrivateKey(at: path) }
    }

    @Test func refusesWeakAndUnsupportedKeys() throws {
        let folder = try TemporaryFolder()
        let rsa1024 = folder.file("rsa1024.pem")
        try openssl.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa1024])
        #expect(throws: CryptoError(.keyUnsupported, "")) { try KeyFiles.readPrivateKey(at: rsa1024) }
        let k256 = folder.file("secp256k1.pem")
        try openssl.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", k256])
        #expect(throws: CryptoError(.keyUnsupported, "")) { try KeyFiles.readPrivateKey(at: k256) }
    }

    @Test func namesAPublicKeyGivenForSigning() throws {
        let key = try PrivateKey.generate(.ed25519)
        let pem = try key.publicKey.pemString()
        #expect(throws: CryptoError(.keyIsPublic, "")) { try PrivateKey(pem: Array(pem.utf8)) }
    }

    @Test func namesGarbage() {
        #expect(throws: CryptoError(.keyMalformed, "")) { try PrivateKey(pem: Array("not a key".utf8)) }
        #expect(throws: CryptoError(.keyFileUnreadable, "")) { try KeyFiles.readPrivateKey(at: "/nonexistent/key") }
    }
}
