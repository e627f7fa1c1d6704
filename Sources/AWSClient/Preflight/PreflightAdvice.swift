/// Turns an error met while checking a target into one line that says what to fix.
public enum PreflightAdvice {
    /// One line for `error`, met while using credentials from `source` with access key `accessKeyId`, or while
    /// assuming `role`.
    public static func line(
        for error: any Error, accessKeyId: String? = nil, source: String? = nil, role: String? = nil
    )
        -> String
    {
        let key = accessKeyId.map { "access key \($0)" } ?? "the access key"
        let origin = source.map { " (from \($0))" } ?? ""
        if let error = error as? AWSServiceError {
            switch error.code {
            case "SignatureDoesNotMatch", "InvalidSignatureException":
                return "The secret access key does not match \(key)\(origin): correct aws_secret_access_key in the "
                    + "credentials file, or AWS_SECRET_ACCESS_KEY."
            case "InvalidClientTokenId", "InvalidAccessKeyId", "UnrecognizedClientException", "AuthFailure":
                return "AWS does not know \(key)\(origin): it was deleted, deactivated or mistyped; use a current key."
            case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
                return "The session token of \(key)\(origin) has expired: get fresh temporary credentials and retry."
            default:
                return "\(error.service) \(error.operation) failed with \(error.code): \(error.message)"
                    + (error.requestId.map { " (request id \($0))" } ?? "")
            }
        }
        if let error = error as? AWSClientError {
            if error.code == .credentialProviderFailed, let cause = error.underlying as? AWSServiceError,
                cause.operation == "AssumeRole"
            {
                if cause.isAccessDenied {
                    return "Cannot assume \(role ?? "the role"): \(cause.code). Let the caller in "
                        + "the role's trust policy, allow it sts:AssumeRole on the role, and check the role name and "
                        + "account id."
                }
                return line(for: cause, accessKeyId: accessKeyId, source: source)
            }
            if [.connectionFailed, .connectionLost, .timedOut].contains(error.code) {
                return "\(error.explanation) Check --endpoint-url, the network and any proxy."
            }
            if error.code == .retriesExhausted, let cause = error.underlying {
                return "\(error.explanation) Last error: \(FailureText.describe(cause))"
            }
            return error.explanation
        }
        return "\(error)"
    }
}
