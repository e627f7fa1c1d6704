/// Fixed names and limits of the archive format (version 2; version 1 differs only in its manifest).
public enum ArchiveLayout {
    /// The first member: identifies the format.
    public static let formatMember = "custody.json"
    /// Hashes of every member before the manifest, in `sha256sum -c` format.
    public static let sumsMember = "SHA256SUMS"
    /// The signed manifest.
    public static let manifestMember = "manifest.json"
    /// The signature over the exact bytes of the manifest.
    public static let signatureMember = "manifest.json.sig"
    /// The signer's public key, PEM. Trust comes from its fingerprint, never from this copy.
    public static let signerMember = "signer.pub.pem"
    /// The three members that follow the ones the manifest lists, in order.
    public static let trailingMembers = [manifestMember, signatureMember, signerMember]
    /// The exact content of `custody.json`.
    public static let formatMemberContent = Array(#"{"format":"custody-archive","version":2}"#.utf8) + [0x0a]

    /// Members read into memory are never larger than these.
    static let smallMemberLimits: [MemberName: Int] = [
        MemberName(formatMember): 4096,
        MemberName(sumsMember): 256 << 20,
        MemberName(manifestMember): 256 << 20,
        MemberName(signatureMember): 65536,
        MemberName(signerMember): 65536,
    ]

    /// The file name of archive `sequence` sealed at `time`: `000001-20261129T001200Z.tar`.
    public static func archiveName(sequence: Int, time: String) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "-" + time + ".tar"
    }

    /// The sequence number in an archive file name, or `nil` when the name does not follow the pattern.
    public static func sequence(inArchiveName name: String) -> Int? {
        let bytes = Array(name.utf8)
        // NNNNNN-YYYYMMDDTHHMMSSZ.tar
        guard bytes.count == 27, name.hasSuffix(".tar"), bytes[6] == UInt8(ascii: "-"), bytes[15] == UInt8(ascii: "T"),
            bytes[22] == UInt8(ascii: "Z")
        else { return nil }
        let digitPositions = Array(0..<6) + Array(7..<15) + Array(16..<22)
        guard digitPositions.allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }) else { return nil }
        return Int(String(decoding: bytes[0..<6], as: UTF8.self))
    }

    /// Whether `account` is a 12-digit AWS account id.
    public static func isAccountId(_ account: String) -> Bool {
        account.utf8.count == 12 && account.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
