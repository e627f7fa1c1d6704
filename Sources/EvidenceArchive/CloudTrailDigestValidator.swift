import CustodyCrypto
import CustodyJSON
public import Foundation

/// Checks CloudTrail's own integrity proof in the S3 slice of an archive, offline.
///
/// The slice holds, under `cloudtrail/s3/<bucket>/<key>`, log and digest files exactly as stored (gzip),
/// beside each digest `<key>.metadata.json` (its S3 user metadata, where CloudTrail keeps the signature) and
/// `cloudtrail/s3/public-keys.json` (`ListPublicKeys`). As `aws cloudtrail validate-logs` does, each digest's
/// signature is checked over the string CloudTrail signs,
/// `digestEndTime \n digestS3Bucket/digestS3Object \n hex SHA-256 of the uncompressed digest \n
/// previousDigestSignature` (`null` for the first of a chain), with the RSA key (SHA256withRSA, PKCS#1 v1.5)
/// whose fingerprint the digest names; each digest's link to its predecessor (hash of the uncompressed
/// predecessor, and its signature); and each listed log file the archive holds, whose uncompressed bytes must
/// hash to `hashValue`.
public struct CloudTrailDigestValidator: Sendable {
    /// Where the slice lives in an archive.
    public static let prefix = "cloudtrail/s3/"
    /// The `ListPublicKeys` member.
    public static let publicKeysMember = "cloudtrail/s3/public-keys.json"
    /// What a digest's metadata member name adds to the digest's.
    public static let metadataSuffix = ".metadata.json"
    /// The largest uncompressed log file read unless a validator is given another limit.
    static let uncompressedLimit = Int(DecompressedSizeLimit.standard.bytes)
    /// The largest uncompressed digest file read (CloudTrail's are kilobytes to a few megabytes).
    static let digestUncompressedLimit = 64 << 20

    /// The archive's CloudTrail window, `[from, to)`: a listed log file whose name-time falls in it must be held.
    public var window: (from: Date, to: Date)?
    /// The most a log file may expand to; one that expands further is reported, not hashed to the end.
    public var decompressedSizeLimit: DecompressedSizeLimit

    /// Makes a validator; `window` decides which listed log files must be present.
    public init(window: (from: Date, to: Date)? = nil, decompressedSizeLimit: DecompressedSizeLimit = .standard) {
        self.window = window
        self.decompressedSizeLimit = decompressedSizeLimit
    }

    /// One problem found: its code, the member it concerns, and a sentence.
    public struct Finding: Sendable, Hashable {
        /// The code.
        public var code: VerificationProblem.Code
        /// The member concerned.
        public var member: String?
        /// What is wrong.
        public var message: String
    }

    /// A digest file as CloudTrail writes it
    /// ([structure](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html)).
    struct Digest: Decodable {
        struct LogFile: Decodable {
            var s3Bucket: String
            var s3Object: String
            var hashValue: String
            var hashAlgorithm: String?
        }

        var digestEndTime: String
        var digestS3Bucket: String
        var digestS3Object: String
        var digestPublicKeyFingerprint: String
        var digestSignatureAlgorithm: String?
        var previousDigestS3Bucket: String?
        var previousDigestS3Object: String?
        var previousDigestHashValue: String?
        var previousDigestSignature: String?
        var logFiles: [LogFile]
    }

    /// A digest read from the archive.
    struct Held {
        var member: String
        var digest: Digest
        /// Hex SHA-256 of the uncompressed file.
        var sha256: String
        /// Hex signature from the S3 metadata.
        var signature: String?
        var chain: String
        var end: Date
    }

    /// What is known of a log file held in the archive, without holding it.
    public enum LogHash: Sendable, Hashable {
        /// The hex SHA-256 of its uncompressed bytes.
        case sha256(String)
        /// It is not gzip data, or it is damaged.
        case notGzip
        /// It decompresses to more than is read (1 GiB).
        case tooLarge
    }

    /// Whether `path` is a member the check reads.
    public static func wants(_ path: String) -> Bool { wants(MemberName(path)) }

    /// Whether `name` is a member the check reads (its bytes start with `prefix`).
    public static func wants(_ name: MemberName) -> Bool { name.hasPrefix(prefix) }

    /// The member that holds `s3://bucket/key`.
    public static func member(bucket: String, key: String) -> String { "\(prefix)\(bucket)/\(key)" }

    /// Validates the slice held in `members` (member name → stored bytes, only those under `cloudtrail/s3/`).
    public func validate(_ members: [String: [UInt8]]) -> [Finding] {
        var kept: [MemberName: [UInt8]] = [:]
        var logs: [MemberName: LogHash] = [:]
        for (path, bytes) in members {
            let name = MemberName(path)
            if CloudTrailSlice.keeps(name) {
                kept[name] = bytes
            } else {
                var offset = 0
                logs[name] = try? CloudTrailSlice.uncompressedHash(of: path, limit: Int(decompressedSizeLimit.bytes)) {
                    buffer in
                    let count = min(buffer.count, bytes.count - offset)
                    buffer.copyBytes(from: bytes[offset..<(offset + count)])
                    offset += count
                    return count
                }
            }
        }
        return validate(kept: kept, logs: logs)
    }

    /// Validates a slice from its digests, their metadata and the public keys (`kept`, names
    /// compared as bytes) and what each other file's uncompressed bytes hash to (`logs`).
    func validate(kept members: [MemberName: [UInt8]], logs: [MemberName: LogHash]) -> [Finding] {
        var findings: [Finding] = []
        let keys = publicKeys(members, &findings)
        var digests: [MemberName: Held] = [:]
        for (name, bytes) in members where Self.isDigest(name) {
            let path = name.description
            guard let plain = try? Gzip.decompress(bytes, limit: Self.digestUncompressedLimit),
                let digest = try? JSONDecoder().decode(Digest.self, from: Data(plain))
            else {
                findings.append(
                    Finding(
                        code: .cloudTrailDigestInvalid, member: path,
                        message: "\(path) is not a readable CloudTrail digest file."))
                continue
            }
            let metadata = members[name.appending(Self.metadataSuffix)].flatMap { try? JSONValue.parse(Data($0)) }
            let held = Held(
                member: path, digest: digest, sha256: SHA256.hash(plain).hex,
                signature: metadata?["metadata"]?["signature"]?.stringValue, chain: Self.chainName(path),
                end: Timestamp.parse(digest.digestEndTime) ?? .distantPast)
            digests[MemberName("\(digest.digestS3Bucket)/\(digest.digestS3Object)")] = held
            checkSignature(held, keys: keys, &findings)
        }
        checkChains(digests, &findings)
        checkLogs(digests, logs, &findings)
        return findings.sorted { ($0.member ?? "", $0.code.rawValue) < ($1.member ?? "", $1.code.rawValue) }
    }

    static func isDigest(_ name: MemberName) -> Bool {
        name.contains("/CloudTrail-Digest/") && name.hasSuffix(".json.gz")
    }

    /// Whether `name` is a digest's S3 metadata (`<digest>.metadata.json`).
    static func isDigestMetadata(_ name: MemberName) -> Bool {
        name.contains("/CloudTrail-Digest/") && name.hasSuffix(".json.gz" + metadataSuffix)
    }

    /// `<bucket>/<region>/<trail>_<home region>`: digests of one chain, from the key's layout.
    static func chainName(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        let bucket = parts.count > 2 ? String(parts[2]) : ""
        guard let file = parts.last else { return path }
        // <account>_CloudTrail-Digest_<region>_<trail name>_<home region>_<end>[_backfill].json.gz
        var fields = file.dropLast(".json.gz".count).split(separator: "_", omittingEmptySubsequences: false)
        if fields.last == "backfill" { fields.removeLast() }
        guard fields.count >= 6 else { return bucket + "/" + file }
        return "\(bucket)/\(fields[2])/\(fields[3..<(fields.count - 1)].joined(separator: "_"))"
    }

    /// The keys of `public-keys.json` by fingerprint.
    private func publicKeys(_ members: [MemberName: [UInt8]], _ findings: inout [Finding]) -> [String: PublicKey] {
        guard let bytes = members[MemberName(Self.publicKeysMember)] else {
            if members.keys.contains(where: Self.isDigest) {
                findings.append(
                    Finding(
                        code: .cloudTrailDigestInvalid, member: Self.publicKeysMember,
                        message: "\(Self.publicKeysMember) is missing, so no digest signature can be checked."))
            }
            return [:]
        }
        var keys: [String: PublicKey] = [:]
        for item in (try? JSONValue.parse(Data(bytes)))?["PublicKeyList"]?.arrayValue ?? [] {
            guard let fingerprint = item["Fingerprint"]?.stringValue, let value = item["Value"]?.stringValue,
                let der = Data(base64Encoded: value),
                let key = try? PublicKey(der: Self.subjectPublicKeyInfo(rsa: Array(der)))
            else { continue }
            keys[fingerprint.lowercased()] = key
        }
        return keys
    }

    private func checkSignature(_ held: Held, keys: [String: PublicKey], _ findings: inout [Finding]) {
        let digest = held.digest
        let path = held.member
        if MemberName(Self.member(bucket: digest.digestS3Bucket, key: digest.digestS3Object)) != MemberName(path) {
            findings.append(
                Finding(
                    code: .cloudTrailDigestInvalid, member: path,
                    message:
                        "\(path) says it is s3://\(digest.digestS3Bucket)/\(digest.digestS3Object): it was moved or copied from elsewhere."
                ))
        }
        guard let signatureHex = held.signature, let signature = try? Hex.decode(signatureHex) else {
            findings.append(
                Finding(
                    code: .cloudTrailDigestInvalid, member: path,
                    message: "\(path) has no signature in \(path + Self.metadataSuffix)."))
            return
        }
        guard let key = keys[digest.digestPublicKeyFingerprint.lowercased()] else {
            findings.append(
                Finding(
                    code: .cloudTrailDigestInvalid, member: path,
                    message:
                        "\(path) is signed by key \(digest.digestPublicKeyFingerprint), which is not in \(Self.publicKeysMember)."
                ))
            return
        }
        let toSign =
            "\(digest.digestEndTime)\n\(digest.digestS3Bucket)/\(digest.digestS3Object)\n\(held.sha256)\n"
            + (digest.previousDigestSignature ?? "null")
        if !key.isValidSignature(signature, for: Array(toSign.utf8)) {
            findings.append(
                Finding(
                    code: .cloudTrailDigestInvalid, member: path,
                    message:
                        "\(path) does not match its CloudTrail signature: the digest file or its metadata was altered.")
            )
        }
    }

    private func checkChains(_ digests: [MemberName: Held], _ findings: inout [Finding]) {
        let byChain = Dictionary(grouping: digests.values, by: { MemberName($0.chain) })
        for held in digests.values {
            let digest = held.digest
            guard let previousKey = digest.previousDigestS3Object, let previousBucket = digest.previousDigestS3Bucket
            else {
                continue
            }
            guard let previous = digests[MemberName("\(previousBucket)/\(previousKey)")] else {
                // The first digest of the archive may point before it; a held digest between them may not be missing.
                let earlier = (byChain[MemberName(held.chain)] ?? []).filter { $0.end < held.end }
                if !earlier.isEmpty {
                    findings.append(
                        Finding(
                            code: .cloudTrailDigestChainBroken, member: held.member,
                            message:
                                "\(held.member) follows s3://\(previousBucket)/\(previousKey), which the archive does not hold although it holds earlier digests of the chain."
                        ))
                }
                continue
            }
            if digest.previousDigestHashValue?.lowercased() != previous.sha256 {
                findings.append(
                    Finding(
                        code: .cloudTrailDigestChainBroken, member: held.member,
                        message:
                            "\(held.member) names a previous digest hash \(digest.previousDigestHashValue ?? "null"), but \(previous.member) hashes to \(previous.sha256)."
                    ))
            } else if digest.previousDigestSignature?.lowercased() != previous.signature?.lowercased() {
                findings.append(
                    Finding(
                        code: .cloudTrailDigestChainBroken, member: held.member,
                        message: "\(held.member) names a previous digest signature that is not \(previous.member)'s."))
            }
        }
    }

    private func checkLogs(_ digests: [MemberName: Held], _ logs: [MemberName: LogHash], _ findings: inout [Finding]) {
        for held in digests.values {
            for log in held.digest.logFiles {
                let path = Self.member(bucket: log.s3Bucket, key: log.s3Object)
                guard let stored = logs[MemberName(path)] else {
                    if let window, let time = Self.logFileTime(log.s3Object), time >= window.from, time < window.to {
                        findings.append(
                            Finding(
                                code: .cloudTrailLogMissing, member: path,
                                message:
                                    "\(path) is listed by \(held.member) and falls in the window, but the archive does not hold it."
                            ))
                    }
                    continue
                }
                let hash: String
                switch stored {
                case .sha256(let value): hash = value
                case .notGzip:
                    findings.append(
                        Finding(
                            code: .cloudTrailLogAltered, member: path,
                            message: "\(path) is not the gzip file CloudTrail delivered."))
                    continue
                case .tooLarge:
                    findings.append(
                        Finding(
                            code: .cloudTrailLogAltered, member: path,
                            message:
                                "\(path) expands to more than \(decompressedSizeLimit) when decompressed, so it was not checked against \(held.member); CloudTrail log files are far smaller."
                        ))
                    continue
                }
                if hash != log.hashValue.lowercased() {
                    findings.append(
                        Finding(
                            code: .cloudTrailLogAltered, member: path,
                            message:
                                "\(path) hashes to \(hash), but \(held.member) says CloudTrail delivered \(log.hashValue)."
                        ))
                }
            }
        }
    }

    /// Hex SHA-256 of what gzip `bytes` expand to, hashed as they are decompressed.
    /// - Throws: `ArchiveError` when they are not gzip, are damaged, or expand beyond `limit`.
    static func plainSHA256(_ bytes: [UInt8], name: String, limit: DecompressedSizeLimit) throws -> String {
        let reader = try Gzip.Reader(bytes: bytes, name: name, limit: limit)
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { return hasher.finalize().hex }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// The minute in a log file's name: `<account>_CloudTrail_<region>_20150801T0210Z_<unique>.json.gz`.
    public static func logFileTime(_ key: String) -> Date? {
        let name = key.split(separator: "/").last ?? ""
        let fields = name.split(separator: "_")
        guard fields.count >= 5 else { return nil }
        return compactTime(String(fields[3]))
    }

    /// The end time in a digest file's name: `…_20150817T150131Z.json.gz` (optionally `_backfill`).
    public static func digestFileTime(_ key: String) -> Date? {
        var name = Substring(key.split(separator: "/").last ?? "")
        if name.hasSuffix(".json.gz") { name = name.dropLast(".json.gz".count) }
        var fields = name.split(separator: "_")
        if fields.last == "backfill" { fields.removeLast() }
        return fields.last.flatMap { compactTime(String($0)) }
    }

    /// `20150801T0210Z` or `20150817T150131Z`.
    static func compactTime(_ text: String) -> Date? {
        let digits = text.filter(\.isNumber)
        guard text.hasSuffix("Z"), digits.count == 12 || digits.count == 14 else { return nil }
        let iso = digits.count == 12 ? digits + "00" : digits
        let value = Array(iso)
        let formatted =
            "\(String(value[0..<4]))-\(String(value[4..<6]))-\(String(value[6..<8]))T\(String(value[8..<10])):\(String(value[10..<12])):\(String(value[12..<14]))Z"
        return Timestamp.parse(formatted)
    }

    /// Wraps a DER PKCS#1 `RSAPublicKey` (what `ListPublicKeys` returns) in a SubjectPublicKeyInfo.
    static func subjectPublicKeyInfo(rsa pkcs1: [UInt8]) -> [UInt8] {
        // AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
        let algorithm: [UInt8] = [
            0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
        ]
        let bitString = [0x03] + derLength(pkcs1.count + 1) + [0x00] + pkcs1
        let body = algorithm + bitString
        return [0x30] + derLength(body.count) + body
    }

    private static func derLength(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }
}
