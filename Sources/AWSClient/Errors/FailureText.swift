import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A failed call as a person reads it, in the coverage, on the terminal and in errors: AWS's code
/// and message, or what went wrong in words, never a Swift type's name such as `CancellationError()`.
public enum FailureText {
    /// The words for `error`.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as AWSServiceError:
            return error.description
        case let error as AWSClientError:
            return error.description
        case is CancellationError:
            return "the call was cancelled before AWS answered (it timed out, or the run was interrupted)"
        case let url as URLError:
            return "the connection failed (\(url.localizedDescription))"
        default:
            return String(describing: error)
        }
    }
}
