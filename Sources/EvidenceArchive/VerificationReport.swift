import Foundation

/// The result of `custody verify` over any mix of archives, account folders and case folders.
public struct VerificationReport: Codable, Hashable, Sendable {
    /// Every signer trusted, and why.
    public var trusted: [TrustStore.Entry]
    /// Account chains verified (from account or case folders).
    public var chains: [ChainVerification]
    /// Archives verified on their own.
    public var archives: [ArchiveVerification]
    /// Problems not tied to one chain or archive (such as a case folder with no archives).
    public var problems: [VerificationProblem]

    /// Whether everything verifies.
    public var ok: Bool {
        problems.isEmpty && chains.allSatisfy(\.ok) && archives.allSatisfy(\.ok)
    }

    /// How many problems were found in all.
    public var problemCount: Int {
        problems.count + chains.reduce(0) { $0 + $1.problems.count + $1.archives.reduce(0) { $0 + $1.problems.count } }
            + archives.reduce(0) { $0 + $1.problems.count }
    }

    /// How many archives were verified in all.
    public var archiveCount: Int { archives.count + chains.reduce(0) { $0 + $1.archives.count } }

    enum CodingKeys: String, CodingKey { case ok, problemCount, archiveCount, trusted, chains, archives, problems }

    /// Decodes a report.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        trusted = try container.decode([TrustStore.Entry].self, forKey: .trusted)
        chains = try container.decode([ChainVerification].self, forKey: .chains)
        archives = try container.decode([ArchiveVerification].self, forKey: .archives)
        problems = try container.decode([VerificationProblem].self, forKey: .problems)
    }

    init() {
        trusted = []
        chains = []
        archives = []
        problems = []
    }

    /// Encodes the report with its totals.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ok, forKey: .ok)
        try container.encode(problemCount, forKey: .problemCount)
        try container.encode(archiveCount, forKey: .archiveCount)
        try container.encode(trusted, forKey: .trusted)
        try container.encode(chains, forKey: .chains)
        try container.encode(archives, forKey: .archives)
        try container.encode(problems, forKey: .problems)
    }
}

extension ChainVerification {
    enum CodingKeys: String, CodingKey { case account, folder, ok, tipManifestSHA256, archives, problems, notes }

    /// Decodes a chain result.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        account = try container.decode(String.self, forKey: .account)
        folder = try container.decode(String.self, forKey: .folder)
        archives = try container.decode([ArchiveVerification].self, forKey: .archives)
        problems = try container.decode([VerificationProblem].self, forKey: .problems)
        notes = try container.decode([String].self, forKey: .notes)
    }

    /// Encodes the chain result with `ok` and the tip.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account, forKey: .account)
        try container.encode(folder, forKey: .folder)
        try container.encode(ok, forKey: .ok)
        try container.encodeIfPresent(tipManifestSHA256, forKey: .tipManifestSHA256)
        try container.encode(archives, forKey: .archives)
        try container.encode(problems, forKey: .problems)
        try container.encode(notes, forKey: .notes)
    }
}

/// Verifies what a user names: archives, account folders, case folders.
///
/// Inside a case folder the case's own key is trusted as well as `trust`, and the report says so
/// and why: whoever holds the folder chose that key, so its fingerprint should be compared with
/// the one printed when the case was made.
public struct Verifier: Sendable {
    /// Signers trusted everywhere.
    public var trust: TrustStore
    /// The most one gzip CloudTrail file may expand to while CloudTrail's own proof is checked.
    public var decompressedSizeLimit = DecompressedSizeLimit.standard

    /// Makes a verifier.
    public init(trust: TrustStore) {
        self.trust = trust
    }

    /// Verifies each path.
    /// - Throws: `ArchiveError.Code.inputUnreadable` when a path does not exist or cannot be read
    ///   (the command cannot run), never for what it finds wrong in an archive.
    public func verify(paths: [String]) throws -> VerificationReport {
        var report = VerificationReport()
        report.trusted = trust.entries
        let caseRoots = paths.filter { isDirectory($0) && CaseFolder.isCaseFolder($0) }
        for path in paths {
            guard pathExists(path) else {
                throw ArchiveError(
                    .inputUnreadable, "\(path) does not exist; give an archive, an account folder or a case folder.")
            }
            let trustHere = try trustStore(for: path, namedCases: caseRoots, report: &report)
            var archiveVerifier = ArchiveVerifier(trust: trustHere)
            archiveVerifier.decompressedSizeLimit = decompressedSizeLimit
            let chainVerifier = ChainVerifier(archiveVerifier: archiveVerifier)
            if !isDirectory(path) {
                report.archives.append(archiveVerifier.verify(path))
            } else if CaseFolder.isCaseFolder(path) {
                let caseFolder = CaseFolder(root: path)
                let accounts = try caseFolder.accounts()
                if accounts.isEmpty {
                    report.problems.append(
                        VerificationProblem(
                            .nothingToVerify, archive: path,
                            "the case folder \(path) holds no account folders, so nothing was verified."))
                }
                for account in accounts {
                    report.chains.append(try chainVerifier.verify(folder: caseFolder.accountPath(account)))
                }
            } else {
                let chain = try chainVerifier.verify(folder: path)
                let accountFolder = ArchiveLayout.isAccountId(lastComponent(of: path))
                if chain.archives.isEmpty && !chain.problems.isEmpty && !accountFolder {
                    // A folder that is not an account's says so once, rather than naming each file a stray.
                    report.problems.append(
                        VerificationProblem(
                            .nothingToVerify, archive: path,
                            "\(path) is neither a case folder, an account folder (named for its account id, holding NNNNNN-YYYYMMDDTHHMMSSZ.tar archives) nor an archive, so nothing was verified."
                        ))
                    continue
                }
                if chain.archives.isEmpty && chain.problems.isEmpty {
                    report.problems.append(
                        VerificationProblem(
                            .nothingToVerify, archive: path, "\(path) holds no archives, so nothing was verified."))
                }
                report.chains.append(chain)
            }
        }
        for index in report.archives.indices where report.archives[index].evidence != nil {
            try checkEvidence(of: &report.archives[index], caseRoots: caseRoots, chains: report.chains)
        }
        return report
    }

    /// `trust`, plus the case key when the user named no signer and `path` lies in a case folder as
    /// Custody lays one out. A report sealed outside its case is checked against the keys of the case
    /// folders named with it on the command line, again only when no signer was named.
    private func trustStore(for path: String, namedCases: [String], report: inout VerificationReport) throws
        -> TrustStore
    {
        var (store, caseKey) = try trust.adding(caseKeyFor: path)
        if caseKey == nil && !trust.isNamed && !isDirectory(path) && CaseFolder.owning(path) == nil {
            for root in namedCases {
                guard let key = try CaseFolder(root: root).casePublicKey() else { continue }
                store.trust(
                    key, source: CaseFolder(root: root).caseKeyPublicPath,
                    reason: CaseFolder.caseKeyReason(root)
                        + "; it is trusted for \(lastComponent(of: path)) because that case folder was named with it")
            }
        }
        for entry in store.entries where !report.trusted.contains(entry) {
            report.trusted.append(entry)
        }
        return store
    }

    /// Checks that every evidence archive a report names is in its case, verifies, and has the
    /// very manifest the report names. The case is a case folder among the paths verified or the
    /// one the report lies in, whichever has the report's case id.
    private func checkEvidence(of archive: inout ArchiveVerification, caseRoots: [String], chains: [ChainVerification])
        throws
    {
        guard let evidence = archive.evidence, let caseId = archive.manifest?.caseId else { return }
        var candidates = caseRoots
        // A report sealed into its case folder, or a folder of it, names its case by lying there.
        let parent = parentPath(of: archive.path)
        candidates += [parent, parentPath(of: parent)].filter { isDirectory($0) && CaseFolder.isCaseFolder($0) }
        guard let root = candidates.first(where: { CaseFolder(root: $0).existingCaseId() == caseId }) else {
            archive.evidenceCheck =
                "the \(evidence.count) evidence archive(s) it names were not checked: no case folder with case id \(caseId) was given; "
                + "verify the report together with its case folder (custody verify REPORT.tar CASE)"
            return
        }
        var found: [String: ArchiveVerification] = [:]
        for chain in chains {
            for verified in chain.archives { found[standardPath(verified.path)] = verified }
        }
        let store = try trust.adding(caseKeyFor: root).store
        for reference in evidence {
            let path = joinPath(root, reference.path)
            guard MemberName.problem(with: reference.path) == nil, pathExists(path) else {
                archive.add(
                    .evidenceMissing,
                    "the report was made from \(reference.path) (account \(reference.account), #\(reference.sequence)), which is not in the case folder \(root)."
                )
                continue
            }
            var verifier = ArchiveVerifier(trust: store)
            verifier.decompressedSizeLimit = decompressedSizeLimit
            let verified = found[standardPath(path)] ?? verifier.verify(path)
            let manifestSHA256 = verified.manifestSHA256 ?? "none"
            if manifestSHA256 != reference.manifestSHA256 {
                archive.add(
                    .evidenceChanged,
                    "\(reference.path) has manifest SHA-256 \(manifestSHA256), but the report was made from manifest \(reference.manifestSHA256)."
                )
            } else if !verified.ok {
                let problems = verified.problems.map(\.description).joined(separator: "; ")
                archive.add(
                    .evidenceChanged, "\(reference.path), which the report was made from, does not verify: \(problems)."
                )
            }
        }
        archive.evidenceCheck = "the \(evidence.count) evidence archive(s) it names were checked in case folder \(root)"
    }

    private func standardPath(_ path: String) -> String { (path as NSString).standardizingPath }
}
