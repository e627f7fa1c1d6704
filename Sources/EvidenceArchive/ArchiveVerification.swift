/// The result of verifying one archive.
public struct ArchiveVerification: Codable, Hashable, Sendable {
    /// The archive's path.
    public var path: String
    /// The manifest's account, when it could be read.
    public var account: String?
    /// The manifest's sequence number, when it could be read.
    public var sequence: Int?
    /// What the archive holds.
    public var kind: Manifest.Kind?
    /// When it was sealed.
    public var finishedAt: String?
    /// SHA-256 of the exact `manifest.json` bytes.
    public var manifestSHA256: String?
    /// The fingerprint of the key that signed it.
    public var signerFingerprint: String?
    /// Why the signer is trusted, when it is.
    public var signerTrustedBecause: String?
    /// The span of its CloudTrail.
    public var cloudTrailWindow: Manifest.TimeWindow?
    /// What each source and region's CloudTrail was read for (a version 1 archive's single window
    /// stands for every region it lists).
    public var cloudTrailWindows: [Manifest.CloudTrailWindow]?
    /// Coverage entries that are not complete: gaps the collection itself recorded.
    public var coverageGaps: [Manifest.CoverageEntry]
    /// For a report: the evidence archives it names.
    public var evidence: [Manifest.EvidenceReference]?
    /// For a report: how its evidence was checked, or why it was not.
    public var evidenceCheck: String?
    /// Everything found wrong; empty when the archive verifies.
    public var problems: [VerificationProblem]

    /// Whether the archive verifies.
    public var ok: Bool { problems.isEmpty }

    /// The manifest as verified (not encoded): what the signature covers, never one read back
    /// from an extracted copy.
    public internal(set) var manifest: Manifest?
    /// The signature bytes, kept for chain checks (not encoded).
    var signature: [UInt8]?

    enum CodingKeys: String, CodingKey {
        case path, account, sequence, kind, finishedAt, manifestSHA256, signerFingerprint, signerTrustedBecause,
            cloudTrailWindow, cloudTrailWindows, coverageGaps, evidence, evidenceCheck, problems, ok
    }

    init(path: String) {
        self.path = path
        self.coverageGaps = []
        self.problems = []
    }

    /// Decodes a verification result.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        account = try container.decodeIfPresent(String.self, forKey: .account)
        sequence = try container.decodeIfPresent(Int.self, forKey: .sequence)
        kind = try container.decodeIfPresent(Manifest.Kind.self, forKey: .kind)
        finishedAt = try container.decodeIfPresent(String.self, forKey: .finishedAt)
        manifestSHA256 = try container.decodeIfPresent(String.self, forKey: .manifestSHA256)
        signerFingerprint = try container.decodeIfPresent(String.self, forKey: .signerFingerprint)
        signerTrustedBecause = try container.decodeIfPresent(String.self, forKey: .signerTrustedBecause)
        cloudTrailWindow = try container.decodeIfPresent(Manifest.TimeWindow.self, forKey: .cloudTrailWindow)
        cloudTrailWindows = try container.decodeIfPresent([Manifest.CloudTrailWindow].self, forKey: .cloudTrailWindows)
        coverageGaps = try container.decode([Manifest.CoverageEntry].self, forKey: .coverageGaps)
        evidence = try container.decodeIfPresent([Manifest.EvidenceReference].self, forKey: .evidence)
        evidenceCheck = try container.decodeIfPresent(String.self, forKey: .evidenceCheck)
        problems = try container.decode([VerificationProblem].self, forKey: .problems)
    }

    /// Encodes the result, with `ok`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(account, forKey: .account)
        try container.encodeIfPresent(sequence, forKey: .sequence)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
        try container.encodeIfPresent(manifestSHA256, forKey: .manifestSHA256)
        try container.encodeIfPresent(signerFingerprint, forKey: .signerFingerprint)
        try container.encodeIfPresent(signerTrustedBecause, forKey: .signerTrustedBecause)
        try container.encodeIfPresent(cloudTrailWindow, forKey: .cloudTrailWindow)
        try container.encodeIfPresent(cloudTrailWindows, forKey: .cloudTrailWindows)
        try container.encode(coverageGaps, forKey: .coverageGaps)
        try container.encodeIfPresent(evidence, forKey: .evidence)
        try container.encodeIfPresent(evidenceCheck, forKey: .evidenceCheck)
        try container.encode(problems, forKey: .problems)
        try container.encode(ok, forKey: .ok)
    }

    mutating func add(_ code: VerificationProblem.Code, member: String? = nil, _ message: String) {
        problems.append(VerificationProblem(code, archive: path, member: member, message))
    }
}
