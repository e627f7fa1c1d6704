public import Foundation

/// How failed calls are retried: capped exponential backoff with full jitter, `Retry-After` honoured, bounded
/// by a number of attempts and a total time.
///
/// Retried: throttling (`Throttling`, `ThrottlingException`, `RequestLimitExceeded`, `TooManyRequestsException`,
/// HTTP 429 …), HTTP 5xx and transient codes, dropped or refused connections and timeouts.
public struct RetryPolicy: Hashable, Sendable {
    /// The most attempts per call, the first included.
    public var maxAttempts: Int
    /// The backoff before the second attempt, before jitter.
    public var baseDelay: Duration
    /// The longest backoff, before jitter.
    public var maxDelay: Duration
    /// How long one attempt may take before it counts as timed out.
    public var attemptTimeout: Duration
    /// How long a call may take in all, retries included.
    public var totalTimeout: Duration
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    public var maxRetryAfter: Duration

    /// Makes a policy.
    public init(
        maxAttempts: Int = 8, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(20),
        attemptTimeout: Duration = .seconds(60), totalTimeout: Duration = .seconds(600),
        maxRetryAfter: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.attemptTimeout = attemptTimeout
        self.totalTimeout = totalTimeout
        self.maxRetryAfter = maxRetryAfter
    }

    /// The default: 8 attempts, 0.2 s base, 20 s cap, 60 s per attempt, 10 minutes per call.
    public static let standard = RetryPolicy()

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based): a uniform random draw in
    /// `[0, min(maxDelay, baseDelay·2^(attempt−1))]`, or `retryAfter` when that is longer.
    /// - Parameter random: a number in `[0, 1)`; injected so tests are deterministic.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay.seconds, baseDelay.seconds * pow(2, Double(exponent)))
        let jittered = Duration.seconds(ceiling * min(max(random, 0), 1))
        guard let retryAfter else { return jittered }
        return max(jittered, retryAfter)
    }

    /// Reads `Retry-After`: delta seconds or an HTTP date.
    public static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .seconds(seconds) }
        if let date = Timestamps.httpDate(value) { return .seconds(max(0, date.timeIntervalSince(now))) }
        return nil
    }
}
