public import CustodyErrors

/// A snapshot that cannot be read back from an archive. Two errors are equal when their codes are.
public typealias SnapshotError = CustodyFailure<SnapshotErrorCode>

/// What went wrong, as a value to compare (`SnapshotError.code`).
public struct SnapshotErrorCode: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// A snapshot member is missing.
    public static let memberMissing = Self(name: "memberMissing")
    /// A snapshot member is not valid JSON of its kind.
    public static let memberInvalid = Self(name: "memberInvalid")

    /// The code's name.
    public var description: String { name }
}
