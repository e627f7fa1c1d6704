public import Foundation

/// The time source of the client: the wall clock for signing and the sleeps between retries and paced calls.
/// Tests inject one that records sleeps instead of waiting.
public protocol AWSClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Waits `duration`.
    func sleep(for duration: Duration) async throws
}

/// The system clock.
public struct SystemClock: AWSClock {
    /// The system clock.
    public init() {}
    /// The current time.
    public func now() -> Date { Date() }
    /// Waits `duration`.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
