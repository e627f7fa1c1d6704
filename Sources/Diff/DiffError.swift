public import CustodyErrors

/// Why a diff could not run on archives that were read (reading them throws `EvidenceReadError`).
public typealias DiffError = CustodyFailure<DiffErrorCode>

/// What went wrong, as a value to compare (`DiffError.code`).
public struct DiffErrorCode: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// The two archives are of different accounts.
    public static let differentAccounts = Self(name: "differentAccounts")
    /// The two archives are the same.
    public static let sameArchive = Self(name: "sameArchive")

    /// The code's name.
    public var description: String { name }
}
