import ArgumentParser
import CustodyCrypto
import EvidenceArchive

/// Which signers to trust, shared by `verify` and `extract`.
struct TrustOptions: ParsableArguments {
    @Option(
        name: .customLong("trust"),
        help: ArgumentHelp("Trust the signer whose public key is in this PEM file (repeatable).", valueName: "FILE.pub")
    )
    var trustFiles: [String] = []

    @Option(
        name: .customLong("trust-fingerprint"),
        help: ArgumentHelp(
            "Trust the signer with this SHA-256 key fingerprint, 64 hex digits (repeatable).", valueName: "HEX"))
    var trustFingerprints: [String] = []

    func validate() throws {
        for fingerprint in trustFingerprints {
            let hex = fingerprint.lowercased()
            guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else {
                throw ValidationError(
                    "--trust-fingerprint '\(fingerprint)' is not a SHA-256 fingerprint (64 hex digits, as custody keygen prints)."
                )
            }
        }
    }

    /// The trust store these options describe.
    func trustStore() throws -> TrustStore {
        var store = TrustStore()
        store.isNamed = !trustFiles.isEmpty || !trustFingerprints.isEmpty
        for file in trustFiles {
            let key: PublicKey
            do {
                key = try KeyFiles.readPublicKey(at: file)
            } catch {
                throw CommandFailure("--trust \(file): \(error)", underlying: error)
            }
            store.trust(key, source: file, reason: "you passed its public key with --trust \(file)")
        }
        for fingerprint in trustFingerprints {
            store.trust(
                fingerprint: fingerprint, source: "--trust-fingerprint",
                reason: "you passed its fingerprint with --trust-fingerprint")
        }
        return store
    }

    /// Says on stderr, for each case whose own key will be trusted for `paths`, that a key found in
    /// the folder is trusted and which: nobody should rely on it without knowing.
    func announceCaseKeys(for paths: [String]) throws {
        let store = try trustStore()
        var said = Set<String>()
        for path in paths {
            guard let entry = try store.adding(caseKeyFor: path).caseKey, said.insert(entry.source).inserted else {
                continue
            }
            Console.error(
                "trusting \(entry.fingerprint), the key found in the case folder (\(entry.source)), since no --trust was given; "
                    + "compare it with the fingerprint printed when the case was made")
        }
    }
}
