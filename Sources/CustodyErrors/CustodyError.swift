/// The shape of every error Custody throws: a code to compare, a full sentence saying what went wrong, what to do
/// about it, the error underneath, and where it was raised.
///
/// A conforming type stores these and gets the rest: its `description` is the message followed by the remedy, and
/// two errors are equal when their codes are, so a test can write `#expect(throws: ArchiveError(.locked, ""))`
/// against an error it builds. A type that knows more (OpenSSL's reasons, the attempts made) keeps it in fields of
/// its own and implements `description` to print it after ``explanation``.
///
/// No secret ever reaches `message`, `remedy` or `description`: an access key id may, a secret key or a session
/// token never.
public protocol CustodyError: Error, CustomStringConvertible, Equatable {
    /// A value naming one way the error can happen: compared, printed, never parsed.
    associatedtype Code: Hashable, Sendable, CustomStringConvertible

    /// What went wrong, as a value to compare.
    var code: Code { get }
    /// A full sentence saying what went wrong, and where.
    var message: String { get }
    /// A full sentence saying what to do about it, when `message` does not already say.
    var remedy: String? { get }
    /// The error that caused this one, when there is one.
    var underlying: (any Error)? { get }
    /// The file the error was raised in (`#fileID`).
    var fileID: String { get }
    /// The line the error was raised on.
    var line: Int { get }
}

extension CustodyError {
    /// What went wrong, then what to do: the message, followed by the remedy when there is one.
    public var explanation: String {
        guard let remedy else { return message }
        return "\(message) \(remedy)"
    }

    /// The explanation: what went wrong, then what to do.
    public var description: String { explanation }

    /// Errors are equal when their codes are, whatever their messages say.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
