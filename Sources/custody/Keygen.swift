import ArgumentParser
import CustodyCrypto

extension Custody {
    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a signing key pair for sealing evidence.",
            discussion: """
                Writes the private key to FILE (PKCS#8 PEM, readable only by you) and the public key to FILE.pub. \
                Prints the key's fingerprint: share it out of band (chat, phone, the case notes) so others can \
                verify your archives with --trust-fingerprint. It is the SHA-256 of the public key's DER, the \
                same value as: openssl pkey -pubin -in FILE.pub -outform DER | sha256sum

                --json prints Schemas/keygen.schema.json (paths and fingerprint, never the key).

                Example: custody keygen --out ~/.custody/responder.key
                """)

        @Option(
            name: .long,
            help: ArgumentHelp("Where to write the private key; the public key goes to FILE.pub.", valueName: "FILE"))
        var out: String

        @Option(name: .long, help: "Key type: ed25519 (default), ecdsa-p256 or rsa-3072.")
        var type: String = "ed25519"

        @Flag(name: .long, help: "Replace FILE and FILE.pub if they exist.")
        var force = false

        @OptionGroup var output: JSONOutput

        func validate() throws {
            guard Self.keyType(type) != nil else {
                throw ValidationError("--type '\(type)' is not one of ed25519, ecdsa-p256, rsa-3072.")
            }
        }

        static func keyType(_ name: String) -> KeyType? {
            switch name {
            case "ed25519": .ed25519
            case "ecdsa-p256": .ecdsaP256
            case "rsa-3072": .rsa
            default: nil
            }
        }

        func run() async throws {
            let key = try PrivateKey.generate(Self.keyType(type)!)
            try KeyFiles.write(key, to: out, force: force)
            if output.isJSON {
                try JSONOutput.print(
                    CommandResults.Key(
                        privateKey: out, publicKey: out + ".pub", type: type, fingerprint: key.publicKey.fingerprint))
                return
            }
            Console.print("private key: \(out) (mode 0600; keep it secret)")
            Console.print("public key:  \(out).pub")
            Console.print("fingerprint: \(key.publicKey.fingerprint)")
        }
    }
}
