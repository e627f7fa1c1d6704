import CustodyCrypto
import EvidenceArchive

/// The key that signs: `--sign-key`, or the case key made on first use.
enum SigningKeyChoice {
    static func load(signKey: String?, caseFolder: CaseFolder) throws -> PrivateKey {
        if let signKey { return try KeyFiles.readPrivateKey(at: signKey) }
        _ = try caseFolder.prepare()
        let store = try KeyStore.user()
        let (key, created, movedFrom) = try caseFolder.loadOrCreateCaseKey(in: store)
        let kept = store.path(for: key.publicKey.fingerprint)
        if created {
            Console.error(
                "made case key \(caseFolder.caseKeyPublicPath); its private key is kept outside the case, in \(kept)")
            Console.error("case key fingerprint: \(key.publicKey.fingerprint) (share it out of band)")
        }
        if let movedFrom {
            Console.error(
                "moved the case's private key from \(movedFrom) to \(kept): whoever is handed a case folder must not be able to re-sign its evidence"
            )
        }
        return key
    }
}
