import CustodyCrypto
import EvidenceArchive

/// The key that signs: `--sign-key`, or the case key made on first use.
enum SigningKeyChoice {
    static func load(signKey: String?, caseFolder: CaseFolder) throws -> PrivateKey {
        do {
            if let signKey { return try KeyFiles.readPrivateKey(at: signKey) }
            _ = try caseFolder.prepare()
            let (key, created) = try caseFolder.loadOrCreateCaseKey()
            if created {
                Console.error("made case key \(caseFolder.caseKeyPath)")
                Console.error("case key fingerprint: \(key.publicKey.fingerprint) (share it out of band)")
            }
            return key
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
