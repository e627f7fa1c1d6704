public import CustodyErrors

/// An error that stops a collection or import from going on.
///
/// What AWS refuses or fails is not an error here: it becomes coverage in the manifest. Two
/// errors are equal when their codes are.
public typealias CollectError = CustodyFailure<CollectErrorCode>

/// What went wrong, as a value to compare (`CollectError.code`).
public struct CollectErrorCode: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// The options do not describe a collection that can run.
    public static let invalidOptions = Self(name: "invalidOptions")
    /// No credentials or no identity for a target.
    public static let targetUnreachable = Self(name: "targetUnreachable")
    /// The staging folder could not be written.
    public static let stagingFailed = Self(name: "stagingFailed")
    /// Nothing could be collected for any target.
    public static let nothingCollected = Self(name: "nothingCollected")
    /// An input file cannot be read.
    public static let inputUnreadable = Self(name: "inputUnreadable")

    /// The code's name.
    public var description: String { name }
}
