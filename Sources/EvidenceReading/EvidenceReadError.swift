public import CustodyErrors

/// Why verified evidence could not be read: a path that holds no archive, an archive that does
/// not verify, or one without the snapshot asked for.
public typealias EvidenceReadError = CustodyFailure<EvidenceReadErrorCode>

/// What went wrong, as a value to compare (`EvidenceReadError.code`).
public struct EvidenceReadErrorCode: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// A path does not exist or holds no archive.
    public static let inputUnreadable = Self(name: "inputUnreadable")
    /// An archive does not verify.
    public static let verificationFailed = Self(name: "verificationFailed")
    /// An archive holds no snapshot, or a broken one.
    public static let snapshotMissing = Self(name: "snapshotMissing")

    /// The code's name.
    public var description: String { name }
}
