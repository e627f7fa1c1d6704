/// The allow-list that makes the client read-only by construction: an operation is sent only when its name
/// starts with `List`, `Get` or `Describe` (followed by an uppercase letter), or is one of `LookupEvents`,
/// `GenerateCredentialReport`, `HeadObject` and the STS calls for assuming roles and identifying the caller.
///
/// Every call goes through ``check(_:)`` before credentials are resolved or a request is built, so nothing of a
/// refused call leaves the process. STS `GetSessionToken` and `GetFederationToken` are refused although they
/// start with `Get`: they mint new credentials, which an investigation must not do.
public enum ReadOnlyPolicy {
    /// Operations allowed by name.
    public static let allowedOperations: Set<String> = [
        "LookupEvents", "GenerateCredentialReport", "HeadObject", "AssumeRole", "AssumeRoleWithWebIdentity",
        "GetCallerIdentity",
    ]

    /// Operations refused although their prefix is allowed.
    public static let refusedOperations: Set<String> = ["GetSessionToken", "GetFederationToken"]

    /// The allowed prefixes.
    public static let allowedPrefixes = ["List", "Get", "Describe"]

    /// Writes permitted for the task that runs inside ``permittingQueries(_:)``, as `service:Operation`.
    @TaskLocal static var permittedWrites: Set<String> = []

    /// The one write Custody makes: running a query, whose result Athena (or CloudTrail Lake) stores.
    static let queryWrites: Set<String> = ["athena:StartQueryExecution", "cloudtrail:StartQuery"]

    /// Runs `body` with Athena's `StartQueryExecution` and CloudTrail Lake's `StartQuery` allowed: the query's
    /// result is written to its output location, the one write `custody sweep` makes. Nothing else is allowed,
    /// and only for calls `body` makes.
    public static func permittingQueries<Result: Sendable>(_ body: () async throws -> Result) async rethrows
        -> Result
    {
        try await $permittedWrites.withValue(queryWrites) { try await body() }
    }

    /// Whether `operation` of `service` may be sent now: read-only, or a query inside ``permittingQueries(_:)``.
    public static func isAllowed(_ operation: String, service: String) -> Bool {
        isAllowed(operation) || permittedWrites.contains("\(service):\(operation)")
    }

    /// Whether `operation` may be sent.
    public static func isAllowed(_ operation: String) -> Bool {
        guard !operation.isEmpty, operation.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return false
        }
        if refusedOperations.contains(operation) { return false }
        if allowedOperations.contains(operation) { return true }
        return allowedPrefixes.contains { prefix in
            guard operation.hasPrefix(prefix), operation.count > prefix.count else { return false }
            let next = operation[operation.index(operation.startIndex, offsetBy: prefix.count)]
            return next.isUppercase
        }
    }

    /// Throws unless `operation` may be sent.
    /// - Throws: `AWSClientError.Code.operationNotAllowed`.
    public static func check(_ operation: String, service: String) throws {
        guard isAllowed(operation, service: service) else {
            throw AWSClientError(
                .operationNotAllowed,
                "Custody refused to send \(service) \(operation): it only sends read-only operations (List*, Get*, "
                    + "Describe*, LookupEvents, GenerateCredentialReport, HeadObject, and STS AssumeRole and "
                    + "GetCallerIdentity). Nothing was sent.")
        }
    }
}
