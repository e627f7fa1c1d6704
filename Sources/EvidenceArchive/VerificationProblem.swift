/// One thing wrong with an archive or a chain, named so a person can act on it.
public struct VerificationProblem: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of problem verification names.
    public enum Code: String, Codable, Hashable, Sendable, CaseIterable {
        /// The file is not a tar archive.
        case notATar = "not-a-tar"
        /// The file ends before the archive does.
        case truncated = "truncated"
        /// Bytes follow the end-of-archive marker (two zero blocks, then the end of the file), which
        /// `tar --ignore-zeros` would read as further members.
        case trailingData = "trailing-data"
        /// The file could not be read.
        case unreadable = "unreadable"
        /// A member name is absolute, contains `..`, or the member is a link or device.
        case unsafeMember = "unsafe-member"
        /// Two members have the same name.
        case duplicateMember = "duplicate-member"
        /// A member's bytes differ from what the manifest records.
        case memberChanged = "member-changed"
        /// A member the manifest lists is not in the archive.
        case memberMissing = "member-missing"
        /// The archive holds a member the manifest does not list.
        case memberUnexpected = "member-unexpected"
        /// A member's tar header, or the padding after its data, is not what Custody writes: a mode,
        /// owner, time, link, device or name field, or a pax key, differs.
        case memberHeaderChanged = "member-header-changed"
        /// Members are not in the manifest's order.
        case membersReordered = "members-reordered"
        /// `custody.json` is missing, wrong, or not first.
        case formatMarker = "format-marker"
        /// The archive or manifest is of a version this tool does not read.
        case unsupportedVersion = "unsupported-version"
        /// There is no `manifest.json`.
        case manifestMissing = "manifest-missing"
        /// `manifest.json` is not a valid manifest.
        case manifestInvalid = "manifest-invalid"
        /// There is no `manifest.json.sig`.
        case signatureMissing = "signature-missing"
        /// The signature does not match the manifest's bytes.
        case signatureInvalid = "signature-invalid"
        /// There is no `signer.pub.pem`, or it is not exactly one PEM public key block.
        case signerKeyMissing = "signer-key-missing"
        /// `signer.pub.pem` is not the key the manifest names.
        case signerMismatch = "signer-mismatch"
        /// The signer is not trusted.
        case signerUntrusted = "signer-untrusted"
        /// `SHA256SUMS` disagrees with the manifest.
        case sumsMismatch = "sums-mismatch"
        /// The manifest names another account than the folder it is in.
        case accountMismatch = "account-mismatch"
        /// The file name's sequence differs from the manifest's.
        case nameMismatch = "name-mismatch"
        /// An archive does not name the one before it.
        case chainBroken = "chain-broken"
        /// A sequence number is missing: an archive was removed.
        case chainGap = "chain-gap"
        /// Two archives have the same sequence number.
        case chainFork = "chain-fork"
        /// A region's CloudTrail is in no archive for some time: its settled windows over the chain
        /// leave a hole, or the region was not read up to where the chain reads other regions.
        case windowGap = "window-gap"
        /// A CloudTrail window claims more than was read: it contradicts its own bounds, the
        /// collection's start, or the coverage of the calls that read it.
        case windowOverclaimed = "window-overclaimed"
        /// A CloudTrail digest file in the archive does not verify: its signature, key, metadata or
        /// location is wrong, or it cannot be read.
        case cloudTrailDigestInvalid = "cloudtrail-digest-invalid"
        /// A CloudTrail log file in the archive does not hash to what its digest says CloudTrail delivered.
        case cloudTrailLogAltered = "cloudtrail-log-altered"
        /// A log file a digest lists, delivered within the archive's window, is not in the archive.
        case cloudTrailLogMissing = "cloudtrail-log-missing"
        /// A digest does not link to the previous digest of its chain held in the archive.
        case cloudTrailDigestChainBroken = "cloudtrail-digest-chain-broken"
        /// A file in an account folder that is not a well-named archive.
        case strayFile = "stray-file"
        /// A folder that was to be verified holds no archives.
        case nothingToVerify = "nothing-to-verify"
        /// An evidence archive a report names is not in its case folder.
        case evidenceMissing = "evidence-missing"
        /// An evidence archive a report names is there but is not the one the report was made from.
        case evidenceChanged = "evidence-changed"
    }

    /// The kind of problem.
    public var code: Code
    /// The archive's path, when the problem is in one archive.
    public var archive: String?
    /// The member's name, when the problem is in one member.
    public var member: String?
    /// A sentence saying what is wrong.
    public var message: String

    /// Makes a problem.
    public init(_ code: Code, archive: String? = nil, member: String? = nil, _ message: String) {
        self.code = code
        self.archive = archive
        self.member = member
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
